/*
 * timer.c — the 8254 programmable interval timer, channel 0, and the one-shot
 * deadline on the local APIC's timer (timer.h).
 *
 * The PIT counts down from a divisor at 1,193,182 Hz and raises IRQ 0 each time it
 * wraps. Divisor 11932 gives 1193182 / 11932 = 99.998 interrupts per second.
 */
#include "timer.h"

#include <stdbool.h>

#include "clock.h"
#include "irq.h"
#include "lapic.h"
#include "printk.h"
#include "sched.h"
#include "x86.h"

#define PIT_INPUT_HZ     1193182
#define PIT_CHANNEL0     0x40
#define PIT_COMMAND      0x43
#define PIT_CH0_RATE_GEN 0x34 /* channel 0, low then high byte, mode 2 (rate generator) */

static volatile uint64_t ticks;
static bool have_deadline_timer;        /* the local APIC's timer works */
static uint64_t armed_at = NO_DEADLINE; /* when it fires next */

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

void timer_deadline_init(void)
{
    have_deadline_timer = lapic_init();
    if (!have_deadline_timer)
        kinfo("Timer: no local APIC timer; sleeps end on a PIT tick\n");
}

void timer_wake_at(uint64_t deadline_ns)
{
    /* an earlier interrupt is set: its handler will set this one after it */
    if (!have_deadline_timer || deadline_ns >= armed_at)
        return;
    armed_at = lapic_timer_fire_at(deadline_ns);
}

/* The moment has come: wake whoever's time is up, then set the timer for the
 * earliest moment still awaited. */
void timer_deadline_interrupt(struct trap_frame *frame)
{
    (void)frame;
    armed_at = NO_DEADLINE;
    lapic_eoi();
    timer_wake_at(sched_expire(clock_monotonic_ns()));
}
