/*
 * ratelimit.c — a burst of messages per interval (see ratelimit.h).
 */
#include "ratelimit.h"

#include "clock.h"
#include "printk.h"
#include "timer.h"

#define NS_PER_SEC 1000000000ul

/* Open a new interval at `now`, first saying how many messages the last ones dropped. */
static void start_interval(struct ratelimit *limit, uint64_t now, const char *who)
{
    if (limit->suppressed > 0)
        kprintf("%s: %lu messages suppressed\n", who, limit->suppressed);
    limit->window_start = now;
    limit->printed = 0;
    limit->suppressed = 0;
}

bool ratelimit_allow(struct ratelimit *limit, const char *who)
{
    /* ticks of the TSC clock, not timer interrupts counted: QEMU drops PIT
     * interrupts when the host is busy, and the interval is one of real time */
    uint64_t now = clock_monotonic_ns() / (NS_PER_SEC / TIMER_HZ);
    if (now - limit->window_start >= limit->interval_ticks)
        start_interval(limit, now, who);
    if (limit->printed < limit->burst) {
        limit->printed++;
        return true;
    }
    limit->suppressed++;
    return false;
}
