/*
 * itimer.h — interval timers: alarm, setitimer, getitimer.
 *
 * Each process has Linux's three interval timers. When one runs out it raises a
 * signal and, if it has an interval, starts again with that:
 *   ITIMER_REAL     counts real time: SIGALRM (alarm(2) is this one in seconds).
 *                   It is a deadline on the monotonic clock, woken by the
 *                   one-shot timer (timer.h) like a sleep.
 *   ITIMER_VIRTUAL  counts the process's user time: SIGVTALRM;
 *   ITIMER_PROF     counts its user and system time: SIGPROF. These two are
 *                   charged a tick at a time, by the PIT tick that finds the
 *                   process running (as its CPU time is measured, rusage.h).
 * fork() gives the child none; execve() keeps them.
 */
#ifndef KERNEL_ITIMER_H
#define KERNEL_ITIMER_H

#include <stdbool.h>
#include <stdint.h>

enum itimer_which { ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2, ITIMER_COUNT = 3 };

struct itimer {
    uint64_t value_ns;    /* REAL: the monotonic moment it fires; others: CPU time left; 0: off */
    uint64_t interval_ns; /* started again with this after firing (0: once) */
};

struct proc;

/* Fire p's ITIMER_REAL if its moment has come (SIGALRM). Returns the moment it
 * fires next, or NO_DEADLINE (timer.h) if it is off. Interrupts off. */
uint64_t itimer_expire_real(struct proc *p, uint64_t now_ns);

/* One PIT tick of CPU time for p (in user mode or not): charge ITIMER_VIRTUAL
 * and ITIMER_PROF, firing them when they run out. */
void itimer_tick(struct proc *p, bool in_user_mode);

#endif
