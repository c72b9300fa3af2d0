/*
 * timer.c — the 8254 programmable interval timer, channel 0.
 *
 * The PIT counts down from a divisor at 1,193,182 Hz and raises IRQ 0 each time it
 * wraps. Divisor 11932 gives 1193182 / 11932 = 99.998 interrupts per second.
 */
#include "timer.h"

#include "irq.h"
#include "sched.h"
#include "x86.h"

#define PIT_INPUT_HZ     1193182
#define PIT_CHANNEL0     0x40
#define PIT_COMMAND      0x43
#define PIT_CH0_RATE_GEN 0x34 /* channel 0, low then high byte, mode 2 (rate generator) */

static volatile uint64_t ticks;

static void timer_interrupt(struct trap_frame *frame)
{
    ticks++;
    sched_tick(frame);
}

void timer_init(void)
{
    uint16_t divisor = (PIT_INPUT_HZ + TIMER_HZ / 2) / TIMER_HZ;
    outb(PIT_COMMAND, PIT_CH0_RATE_GEN);
    outb(PIT_CHANNEL0, (uint8_t)divisor);
    outb(PIT_CHANNEL0, (uint8_t)(divisor >> 8));
    irq_register(IRQ_TIMER, timer_interrupt);
}

uint64_t timer_ticks(void)
{
    return ticks;
}
