/*
 * sched.h — choosing which process runs: round robin, preemptive in user mode.
 *
 * The timer interrupt ends a process's turn: on the way back to user mode the
 * next runnable process gets the CPU. Processes waiting for something sleep on a
 * "channel" (any address that names the event) and are made runnable by a wakeup
 * on that channel. When nothing is runnable, the idle process halts the CPU until
 * the next interrupt. All of these are called with interrupts off.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "trap.h"

struct proc;

/* Give the CPU to the next runnable process (or idle); returns when the caller
 * runs again. The caller sets its own state first if it should not run again
 * soon (sleeping, zombie). */
void schedule(void);

/* Sleep until wakeup(channel); the caller re-checks its condition after. */
void sleep_on(const void *channel);

/* Sleep until the given tick (a timed sleep). */
void sleep_until_tick(uint64_t tick);

/* Sleep until wakeup(channel) or the given tick, whichever comes first. */
void sleep_on_until(const void *channel, uint64_t tick);

/* Sleep until wakeup(channel) or until the monotonic clock (clock.h) reaches
 * deadline_ns, whichever comes first, woken at that moment by the one-shot
 * timer (timer.h), not at the next tick. The caller re-checks its condition. */
void sleep_on_deadline(const void *channel, uint64_t deadline_ns);

/* The timers' work at time now_ns (monotonic): wake the sleepers whose deadline
 * has come, fire the interval timers due (itimer.h). Returns the earliest
 * deadline still ahead (NO_DEADLINE: none), for the one-shot timer. */
uint64_t sched_expire(uint64_t now_ns);

/* Make every process sleeping on channel runnable. */
void wakeup(const void *channel);

/* Make a process runnable for the first time. */
void sched_start(struct proc *p);

/* The timer's per-tick work: time accounting, timed wakeups, preemption. */
void sched_tick(const struct trap_frame *frame);

/* On the way back to user mode: take the CPU away if the turn is over. */
void sched_preempt_point(void);

/* The idle loop (pid 0): never returns. */
void sched_idle(void) __attribute__((noreturn));

#endif
