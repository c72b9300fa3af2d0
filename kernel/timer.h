/*
 * timer.h — the periodic timer tick.
 *
 * The 8254 PIT raises IRQ 0 TIMER_HZ times per second (every 10 ms). The tick
 * count is the kernel's coarse clock; the scheduler will use it for preemption.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);      /* program the PIT and register the IRQ 0 handler */
uint64_t timer_ticks(void); /* ticks since timer_init */

#endif
