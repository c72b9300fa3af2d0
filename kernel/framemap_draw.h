/*
 * framemap_draw.h — drawing on a 32-bit framebuffer: rectangles and text in the
 * VGA's own font, and the colours of the frame map (the same as tools/framemap.py's).
 */
#ifndef KERNEL_FRAMEMAP_DRAW_H
#define KERNEL_FRAMEMAP_DRAW_H

#include <stdint.h>

#include "dev/bochs_vbe.h"
#include "framemap.h"

#define FONT_WIDTH  8
#define FONT_HEIGHT 16

#define COLOUR_BACKGROUND 0x000000u
#define COLOUR_TEXT       0xe0e0e0u
#define COLOUR_UNTOUCHED  0x303848u /* a page of a region with no frame yet */
#define COLOUR_PROT_NONE  0x8b4513u /* a PROT_NONE page that holds a frame */
#define COLOUR_SWAPPED    0x9090b4u /* a page out in a swap slot (mm/page_out.h) */
#define COLOUR_LOST       0xff4040u /* a page swapoff could not read back */

/* Take the font from the VGA card (in text mode, before the first drawing). */
void draw_load_font(void);

void draw_rect(const struct framebuffer *fb, unsigned x, unsigned y, unsigned w, unsigned h,
               uint32_t colour);

/* text at (x, y), its top-left corner, on the background colour; clipped at the
 * right edge. Returns the x after it. */
unsigned draw_text(const struct framebuffer *fb, unsigned x, unsigned y, const char *text,
                   uint32_t colour);

/* The colour of a frame of the map: its class's, a user frame's by its pid. */
uint32_t frame_colour(const struct frame_owner *o);
uint32_t frame_class_colour(enum frame_class class);
uint32_t user_pid_colour(int pid);

#endif
