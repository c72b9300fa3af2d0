/*
 * vga.h — the VGA text screen (80 x 25 characters), the secondary console.
 *
 * Visible with `make run GUI=1`. Row 0 is a status bar (uptime, ticks); the other
 * rows scroll like a terminal.
 */
#ifndef KERNEL_VGA_H
#define KERNEL_VGA_H

#include <stddef.h>
#include <stdint.h>

void vga_init(void);                         /* clear the screen, draw the status bar */
void vga_write(const char *bytes, size_t n); /* handles \n, \r, \t, \b; scrolls */
void vga_set_status(const char *text);       /* replace the status bar's text */

/* Hand the screen to a graphical mode: saves the VGA registers that switching
 * rewrites; text goes on into a shadow copy. */
void vga_text_suspend(void);

/* Take the screen back: the registers restored, the text repainted from the
 * shadow (including what was written meanwhile). */
void vga_text_resume(void);

/* The text mode's font, as the VGA card holds it (plane 2): 8 pixels wide, bit 7
 * the leftmost. Call in text mode. */
#define VGA_FONT_CHARS  256
#define VGA_FONT_HEIGHT 16
void vga_read_font(uint8_t font[VGA_FONT_CHARS][VGA_FONT_HEIGHT]);

#endif
