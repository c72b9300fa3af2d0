/*
 * printk.h — the kernel's printf, to every console.
 *
 * The formats are lib/format.h's: %d %u %x %lx %p %s %c %%, widths, zero padding.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stdbool.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list args);

/* A line of the boot report (the banner, the memory map, what was set up): printed
 * like kprintf, unless the command line says `quiet`. Warnings, kill lines, panics
 * and test results use kprintf, so they are printed always. Returns the bytes
 * printed (0 when quiet). */
int kinfo(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* `quiet`: from now on kinfo prints nothing. */
void printk_set_quiet(bool quiet);

#endif
