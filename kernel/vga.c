/*
 * vga.c — text mode at physical 0xb8000.
 *
 * The screen is an array of 80 x 25 16-bit cells: low byte the character, high
 * byte the colour (background << 4 | foreground). We write the cells through the
 * direct map and move the blinking hardware cursor through the CRT controller.
 *
 * Every cell is also kept in a shadow copy in kernel memory: while a graphical
 * view has the screen (the frame map, kernel/framemap_view.c) the text goes on
 * into the shadow only, and vga_text_resume paints the screen from it again.
 * Switching to graphics (Bochs VBE) rewrites some VGA registers, so
 * vga_text_suspend saves them first and vga_text_resume puts them back.
 */
#include "vga.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"
#include "mm/addr.h"
#include "x86.h"

#define VGA_TEXT_PHYS 0xb8000
#define VGA_COLS      80
#define VGA_ROWS      25
#define FIRST_ROW     1 /* row 0 is the status bar */
#define TAB_WIDTH     8

#define COLOR_TEXT   0x07 /* light grey on black */
#define COLOR_STATUS 0x1f /* white on blue */

#define CRTC_INDEX       0x3d4
#define CRTC_DATA        0x3d5
#define CRTC_CURSOR_HIGH 0x0e
#define CRTC_CURSOR_LOW  0x0f
#define CRTC_VSYNC_END   0x11 /* bit 7: registers 0-7 write-protected */
#define CRTC_PROTECT     0x80
#define CRTC_REGISTERS   25
#define SEQ_INDEX        0x3c4
#define SEQ_DATA         0x3c5
#define SEQ_REGISTERS    5
#define GC_INDEX         0x3ce
#define GC_DATA          0x3cf
#define GC_REGISTERS     9

/* Reading the font: plane 2 holds 32 bytes per character, made visible at
 * 0xa0000 by planar access (sequencer: write plane 2, no odd/even; graphics
 * controller: read plane 2, no odd/even, memory map 0xa0000-0xaffff). */
#define VGA_PLANES_PHYS 0xa0000
#define FONT_SLOT_BYTES 32
#define SEQ_MAP_MASK    0x02
#define SEQ_MEMORY_MODE 0x04
#define GC_READ_MAP     0x04
#define GC_MODE         0x05
#define GC_MISC         0x06
#define PLANE_2         2
#define SEQ_PLANAR      0x06 /* extended memory, odd/even off */
#define GC_MAP_A0000    0x04 /* memory map 1 (0xa0000, 64 KiB), text mode */

static volatile uint16_t *screen;
static uint16_t shadow[VGA_ROWS * VGA_COLS]; /* what the screen shows, or will again */
static bool suspended;                       /* a graphical view has the screen */
static int row = FIRST_ROW, col;

struct vga_registers {
    uint8_t seq[SEQ_REGISTERS], gc[GC_REGISTERS], crtc[CRTC_REGISTERS];
};
static struct vga_registers saved;

/* Every text write goes through here: to the shadow, and to the screen if shown. */
static void set_cell(int index, uint16_t value)
{
    shadow[index] = value;
    if (!suspended)
        screen[index] = value;
}

static uint16_t cell(char c, uint8_t color)
{
    return (uint16_t)((uint8_t)c | (color << 8));
}

static void move_hardware_cursor(void)
{
    if (suspended)
        return;
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);
    outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    outb(CRTC_DATA, (uint8_t)(pos >> 8));
    outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    outb(CRTC_DATA, (uint8_t)pos);
}

static void clear_row(int r, uint8_t color)
{
    for (int c = 0; c < VGA_COLS; c++)
        set_cell(r * VGA_COLS + c, cell(' ', color));
}

static void scroll_up(void)
{
    for (int r = FIRST_ROW; r < VGA_ROWS - 1; r++) {
        for (int c = 0; c < VGA_COLS; c++)
            set_cell(r * VGA_COLS + c, shadow[(r + 1) * VGA_COLS + c]);
    }
    clear_row(VGA_ROWS - 1, COLOR_TEXT);
}

static void newline(void)
{
    col = 0;
    if (++row == VGA_ROWS) {
        scroll_up();
        row = VGA_ROWS - 1;
    }
}

static void put_char(char c)
{
    switch (c) {
    case '\n': newline(); break;
    case '\r': col = 0; break;
    case '\t':
        do
            put_char(' ');
        while (col % TAB_WIDTH != 0);
        break;
    case '\b':
        if (col > 0)
            col--;
        break;
    default:
        set_cell(row * VGA_COLS + col, cell(c, COLOR_TEXT));
        if (++col == VGA_COLS)
            newline();
    }
}

void vga_init(void)
{
    screen = phys_to_virt(VGA_TEXT_PHYS);
    for (int r = 0; r < VGA_ROWS; r++)
        clear_row(r, r == 0 ? COLOR_STATUS : COLOR_TEXT);
    row = FIRST_ROW;
    col = 0;
    move_hardware_cursor();
}

void vga_write(const char *bytes, size_t n)
{
    if (screen == NULL)
        return; /* not initialised yet */
    for (size_t i = 0; i < n; i++)
        put_char(bytes[i]);
    move_hardware_cursor();
}

void vga_set_status(const char *text)
{
    if (screen == NULL)
        return;
    size_t len = strnlen(text, VGA_COLS);
    for (int c = 0; c < VGA_COLS; c++)
        set_cell(c, cell((size_t)c < len ? text[c] : ' ', COLOR_STATUS));
}

static uint8_t read_indexed(uint16_t index_port, uint8_t index)
{
    outb(index_port, index);
    return inb((uint16_t)(index_port + 1));
}

static void write_indexed(uint16_t index_port, uint8_t index, uint8_t value)
{
    outb(index_port, index);
    outb((uint16_t)(index_port + 1), value);
}

static void save_registers(struct vga_registers *r)
{
    for (uint8_t i = 0; i < SEQ_REGISTERS; i++)
        r->seq[i] = read_indexed(SEQ_INDEX, i);
    for (uint8_t i = 0; i < GC_REGISTERS; i++)
        r->gc[i] = read_indexed(GC_INDEX, i);
    for (uint8_t i = 0; i < CRTC_REGISTERS; i++)
        r->crtc[i] = read_indexed(CRTC_INDEX, i);
}

/* The CRT controller's registers 0-7 are write-protected until bit 7 of
 * register 0x11 is cleared; that register itself goes back last. */
static void restore_registers(const struct vga_registers *r)
{
    for (uint8_t i = 0; i < SEQ_REGISTERS; i++)
        write_indexed(SEQ_INDEX, i, r->seq[i]);
    for (uint8_t i = 0; i < GC_REGISTERS; i++)
        write_indexed(GC_INDEX, i, r->gc[i]);
    write_indexed(CRTC_INDEX, CRTC_VSYNC_END, r->crtc[CRTC_VSYNC_END] & ~CRTC_PROTECT);
    for (uint8_t i = 0; i < CRTC_REGISTERS; i++) {
        if (i != CRTC_VSYNC_END)
            write_indexed(CRTC_INDEX, i, r->crtc[i]);
    }
    write_indexed(CRTC_INDEX, CRTC_VSYNC_END, r->crtc[CRTC_VSYNC_END]);
}

void vga_read_font(uint8_t font[VGA_FONT_CHARS][VGA_FONT_HEIGHT])
{
    struct vga_registers text;
    save_registers(&text);
    write_indexed(SEQ_INDEX, SEQ_MAP_MASK, 1 << PLANE_2);
    write_indexed(SEQ_INDEX, SEQ_MEMORY_MODE, SEQ_PLANAR);
    write_indexed(GC_INDEX, GC_READ_MAP, PLANE_2);
    write_indexed(GC_INDEX, GC_MODE, 0);
    write_indexed(GC_INDEX, GC_MISC, GC_MAP_A0000);
    const volatile uint8_t *plane = phys_to_virt(VGA_PLANES_PHYS);
    for (int c = 0; c < VGA_FONT_CHARS; c++) {
        for (int y = 0; y < VGA_FONT_HEIGHT; y++)
            font[c][y] = plane[c * FONT_SLOT_BYTES + y];
    }
    restore_registers(&text);
}

void vga_text_suspend(void)
{
    if (suspended || screen == NULL)
        return;
    save_registers(&saved);
    suspended = true;
}

void vga_text_resume(void)
{
    if (!suspended)
        return;
    restore_registers(&saved);
    suspended = false;
    for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
        screen[i] = shadow[i];
    move_hardware_cursor();
}
