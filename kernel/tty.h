/*
 * tty.h — the console as user programs see it: /dev/console, init's fds 0, 1, 2.
 *
 * Input is line by line by default ("canonical mode"): typed characters are echoed
 * and collected until Enter; Backspace erases, Ctrl-U kills the line; Ctrl-D ends
 * input (a read returns 0 when the line is empty). A read sleeps until a whole line
 * is there. A program may switch to non-canonical ("raw") mode with TCSETS: then
 * each byte is handed over as it comes, echoed or not, and VMIN/VTIME say when a
 * read returns (tty.c).
 * Ctrl-C and Ctrl-\ send SIGINT and SIGQUIT to the foreground process group
 * (kernel/pgrp.h) while ISIG is on.
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

/* Read up to n bytes of input into buf (a kernel buffer): in canonical mode at
 * most one line, sleeping until a line is complete; in raw mode as VMIN and VTIME
 * say. Returns the count (0 at end of input, or when VMIN is 0 and nothing came),
 * or -ERESTARTSYS if a signal arrived while waiting (nothing read). A process of
 * a background group is stopped by SIGTTIN first (-EIO if it ignores it or its
 * group is orphaned). */
long tty_read(char *buf, size_t n);

/* Would tty_read return without sleeping (input waiting, or the end of input)?
 * Interrupts off. For poll and select. */
bool tty_input_ready(void);

/* The terminal's ioctls: TCGETS (its struct termios), TCSETS, TCSETSW and TCSETSF
 * (new settings: ICANON, ECHO, ECHOE, ECHOK, ECHONL, ISIG, ICRNL, INLCR, IGNCR,
 * OPOST|ONLCR, VMIN, VTIME and the editing keys are honoured), TIOCGWINSZ
 * (80 x 25), and job control: TIOCGPGRP/TIOCSPGRP (the foreground group),
 * TIOCGSID, TIOCSCTTY, TIOCNOTTY (kernel/pgrp.h), with Linux's errors (-ENOTTY
 * when the console is not the caller's controlling terminal). 0, -EFAULT for a bad arg, -ENOTTY for
 * any other request (as Linux answers an unknown one). */
long tty_ioctl(uint32_t request, vaddr_t arg);

/* The console becomes the controlling terminal of session sid with foreground
 * group pgid (0, 0: of nobody). */
void tty_set_session(int sid, int pgid);

/* The session the console belongs to, and its foreground group (0: none). */
int tty_session(void);
int tty_foreground(void);

#endif
