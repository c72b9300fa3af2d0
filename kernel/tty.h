/*
 * tty.h — the console as user programs see it: /dev/console, init's fds 0, 1, 2.
 *
 * Input is line by line ("canonical mode"): typed characters are echoed and
 * collected until Enter; Backspace erases; Ctrl-D ends input (a read returns 0
 * when the line is empty). A read sleeps until a whole line is there.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/addr.h"

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

/* Would tty_read return without sleeping (a line or the end of input is there)?
 * Interrupts off. (poll and select; finish_line calls poll_notify.) */
bool tty_input_ready(void);

/* The terminal's ioctls: TCGETS (its struct termios: canonical input with echo,
 * as the line discipline above works) and TIOCGWINSZ (80 x 25). 0, -EFAULT for a
 * bad arg, -ENOTTY for any other request (as Linux answers an unknown one). */
long tty_ioctl(uint32_t request, vaddr_t arg);

#endif
