/*
 * sys_time.c — clock_gettime, nanosleep, getrusage, sched_yield.
 */
#include "clock.h"
#include "cpu.h"
#include "errno.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "rusage.h"
#include "sched.h"
#include "syscall.h"
#include "timer.h"
#include "x86.h"

#define NS_PER_SEC      1000000000l
#define NS_PER_TICK     (NS_PER_SEC / TIMER_HZ)
#define US_PER_TICK     (1000000l / TIMER_HZ)
#define SLEEP_FOREVER   UINT64_MAX  /* a sleep's end that never comes */
#define MAX_SLEEP_TICKS (1ul << 62) /* longer than any uptime; timer_ticks() + it cannot wrap */

enum clock_id {
    CLOCK_REALTIME = 0,
    CLOCK_MONOTONIC = 1,
    CLOCK_PROCESS_CPUTIME_ID = 2,
    CLOCK_THREAD_CPUTIME_ID = 3,
    CLOCK_MONOTONIC_RAW = 4,
    CLOCK_REALTIME_COARSE = 5,
    CLOCK_MONOTONIC_COARSE = 6,
    CLOCK_BOOTTIME = 7,
};

enum { RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1 };

struct linux_timespec {
    int64_t sec, nsec;
};

static struct linux_timespec to_timespec(uint64_t ns)
{
    return (struct linux_timespec){ (int64_t)(ns / NS_PER_SEC), (int64_t)(ns % NS_PER_SEC) };
}

long sys_clock_gettime(struct syscall_args a)
{
    struct proc *p = current_proc();
    uint64_t ns;
    switch ((int)a.arg[0]) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE: ns = clock_realtime_ns(); break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME: ns = clock_monotonic_ns(); break;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        ns = (p->times.user_ticks + p->times.system_ticks) * NS_PER_TICK;
        break;
    default: return -EINVAL;
    }
    struct linux_timespec ts = to_timespec(ns);
    return copy_to_user(a.arg[1], &ts, sizeof ts) == 0 ? 0 : -EFAULT;
}

/* When a sleep of `request` begun at `now` ends, on the monotonic clock; SLEEP_FOREVER
 * if that is beyond what 64 bits of nanoseconds hold (584 years): as on Linux, a
 * huge tv_sec sleeps until a signal, it does not wrap around into a short sleep. */
static uint64_t sleep_end(uint64_t now, const struct linux_timespec *request)
{
    uint64_t room = SLEEP_FOREVER - now; /* tv_sec >= 0 and tv_nsec in range: checked */
    if ((uint64_t)request->nsec >= room ||
        (uint64_t)request->sec >= (room - (uint64_t)request->nsec) / NS_PER_SEC)
        return SLEEP_FOREVER;
    return now + (uint64_t)request->sec * NS_PER_SEC + (uint64_t)request->nsec;
}

/* Timer ticks to sleep for the nanoseconds left: rounded up, so the sleep is never
 * shorter than asked, and bounded so that the wake-up tick cannot wrap. */
static uint64_t ticks_for(uint64_t ns_left)
{
    uint64_t ticks = ns_left / NS_PER_TICK + (ns_left % NS_PER_TICK != 0);
    return ticks < MAX_SLEEP_TICKS ? ticks : MAX_SLEEP_TICKS;
}

long sys_nanosleep(struct syscall_args a)
{
    struct linux_timespec request;
    if (copy_from_user(&request, a.arg[0], sizeof request) != 0)
        return -EFAULT;
    if (request.sec < 0 || request.nsec < 0 || request.nsec >= NS_PER_SEC)
        return -EINVAL;
    uint64_t now = clock_monotonic_ns();
    uint64_t end = sleep_end(now, &request);
    struct proc *self = current_proc();
    cli();
    /* Sleep in timer ticks; the TSC clock decides when the time is up, so the
     * sleep is never shorter than asked (measured with clock_gettime). */
    while ((now = clock_monotonic_ns()) < end) {
        if (self->pending_signals & ~self->blocked_signals) {
            struct linux_timespec left = to_timespec(end - now);
            if (a.arg[1] != 0 && copy_to_user(a.arg[1], &left, sizeof left) != 0)
                return -EFAULT;
            return -EINTR;
        }
        sleep_until_tick(timer_ticks() + ticks_for(end - now));
    }
    return 0;
}

long sys_sched_yield(struct syscall_args a)
{
    (void)a;
    cli();
    schedule();
    return 0;
}

struct usage proc_usage(const struct proc *p)
{
    uint64_t rss = p->as != NULL && p->as->max_rss > p->max_rss ? p->as->max_rss : p->max_rss;
    return (struct usage){ p->times, p->vm.minor_faults, p->vm.major_faults, rss };
}

void rusage_fill(struct linux_rusage *out, const struct usage *usage)
{
    const struct proc_times *t = &usage->times;
    *out = (struct linux_rusage){ 0 };
    out->minflt = (int64_t)usage->minor_faults;
    out->majflt = (int64_t)usage->major_faults;
    out->maxrss = (int64_t)(usage->max_rss_pages * PAGE_SIZE / 1024); /* in KiB */
    out->utime = (struct linux_timeval){ (int64_t)(t->user_ticks / TIMER_HZ),
                                         (int64_t)(t->user_ticks % TIMER_HZ) * US_PER_TICK };
    out->stime = (struct linux_timeval){ (int64_t)(t->system_ticks / TIMER_HZ),
                                         (int64_t)(t->system_ticks % TIMER_HZ) * US_PER_TICK };
}

long sys_getrusage(struct syscall_args a)
{
    struct proc *p = current_proc();
    struct linux_rusage ru;
    struct usage self;
    switch ((int)a.arg[0]) {
    case RUSAGE_SELF:
    case RUSAGE_THREAD:
        self = proc_usage(p);
        rusage_fill(&ru, &self);
        break;
    case RUSAGE_CHILDREN: rusage_fill(&ru, &p->children_usage); break;
    default: return -EINVAL;
    }
    return copy_to_user(a.arg[1], &ru, sizeof ru) == 0 ? 0 : -EFAULT;
}
