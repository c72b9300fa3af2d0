/*
 * printk.c — kprintf: lib/format.c's engine with the console as its sink.
 */
#include "printk.h"

#include "lib/format.h"
#include "console.h"

static bool quiet; /* `quiet` on the command line: no boot report */

static void console_sink(void *context, const char *bytes, size_t n)
{
    (void)context;
    console_write(bytes, n);
}

int kvprintf(const char *fmt, va_list args)
{
    return format_v(console_sink, NULL, fmt, args);
}

int kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = kvprintf(fmt, args);
    va_end(args);
    return n;
}

int kinfo(const char *fmt, ...)
{
    if (quiet)
        return 0;
    va_list args;
    va_start(args, fmt);
    int n = kvprintf(fmt, args);
    va_end(args);
    return n;
}

void printk_set_quiet(bool on)
{
    quiet = on;
}
