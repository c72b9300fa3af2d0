/*
 * framemap_draw.c — rectangles, text and colours for the frame map's views.
 */
#include "framemap_draw.h"

#include "vga.h"

static uint8_t font[VGA_FONT_CHARS][VGA_FONT_HEIGHT];

/* 0x00RRGGBB; tools/framemap.py has the same table (CLASS_COLOURS). */
static const uint32_t class_colours[FRAME_CLASS_COUNT] = {
    [FRAME_CLASS_RESERVED] = 0x404040u,      [FRAME_CLASS_KERNEL_IMAGE] = 0xdc322fu,
    [FRAME_CLASS_BOOT_MODULE] = 0xff8c00u,   [FRAME_CLASS_KERNEL] = 0x965ac8u,
    [FRAME_CLASS_PAGE_TABLE] = 0xf0dc28u,    [FRAME_CLASS_ZERO_PAGE] = 0xffffffu,
    [FRAME_CLASS_USER] = 0x3cb44bu,          [FRAME_CLASS_COW_SHARED] = 0xff50a0u,
    [FRAME_CLASS_SHARED_MEMORY] = 0x00c8dcu, [FRAME_CLASS_FREE] = 0x181c30u,
};

/* A process's own frames: a colour per pid, cycling (tools/framemap.py's USER_COLOURS). */
static const uint32_t user_colours[] = { 0x3cb44bu, 0x4682ffu, 0xaae65au,
                                         0x008c78u, 0x78beffu, 0x1e6432u };
#define USER_COLOURS (sizeof user_colours / sizeof user_colours[0])

void draw_load_font(void)
{
    vga_read_font(font);
}

void draw_rect(const struct framebuffer *fb, unsigned x, unsigned y, unsigned w, unsigned h,
               uint32_t colour)
{
    for (unsigned row = y; row < y + h && row < fb->height; row++) {
        volatile uint32_t *line = fb->pixels + (uint64_t)row * fb->width;
        for (unsigned col = x; col < x + w && col < fb->width; col++)
            line[col] = colour;
    }
}

static void draw_char(const struct framebuffer *fb, unsigned x, unsigned y, uint8_t c,
                      uint32_t colour)
{
    for (unsigned row = 0; row < FONT_HEIGHT && y + row < fb->height; row++) {
        volatile uint32_t *line = fb->pixels + (uint64_t)(y + row) * fb->width + x;
        uint8_t bits = font[c][row];
        for (unsigned col = 0; col < FONT_WIDTH; col++)
            line[col] = bits & (0x80 >> col) ? colour : COLOUR_BACKGROUND;
    }
}

unsigned draw_text(const struct framebuffer *fb, unsigned x, unsigned y, const char *text,
                   uint32_t colour)
{
    for (; *text != '\0' && x + FONT_WIDTH <= fb->width; text++, x += FONT_WIDTH)
        draw_char(fb, x, y, (uint8_t)*text, colour);
    return x;
}

uint32_t frame_class_colour(enum frame_class class)
{
    return class < FRAME_CLASS_COUNT ? class_colours[class] : COLOUR_BACKGROUND;
}

uint32_t user_pid_colour(int pid)
{
    return user_colours[(unsigned)(pid - 1) % USER_COLOURS];
}

uint32_t frame_colour(const struct frame_owner *o)
{
    if (o->class == FRAME_CLASS_USER && o->pid > 0)
        return user_pid_colour(o->pid);
    return frame_class_colour(o->class);
}
