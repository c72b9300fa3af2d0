/*
 * vga.c — text mode at physical 0xb8000.
 *
 * The screen is an array of 80 x 25 16-bit cells: low byte the character, high
 * byte the colour (background << 4 | foreground). We write the cells through the
 * direct map and move the blinking hardware cursor through the CRT controller.
 */
#include "vga.h"

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

static volatile uint16_t *screen;
static int row = FIRST_ROW, col;

static uint16_t cell(char c, uint8_t color)
{
    return (uint16_t)((uint8_t)c | (color << 8));
}

static void move_hardware_cursor(void)
{
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);
    outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    outb(CRTC_DATA, (uint8_t)(pos >> 8));
    outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    outb(CRTC_DATA, (uint8_t)pos);
}

static void clear_row(int r, uint8_t color)
{
    for (int c = 0; c < VGA_COLS; c++)
        screen[r * VGA_COLS + c] = cell(' ', color);
}

static void scroll_up(void)
{
    for (int r = FIRST_ROW; r < VGA_ROWS - 1; r++) {
        for (int c = 0; c < VGA_COLS; c++)
            screen[r * VGA_COLS + c] = screen[(r + 1) * VGA_COLS + c];
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
        screen[row * VGA_COLS + col] = cell(c, COLOR_TEXT);
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
        screen[c] = cell((size_t)c < len ? text[c] : ' ', COLOR_STATUS);
}
