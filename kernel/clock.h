/*
 * clock.h — time: a nanosecond clock from the CPU's time-stamp counter.
 *
 * The TSC counts CPU cycles at a fixed rate; we measure that rate against the
 * timer interrupt once at boot (clock_calibrate), then any TSC reading converts
 * to nanoseconds. Wall-clock time comes from the CMOS real-time clock at boot.
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

/* Measure the TSC rate over a few timer ticks (interrupts must be on). */
void clock_calibrate(void);

/* Nanoseconds since clock_calibrate. */
uint64_t clock_monotonic_ns(void);

/* The TSC value at which clock_monotonic_ns() will read ns (for the APIC's
 * TSC-deadline timer). */
uint64_t clock_tsc_at(uint64_t ns);

/* Nanoseconds since 1970-01-01 00:00:00 UTC. */
uint64_t clock_realtime_ns(void);

/* clock_realtime_ns() - clock_monotonic_ns(): fixed, as the real time is never
 * set (an absolute real-time sleep becomes a monotonic one with it). */
uint64_t clock_realtime_offset_ns(void);

#endif
