/*
 * vga.h — the VGA text screen (80 x 25 characters), the secondary console.
 *
 * Visible with `make run GUI=1`. Row 0 is a status bar (uptime, ticks); the other
 * rows scroll like a terminal.
 */
#ifndef KERNEL_VGA_H
#define KERNEL_VGA_H

#include <stddef.h>

void vga_init(void);                         /* clear the screen, draw the status bar */
void vga_write(const char *bytes, size_t n); /* handles \n, \r, \t, \b; scrolls */
void vga_set_status(const char *text);       /* replace the status bar's text */

#endif
