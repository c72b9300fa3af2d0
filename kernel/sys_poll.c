/*
 * sys_poll.c — poll, ppoll, select, pselect6: wait until one of several
 * descriptors is ready, or a time limit passes (kernel/poll.h: readiness and
 * the channel the waiters sleep on).
 *
 * All four do the same thing in two formats: poll takes an array of
 * { fd, events, revents }, select three bitmaps (read, write, exceptional) of
 * nfds bits. Each looks at every descriptor once with interrupts off, so that
 * no poll_notify can come between the look and the sleep, and sleeps if none is
 * ready. The time left is written back where Linux writes it (ppoll's timespec,
 * select's and pselect6's timeout).
 */
#include <stddef.h>

#include "clock.h"
#include "cpu.h"
#include "errno.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "poll.h"
#include "proc.h"
#include "signal_delivery.h"
#include "syscall.h"
#include "timer.h"
#include "x86.h"

#define NS_PER_SEC   1000000000ul
#define NS_PER_MS    1000000ul
#define NS_PER_US    1000ul
#define SIGSET_BYTES 8 /* the kernel's sigset_t: 64 signals */

/* select's event sets: what counts as "readable", "writable", "exceptional"
 * (Linux's POLLIN_SET, POLLOUT_SET, POLLEX_SET): a hung-up pipe is readable (a
 * read returns 0 at once), a pipe whose reader left is writable (EPIPE at once). */
#define SELECT_READ   (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_WRITE  (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EXCEPT POLLPRI

struct linux_pollfd {
    int32_t fd;
    int16_t events, revents;
};

struct linux_timespec {
    int64_t sec, nsec;
};

struct linux_timeval {
    int64_t sec, usec;
};

/* ---- time limits ---- */

/* The moment relative time sec + nsec from now ends; NO_DEADLINE if too far. */
static uint64_t deadline_after(uint64_t sec, uint64_t nsec)
{
    uint64_t now = clock_monotonic_ns();
    if (sec >= (NO_DEADLINE - now) / NS_PER_SEC - 1)
        return NO_DEADLINE;
    return now + sec * NS_PER_SEC + nsec;
}

/* The time left until deadline, as a timespec (zero once it is past). */
static struct linux_timespec time_left(uint64_t deadline)
{
    uint64_t now = clock_monotonic_ns(), left = deadline > now ? deadline - now : 0;
    return (struct linux_timespec){ (int64_t)(left / NS_PER_SEC), (int64_t)(left % NS_PER_SEC) };
}

/* ---- waiting ---- */

/* One look at every descriptor, through one format's callback: the number ready. */
typedef int (*scan_fn)(void *request);

/* Look (scan) until something is ready or the deadline passes: the count ready
 * (0: time is up), or -ERESTARTNOHAND if a signal comes first (-EINTR when a
 * handler runs, else the call starts again, as on Linux, though Linux keeps the
 * deadline and vmlab starts the time limit afresh). (A system call runs with
 * interrupts off; they come in while it sleeps.) */
static long wait_ready(scan_fn scan, void *request, uint64_t deadline)
{
    struct proc *self = current_proc();
    long ready;
    for (;;) {
        cli(); /* a poll_notify from here on wakes the sleep below */
        ready = scan(request);
        if (ready != 0 || clock_monotonic_ns() >= deadline)
            break;
        if (signal_pending(self)) {
            ready = -ERESTARTNOHAND;
            break;
        }
        poll_wait(deadline);
    }
    return ready;
}

/* The events fd has, POLLNVAL if it is not open. Interrupts off. */
static uint32_t fd_events(int fd)
{
    struct file *f = fd_get(current_proc()->files, fd);
    if (f == NULL)
        return POLLNVAL;
    uint32_t events = file_poll(f);
    file_put(f); /* the table still holds it: never the last reference */
    return events;
}

/* ---- poll and ppoll ---- */

struct poll_request {
    struct linux_pollfd *fds;
    uint64_t count;
};

/* poll's look: each entry's revents are the events asked for that it has,
 * plus POLLERR and POLLHUP, which are always reported; a negative fd is skipped. */
static int poll_scan(void *request)
{
    struct poll_request *r = request;
    int ready = 0;
    for (uint64_t i = 0; i < r->count; i++) {
        struct linux_pollfd *pfd = &r->fds[i];
        uint32_t wanted = (uint16_t)pfd->events | POLLERR | POLLHUP | POLLNVAL;
        pfd->revents = pfd->fd < 0 ? 0 : (int16_t)(fd_events(pfd->fd) & wanted);
        ready += pfd->revents != 0;
    }
    return ready;
}

/* The common part of poll and ppoll: read the array (more entries than a process
 * may have descriptors is -EINVAL), wait, write every revents back (even when
 * interrupted, as Linux does). */
static long do_poll(vaddr_t user_fds, uint64_t count, uint64_t deadline)
{
    if (count > FD_MAX)
        return -EINVAL; /* Linux: more than RLIMIT_NOFILE */
    struct poll_request r = { kmalloc(count * sizeof *r.fds + 1), count };
    if (r.fds == NULL)
        return -ENOMEM;
    long result = -EFAULT;
    if (copy_from_user(r.fds, user_fds, count * sizeof *r.fds) == 0) {
        result = wait_ready(poll_scan, &r, deadline);
        for (uint64_t i = 0; i < count && result != -EFAULT; i++) {
            vaddr_t revents = user_fds + i * sizeof *r.fds + offsetof(struct linux_pollfd, revents);
            if (copy_to_user(revents, &r.fds[i].revents, sizeof r.fds[i].revents) != 0)
                result = -EFAULT;
        }
    }
    kfree(r.fds);
    return result;
}

/* poll(fds, nfds, timeout_ms): a negative timeout waits without limit, 0 only looks. */
long sys_poll(struct syscall_args a)
{
    int timeout_ms = (int)a.arg[2];
    uint64_t deadline = timeout_ms < 0 ? NO_DEADLINE
                                       : deadline_after((uint64_t)timeout_ms / 1000,
                                                        (uint64_t)timeout_ms % 1000 * NS_PER_MS);
    return do_poll(a.arg[0], a.arg[1], deadline);
}

/* ppoll's and pselect6's signal mask: while waiting, the process's blocked
 * signals are *user_mask (sigsetsize must be 8). 0, -EINVAL or -EFAULT. */
static long use_sigmask(vaddr_t user_mask, uint64_t sigsetsize)
{
    struct proc *p = current_proc();
    uint64_t mask;
    if (user_mask == 0)
        return 0;
    if (sigsetsize != SIGSET_BYTES)
        return -EINVAL;
    if (copy_from_user(&mask, user_mask, sizeof mask) != 0)
        return -EFAULT;
    p->saved_mask = p->blocked_signals;
    p->restore_mask = true;
    p->blocked_signals = mask & ~UNBLOCKABLE_SIGNALS;
    return 0;
}

/* After the wait: the mask goes back at once, unless a signal ended the wait.
 * Then it stays until the signal's handler frame has saved the old one (which
 * rt_sigreturn restores), so that the signal the mask let in is the one
 * handled: Linux's restore_saved_sigmask_unless(-ERESTARTNOHAND). */
static void end_sigmask(long result)
{
    struct proc *p = current_proc();
    if (!p->restore_mask || result == -ERESTARTNOHAND)
        return;
    p->blocked_signals = p->saved_mask;
    p->restore_mask = false;
}

/* The deadline of an optional user timespec (NULL: none), or an error: -EFAULT,
 * -EINVAL for a negative or out-of-range one. */
static long read_timespec_deadline(vaddr_t user, uint64_t *deadline)
{
    struct linux_timespec ts;
    *deadline = NO_DEADLINE;
    if (user == 0)
        return 0;
    if (copy_from_user(&ts, user, sizeof ts) != 0)
        return -EFAULT;
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NS_PER_SEC)
        return -EINVAL;
    *deadline = deadline_after((uint64_t)ts.sec, (uint64_t)ts.nsec);
    return 0;
}

/* ppoll(fds, nfds, timeout, sigmask, sigsetsize): poll with a timespec and a
 * signal mask; the time left is written back into the timespec (a write that
 * fails is ignored, as on Linux). */
long sys_ppoll(struct syscall_args a)
{
    uint64_t deadline;
    long error = read_timespec_deadline(a.arg[2], &deadline);
    if (error != 0)
        return error;
    error = use_sigmask(a.arg[3], a.arg[4]);
    if (error != 0)
        return error;
    long result = do_poll(a.arg[0], a.arg[1], deadline);
    end_sigmask(result);
    if (a.arg[2] != 0 && deadline != NO_DEADLINE) {
        struct linux_timespec left = time_left(deadline);
        (void)copy_to_user(a.arg[2], &left, sizeof left);
    }
    return result;
}

/* ---- select and pselect6 ---- */

#define FDSET_WORDS (FD_MAX / 64)

struct select_request {
    int nfds;
    uint64_t in[3][FDSET_WORDS];  /* read, write, exceptional: asked */
    uint64_t out[3][FDSET_WORDS]; /* found ready */
};

static const uint32_t select_events[3] = { SELECT_READ, SELECT_WRITE, SELECT_EXCEPT };

static bool bit_set(const uint64_t *set, int fd)
{
    return set[fd / 64] & (1ul << (fd % 64));
}

/* select's look: a descriptor counts once per set it is ready in. */
static int select_scan(void *request)
{
    struct select_request *r = request;
    int ready = 0;
    memset(r->out, 0, sizeof r->out);
    for (int fd = 0; fd < r->nfds; fd++) {
        if (!bit_set(r->in[0], fd) && !bit_set(r->in[1], fd) && !bit_set(r->in[2], fd))
            continue;
        uint32_t events = fd_events(fd);
        for (int set = 0; set < 3; set++) {
            if (bit_set(r->in[set], fd) && (events & select_events[set])) {
                r->out[set][fd / 64] |= 1ul << (fd % 64);
                ready++;
            }
        }
    }
    return ready;
}

/* Every fd named in a set must be open: else -EBADF before any waiting. */
static long check_select_fds(const struct select_request *r)
{
    for (int fd = 0; fd < r->nfds; fd++) {
        bool named = bit_set(r->in[0], fd) || bit_set(r->in[1], fd) || bit_set(r->in[2], fd);
        if (named && fd_events(fd) == POLLNVAL)
            return -EBADF;
    }
    return 0;
}

/* The common part of select and pselect6. The sets are nfds bits, rounded up to
 * 64-bit words; nfds beyond the descriptor table is cut to its size, as Linux
 * cuts it. On success the sets are rewritten with the ready descriptors. */
static long do_select(int nfds, const vaddr_t user_sets[3], uint64_t deadline)
{
    if (nfds < 0)
        return -EINVAL;
    struct select_request *r = kzalloc(sizeof *r);
    if (r == NULL)
        return -ENOMEM;
    r->nfds = nfds < FD_MAX ? nfds : FD_MAX;
    size_t bytes = (size_t)(r->nfds + 63) / 64 * 8;
    long result = 0;
    for (int set = 0; set < 3 && result == 0; set++) {
        if (user_sets[set] != 0 && copy_from_user(r->in[set], user_sets[set], bytes) != 0)
            result = -EFAULT;
    }
    if (result == 0)
        result = check_select_fds(r);
    if (result == 0)
        result = wait_ready(select_scan, r, deadline);
    for (int set = 0; set < 3 && result >= 0; set++) {
        if (user_sets[set] != 0 && copy_to_user(user_sets[set], r->out[set], bytes) != 0)
            result = -EFAULT;
    }
    kfree(r);
    return result;
}

/* select(nfds, readfds, writefds, exceptfds, timeout): timeout NULL waits without
 * limit; the time left is written back into it (Linux does, POSIX allows it). */
long sys_select(struct syscall_args a)
{
    uint64_t deadline = NO_DEADLINE;
    struct linux_timeval tv;
    if (a.arg[4] != 0) {
        if (copy_from_user(&tv, a.arg[4], sizeof tv) != 0)
            return -EFAULT;
        if (tv.sec < 0 || tv.usec < 0)
            return -EINVAL;
        /* a tv_usec of a million or more carries into seconds, as Linux allows */
        deadline = deadline_after((uint64_t)tv.sec + (uint64_t)tv.usec / 1000000,
                                  (uint64_t)tv.usec % 1000000 * NS_PER_US);
    }
    const vaddr_t sets[3] = { a.arg[1], a.arg[2], a.arg[3] };
    long result = do_select((int)a.arg[0], sets, deadline);
    if (a.arg[4] != 0 && deadline != NO_DEADLINE) {
        struct linux_timespec left = time_left(deadline);
        struct linux_timeval tv_left = { left.sec, left.nsec / (int64_t)NS_PER_US };
        (void)copy_to_user(a.arg[4], &tv_left, sizeof tv_left);
    }
    return result;
}

/* pselect6(nfds, readfds, writefds, exceptfds, timeout, {sigmask, sigsetsize}):
 * select with a timespec and a signal mask, passed as a pointer to a pair. */
long sys_pselect6(struct syscall_args a)
{
    uint64_t deadline;
    long error = read_timespec_deadline(a.arg[4], &deadline);
    if (error != 0)
        return error;
    struct {
        uint64_t mask, size;
    } sig = { 0, 0 };
    if (a.arg[5] != 0 && copy_from_user(&sig, a.arg[5], sizeof sig) != 0)
        return -EFAULT;
    error = use_sigmask(sig.mask, sig.size);
    if (error != 0)
        return error;
    const vaddr_t sets[3] = { a.arg[1], a.arg[2], a.arg[3] };
    long result = do_select((int)a.arg[0], sets, deadline);
    end_sigmask(result);
    if (a.arg[4] != 0 && deadline != NO_DEADLINE) {
        struct linux_timespec left = time_left(deadline);
        (void)copy_to_user(a.arg[4], &left, sizeof left);
    }
    return result;
}
