/*
 * panic.c — the one path every fatal error ends in.
 */
#include "panic.h"

#include <stdarg.h>
#include <stddef.h>

#include "backtrace.h"
#include "power.h"
#include "printk.h"
#include "x86.h"

static bool poweroff_after_panic;
static bool panicking; /* a panic inside a panic must not recurse forever */

void panic_set_poweroff(bool poweroff)
{
    poweroff_after_panic = poweroff;
}

void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

void panic_stop(void)
{
    if (poweroff_after_panic)
        power_off(EXIT_KERNEL_PANIC);
    kprintf("System halted.\n");
    halt_forever();
}

/* Print the header, the message and a backtrace, then stop. */
static void __attribute__((noreturn))
panic_report(const char *file, int line, const char *condition, const char *fmt, va_list args)
{
    cli();
    if (panicking) {
        kprintf("\nPANIC while panicking (at %s:%d)\n", file, line);
        panic_stop();
    }
    panicking = true;

    kprintf("\nPANIC at %s:%d: ", file, line);
    if (condition != NULL)
        kprintf("assertion `%s' failed: ", condition);
    kvprintf(fmt, args);
    kprintf("\n");
    backtrace_print_from((uint64_t)__builtin_frame_address(0));
    panic_stop();
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    panic_report(file, line, NULL, fmt, args);
}

void assert_failed(const char *file, int line, const char *condition, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    panic_report(file, line, condition, fmt, args);
}
