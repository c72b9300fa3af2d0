/*
 * ratelimit.h — at most a burst of messages per interval, like Linux's printk_ratelimit.
 *
 * A message that a user program can trigger at will (an unknown system call, say,
 * from a fuzzer making thousands a second) must not flood the console or slow the
 * kernel to the console's speed. Each place that prints such a message keeps a
 * struct ratelimit: within one interval the first `burst` messages are printed and
 * the rest only counted; the first message allowed in a later interval is preceded
 * by one summary line,
 *
 *     syscall: 19990 messages suppressed
 */
#ifndef KERNEL_RATELIMIT_H
#define KERNEL_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "timer.h"

struct ratelimit {
    uint64_t interval_ticks; /* the length of one interval */
    uint64_t burst;          /* messages printed per interval */
    uint64_t window_start;   /* the tick the current interval began */
    uint64_t printed;        /* messages printed in it */
    uint64_t suppressed;     /* messages dropped since the last summary */
};

/* Linux's defaults (printk_ratelimit): 10 messages per 5 seconds. */
#define RATELIMIT_DEFAULT_TICKS (5 * TIMER_HZ)
#define RATELIMIT_DEFAULT_BURST 10

/* May the caller print its message now? Counts it either way. When a new interval
 * begins after suppressed messages, prints "<who>: N messages suppressed" first. */
bool ratelimit_allow(struct ratelimit *limit, const char *who);

#endif
