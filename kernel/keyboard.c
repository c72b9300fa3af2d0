/*
 * keyboard.c — turning PS/2 scan codes into characters.
 *
 * Each key press and release arrives as a scan code at port 0x60 (set 1, as the
 * PS/2 controller translates them): the press code for a key, and that code with
 * bit 7 set when it is released. We track Shift and Ctrl and map the rest with a
 * US layout table.
 */
#include "keyboard.h"

#include <stdbool.h>
#include <stdint.h>

#include "framemap_view.h"
#include "irq.h"
#include "tty.h"
#include "x86.h"

#define KBD_DATA_PORT  0x60
#define RELEASED       0x80
#define SC_LEFT_SHIFT  0x2a
#define SC_RIGHT_SHIFT 0x36
#define SC_CTRL        0x1d

static const char plain[128] = {
    0,    27,  '1', '2', '3', '4', '5', '6', '7', '8', '9',  '0', '-', '=',  '\b',
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',  '[', ']', '\n', 0,
    'a',  's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
    'x',  'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',  0,   ' ',
};

static const char shifted[128] = {
    0,    27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',  '\b',
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,
    'A',  'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|',  'Z',
    'X',  'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

static bool shift, ctrl;

static void keyboard_interrupt(struct trap_frame *frame)
{
    (void)frame;
    uint8_t code = inb(KBD_DATA_PORT);
    if (framemap_view_key(code))
        return; /* F1-F4 and, in a view, Esc and Tab: kernel/framemap_view.h */
    bool released = code & RELEASED;
    uint8_t key = code & ~RELEASED;
    if (key == SC_LEFT_SHIFT || key == SC_RIGHT_SHIFT) {
        shift = !released;
        return;
    }
    if (key == SC_CTRL) {
        ctrl = !released;
        return;
    }
    char c = (shift ? shifted : plain)[key];
    if (released || c == 0)
        return;
    if (ctrl && c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 1); /* Ctrl-D = 4, Ctrl-C = 3 */
    else if (ctrl && c == '\\')
        c = 0x1c; /* Ctrl-backslash: SIGQUIT (kernel/tty.c) */
    tty_input(c);
}

void keyboard_init(void)
{
    irq_register(IRQ_KEYBOARD, keyboard_interrupt);
}
