/*
 * kernel_shim.h — what host tests of mm/ code can ask of the stand-in kernel.
 *
 * "Physical memory" is an ordinary buffer: physical address p is byte p of it,
 * so pmm_init can be fed a made-up memory map whose usable frames lie inside.
 * A panic or failed assert in the code under test longjmps to the test when it
 * is expecting one (EXPECT_PANIC), and aborts the test program otherwise.
 */
#ifndef TESTS_HOST_KERNEL_SHIM_H
#define TESTS_HOST_KERNEL_SHIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Size of the fake physical memory: physical addresses 0 .. SHIM_PHYS_SIZE-1. */
#define SHIM_PHYS_SIZE (8ul << 20)

/* The buffer itself (page-aligned). */
extern uint8_t *shim_phys;

/* The message of the last panic/assert caught by EXPECT_PANIC. */
extern char shim_panic_message[512];

/* The last line kprintf printed (not shown: kept for tests), and how many so far. */
extern char shim_kprintf_last[256];
extern unsigned long shim_kprintf_count;

/* Set while a test expects a panic; the shim longjmps here. */
extern jmp_buf *shim_panic_target;

/* Run statement; evaluates to true if it panicked (message in shim_panic_message). */
#define EXPECT_PANIC(statement)                                                                    \
    ({                                                                                             \
        jmp_buf target_;                                                                           \
        volatile bool panicked_ = false; /* survives the longjmp */                                \
        shim_panic_message[0] = '\0';                                                              \
        if (setjmp(target_) == 0) {                                                                \
            shim_panic_target = &target_;                                                          \
            statement;                                                                             \
        } else {                                                                                   \
            panicked_ = true;                                                                      \
        }                                                                                          \
        shim_panic_target = NULL;                                                                  \
        panicked_;                                                                                 \
    })

#endif
