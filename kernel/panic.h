/*
 * panic.h — stopping the kernel when something is wrong, and saying why.
 *
 *   panic("frame %lx freed twice", pfn);
 *   assert(count <= total, "free count %lu exceeds total %lu", count, total);
 *
 * Both print "PANIC at file:line: message" and a backtrace of function names, then
 * halt (or power the machine off when booted with panic=poweroff, as the tests are).
 * assert always takes a message: say what was expected and what was found.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

#define assert(condition, ...)                                                                     \
    do {                                                                                           \
        if (!(condition))                                                                          \
            assert_failed(__FILE__, __LINE__, #condition, __VA_ARGS__);                            \
    } while (0)

void panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void assert_failed(const char *file, int line, const char *condition, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

/* What to do after a panic: halt (default: the machine stays up for gdb) or power off. */
void panic_set_poweroff(bool poweroff);

/* Stop this CPU for good: interrupts off, halt forever. */
void halt_forever(void) __attribute__((noreturn));

/* The final step of every fatal report: halt, or power off as configured. */
void panic_stop(void) __attribute__((noreturn));

#endif
