/*
 * image.h — where this program lies in memory, and addresses that are certainly not
 * mapped, for tests that hand the kernel bad pointers.
 *
 * user/linker.ld places the program at 0x400000:
 *
 *     0x400000   text     R-X   code
 *                rodata   R--   constants, strings
 *                data     RW-   initialised variables
 *                bss      RW-   zeroed variables, then image_tail (64 bytes)
 *     _end                       end of the bss; the rest of its page is mapped too
 *     page_round_up(_end)        first unmapped address (the heap starts here, empty)
 *
 * The kernel must answer -EFAULT for any pointer into unmapped or kernel memory,
 * and also for a buffer that starts mapped and runs into an unmapped page.
 */
#ifndef USER_LIB_IMAGE_H
#define USER_LIB_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096UL

/* Symbols defined by user/linker.ld (their addresses are what matter). */
extern char __image_start[], _etext[], _erodata[], _edata[], _end[];

/* Returns p, but the compiler can no longer see which constant it is (so it does not
 * warn that a test passes (void *)8 where an array is expected). */
static inline void *opaque_pointer(void *p)
{
    __asm__("" : "+r"(p));
    return p;
}

/* Bad pointers: each one fails differently inside the kernel. */
#define BAD_POINTER_NULL_PAGE    opaque_pointer((void *)8UL) /* the never-mapped first 4 MiB */
#define BAD_POINTER_UNMAPPED     opaque_pointer((void *)0x100000000000UL)     /* 16 TiB: unmapped */
#define BAD_POINTER_KERNEL       opaque_pointer((void *)0xffffffff80000000UL) /* kernel image */
#define BAD_POINTER_NONCANONICAL opaque_pointer((void *)0x8000000000000000UL) /* not an address */

/* The first unmapped address above the program: _end rounded up to a page. */
void *image_unmapped_start(void);

/* A pointer to the last n (1 .. IMAGE_TAIL_SIZE) mapped, writable bytes below the
 * unmapped page: an object put there runs off the end of mapped memory. */
#define IMAGE_TAIL_SIZE 64
char *image_last_bytes(size_t n);

#endif
