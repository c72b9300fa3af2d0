/*
 * keyboard.h — the PS/2 keyboard (the VGA window's keyboard under QEMU).
 */
#ifndef KERNEL_KEYBOARD_H
#define KERNEL_KEYBOARD_H

/* Register the IRQ 1 handler; each key press becomes a character for the tty. */
void keyboard_init(void);

#endif
