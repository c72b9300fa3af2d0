/*
 * poll.h — is a file ready? and waiting until one is (poll, select; sys_poll.c).
 *
 * Each kind of file answers "what could I do now without waiting?" with a mask
 * of events (its file_ops.poll): POLLIN (a read would not wait: data, or end of
 * file), POLLOUT (a write would not wait), POLLHUP (the other side is gone),
 * POLLERR (a write would fail). A file without a poll operation (a file on the
 * disk, /dev/null, /dev/zero) is always ready both ways, as on Linux.
 *
 * Waiting: every process in poll or select sleeps on ONE channel, poll_channel.
 * Whatever can make a file ready (a pipe's data, room, or closed end; a line
 * typed on the console) calls poll_notify(), which wakes them all; each looks at
 * its descriptors again and sleeps again if none is ready. That costs a useless
 * look now and then, for a mechanism that fits in a few lines (Linux instead puts
 * a waiter on a wait queue of each file it polls, and is woken by those alone).
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include <stdint.h>

struct file;

/* Linux's event bits (struct pollfd's events and revents). */
#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020 /* revents only: the descriptor is not open */
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200

/* A file with no poll operation: always readable and writable. */
#define POLL_ALWAYS_READY (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* The events f has now. Interrupts off; never sleeps. */
uint32_t file_poll(struct file *f);

/* A file may have become ready: every poll and select looks again. */
void poll_notify(void);

/* Sleep until poll_notify, a signal, or the monotonic clock reaches deadline_ns
 * (NO_DEADLINE: no time limit). Interrupts off; the caller looks again after. */
void poll_wait(uint64_t deadline_ns);

#endif
