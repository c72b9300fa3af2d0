/*
 * timer.h — the two timers: the periodic tick and the one-shot deadline.
 *
 * The 8254 PIT raises IRQ 0 TIMER_HZ times per second (every 10 ms). The tick
 * count is the kernel's coarse clock; the scheduler uses it for time slices and
 * CPU-time accounting.
 *
 * Sleeps and timeouts need better than 10 ms: a process sleeping until time T
 * (on the nanosecond clock of clock.h) asks timer_wake_at(T), and the local
 * APIC's one-shot timer (lapic.h) interrupts at T, when the scheduler wakes
 * every sleeper whose time has come (sched_expire). Only the earliest moment
 * anyone waits for is ever set; each interrupt sets the next one.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

#include "trap.h"

#define TIMER_HZ    100
#define NO_DEADLINE UINT64_MAX /* a moment that never comes */

void timer_init(void);      /* program the PIT and register the IRQ 0 handler */
uint64_t timer_ticks(void); /* ticks since timer_init */

/* Start the one-shot timer (after clock_calibrate). Without a local APIC the
 * deadlines are looked at on each PIT tick only. */
void timer_deadline_init(void);

/* Interrupt at deadline_ns (monotonic nanoseconds), unless an interrupt comes
 * before then anyway. Interrupts off. */
void timer_wake_at(uint64_t deadline_ns);

/* The APIC timer's interrupt (trap.c, vector LAPIC_TIMER_VECTOR). */
void timer_deadline_interrupt(struct trap_frame *frame);

#endif
