/*
 * console.h — where kernel output goes: the serial port and the VGA screen.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

void console_init(void);                         /* serial first, then VGA */
void console_write(const char *bytes, size_t n); /* to every console */
/* The same, but "\n" stays a bare line feed on the serial line (a terminal program
 * that turned off ONLCR moves the cursor itself). */
void console_write_raw(const char *bytes, size_t n);

#endif
