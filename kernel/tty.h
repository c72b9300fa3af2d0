/*
 * tty.h — the console as user programs see it: fds 0, 1 and 2.
 *
 * Input is line by line ("canonical mode"): typed characters are echoed and
 * collected until Enter; Backspace erases; Ctrl-D ends input (a read returns 0
 * when the line is empty). A read sleeps until a whole line is there.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <stdbool.h>
#include <stddef.h>

/* Start input from the serial port (IRQ 4) and the keyboard (IRQ 1). If
 * separate_user_output, user output goes to COM2 only (tests/run-elf). */
void tty_init(bool separate_user_output);

/* One typed character (from an interrupt handler). */
void tty_input(char c);

/* Write user output to the console. */
void tty_write(const char *bytes, size_t n);

/* Read up to n bytes of the current line into buf (a kernel buffer), sleeping
 * until a line is complete. Returns the count (0 at end of input), or -EINTR if
 * a signal arrived while waiting. */
long tty_read(char *buf, size_t n);

#endif
