/*
 * printk.h — the kernel's printf, to every console.
 *
 * The formats are lib/format.h's: %d %u %x %lx %p %s %c %%, widths, zero padding.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list args);

#endif
