/*
 * lapic.h — the local APIC's timer: one interrupt at a chosen moment.
 *
 * The PIT (timer.c) ticks every 10 ms, so a sleep rounded to the tick lasts
 * 10 ms at least. Each CPU's local APIC has a timer of its own that can be set to
 * fire once, after any number of its counts: set for the moment the earliest
 * sleeper must wake, it ends a 1 ms sleep after 1 ms. Two ways to set it:
 *   - TSC-deadline mode (CPUID.1:ECX bit 24): write the TSC value to fire at into
 *     MSR_TSC_DEADLINE;
 *   - one-shot mode: write a count into the initial-count register; it counts
 *     down at the APIC's own rate (measured against the TSC at boot) and fires at 0.
 * The 8259 PICs keep delivering the other interrupts through the APIC's LINT0
 * pin ("virtual wire" mode), as at power-on.
 */
#ifndef KERNEL_LAPIC_H
#define KERNEL_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_TIMER_VECTOR    48   /* just above the PICs' 32..47 */
#define LAPIC_SPURIOUS_VECTOR 0xff /* an interrupt withdrawn while being delivered */

/* Find, map and enable the local APIC and measure its timer (the TSC clock must
 * be calibrated). False if there is none: sleeps then end on a PIT tick. */
bool lapic_init(void);

/* Fire LAPIC_TIMER_VECTOR once, when the monotonic clock (clock.h) reaches
 * deadline_ns, or as soon as possible if that is past. A one-shot count is
 * limited to 32 bits: the returned moment, when it really fires, may be earlier
 * than asked (then the caller sets it again). Replaces any earlier setting. */
uint64_t lapic_timer_fire_at(uint64_t deadline_ns);

/* Tell the APIC the interrupt being handled is done (its end of interrupt). */
void lapic_eoi(void);

#endif
