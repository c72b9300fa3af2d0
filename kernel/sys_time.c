/*
 * sys_time.c — clock_gettime, clock_getres, gettimeofday, time, nanosleep,
 * clock_nanosleep, times, getrusage, sched_yield.
 */
#include "clock.h"
#include "cpu.h"
#include "errno.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "rusage.h"
#include "sched.h"
#include "signal_delivery.h"
#include "syscall.h"
#include "timer.h"
#include "x86.h"

#define NS_PER_SEC    1000000000l
#define NS_PER_TICK   (NS_PER_SEC / TIMER_HZ)
#define US_PER_TICK   (1000000l / TIMER_HZ)
#define TIMER_ABSTIME 1 /* clock_nanosleep: the request is a moment, not a duration */

enum clock_id {
    CLOCK_REALTIME = 0,
    CLOCK_MONOTONIC = 1,
    CLOCK_PROCESS_CPUTIME_ID = 2,
    CLOCK_THREAD_CPUTIME_ID = 3,
    CLOCK_MONOTONIC_RAW = 4,
    CLOCK_REALTIME_COARSE = 5,
    CLOCK_MONOTONIC_COARSE = 6,
    CLOCK_BOOTTIME = 7,
    CLOCK_REALTIME_ALARM = 8,
    CLOCK_BOOTTIME_ALARM = 9,
    CLOCK_TAI = 11, /* atomic time: Linux keeps its offset 0 until NTP sets it */
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
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI: ns = clock_realtime_ns(); break;
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

/* clock_getres(clock, res): how fine the clock's readings are. vmlab reads the
 * wall and monotonic clocks (the coarse ones too) to the nanosecond, as Linux's
 * high-resolution timers do: 1 ns. The CPU-time clocks say 1 ns too, as Linux's
 * (posix_cpu_clock_getres: a clock read from the scheduler's clock claims 1 ns,
 * whatever it really counts; vmlab's counts timer ticks). -EINVAL for an unknown
 * clock; res may be NULL. */
long sys_clock_getres(struct syscall_args a)
{
    switch ((int)a.arg[0]) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID: break;
    default: return -EINVAL;
    }
    struct linux_timespec res = { 0, 1 };
    if (a.arg[1] != 0 && copy_to_user(a.arg[1], &res, sizeof res) != 0)
        return -EFAULT;
    return 0;
}

/* gettimeofday(tv, tz): the wall clock in seconds and microseconds; tz, the old
 * time-zone record, is zeros (nobody sets one: Linux's too, on a clock kept in
 * UTC). Either may be NULL. Programs usually read both this and time() from the
 * vDSO, which vmlab does not map: glibc's static programs (busybox) then make
 * the system call. */
long sys_gettimeofday(struct syscall_args a)
{
    uint64_t ns = clock_realtime_ns();
    struct {
        int64_t sec, usec;
    } tv = { (int64_t)(ns / NS_PER_SEC), (int64_t)(ns % NS_PER_SEC / 1000) };
    struct {
        int32_t minuteswest, dsttime;
    } tz = { 0, 0 };
    if (a.arg[0] != 0 && copy_to_user(a.arg[0], &tv, sizeof tv) != 0)
        return -EFAULT;
    if (a.arg[1] != 0 && copy_to_user(a.arg[1], &tz, sizeof tz) != 0)
        return -EFAULT;
    return 0;
}

/* time(tloc): the seconds since the epoch, stored at tloc too unless it is NULL
 * (-EFAULT if it cannot be). */
long sys_time(struct syscall_args a)
{
    int64_t seconds = (int64_t)(clock_realtime_ns() / NS_PER_SEC);
    if (a.arg[0] != 0 && copy_to_user(a.arg[0], &seconds, sizeof seconds) != 0)
        return -EFAULT;
    return seconds;
}

/* When a sleep of `request` begun at `now` ends, on the monotonic clock; NO_DEADLINE
 * if that is beyond what 64 bits of nanoseconds hold (584 years): as on Linux, a
 * huge tv_sec sleeps until a signal, it does not wrap around into a short sleep. */
static uint64_t sleep_end(uint64_t now, const struct linux_timespec *request)
{
    uint64_t room = NO_DEADLINE - now; /* tv_sec >= 0 and tv_nsec in range: checked */
    if ((uint64_t)request->nsec >= room ||
        (uint64_t)request->sec >= (room - (uint64_t)request->nsec) / NS_PER_SEC)
        return NO_DEADLINE;
    return now + (uint64_t)request->sec * NS_PER_SEC + (uint64_t)request->nsec;
}

/* Sleep until the monotonic clock reaches end: true then, false if a signal
 * comes first (signal_pending: it acts on the way out). The one-shot timer wakes
 * the sleeper at end itself (timer.h), and the clock decides, so the sleep is
 * never shorter than asked. */
static bool sleep_until(uint64_t end)
{
    struct proc *self = current_proc();
    cli();
    while (clock_monotonic_ns() < end) {
        if (signal_pending(self))
            return false;
        sleep_on_deadline(&self->wake_ns, end);
    }
    return true;
}

/* A relative sleep of request on the monotonic clock. A signal ends it early
 * with the time left written to user address left (if not 0) and
 * -ERESTART_RESTARTBLOCK: -EINTR when a handler runs. (Linux would go on with the
 * time left if no handler runs; vmlab sleeps the whole request again.) */
static long sleep_for(const struct linux_timespec *request, uint64_t left)
{
    uint64_t end = sleep_end(clock_monotonic_ns(), request);
    if (sleep_until(end))
        return 0;
    uint64_t now = clock_monotonic_ns();
    struct linux_timespec rem = to_timespec(end > now ? end - now : 0);
    if (left != 0 && copy_to_user(left, &rem, sizeof rem) != 0)
        return -EFAULT;
    return -ERESTART_RESTARTBLOCK;
}

/* Read a sleep's timespec: 0, -EFAULT, or -EINVAL if out of range. */
static long read_request(uint64_t user, struct linux_timespec *request)
{
    if (copy_from_user(request, user, sizeof *request) != 0)
        return -EFAULT;
    if (request->sec < 0 || request->nsec < 0 || request->nsec >= NS_PER_SEC)
        return -EINVAL;
    return 0;
}

long sys_nanosleep(struct syscall_args a)
{
    struct linux_timespec request;
    long error = read_request(a.arg[0], &request);
    if (error != 0)
        return error;
    return sleep_for(&request, a.arg[1]);
}

/* Can clock_nanosleep sleep on this clock? 0; -EOPNOTSUPP for a clock Linux
 * reads but cannot sleep on (the calling thread's CPU time cannot pass while it
 * sleeps); -EINVAL for no such clock. */
static long check_sleep_clock(int clock)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
    case CLOCK_TAI: return 0;
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_REALTIME_ALARM: /* there is no wake-up alarm device */
    case CLOCK_BOOTTIME_ALARM:
    case CLOCK_THREAD_CPUTIME_ID: return -EOPNOTSUPP;
    default: return -EINVAL; /* nor on the process's CPU time (Linux can) */
    }
}

/* clock_nanosleep(clock, flags, request, left): a relative sleep as nanosleep, or
 * with TIMER_ABSTIME until the clock shows request (at once if it is past; no
 * time left is written). Other flag bits are ignored, as Linux ignores them. */
long sys_clock_nanosleep(struct syscall_args a)
{
    int clock = (int)a.arg[0];
    long error = check_sleep_clock(clock);
    struct linux_timespec request;
    if (error == 0)
        error = read_request(a.arg[2], &request);
    if (error != 0)
        return error;
    if (!(a.arg[1] & TIMER_ABSTIME))
        return sleep_for(&request, a.arg[3]);
    /* the real-time clock is the monotonic one shifted by a fixed offset */
    uint64_t offset =
        clock == CLOCK_REALTIME || clock == CLOCK_TAI ? clock_realtime_offset_ns() : 0;
    uint64_t end = sleep_end(0, &request);
    /* a signal: -EINTR if a handler runs, else the same moment is waited for again */
    return sleep_until(end > offset ? end - offset : 0) ? 0 : -ERESTARTNOHAND;
}

/* times(buf): the CPU time of the process and of its reaped children, in clock
 * ticks (USER_HZ, 100 a second, which is TIMER_HZ); returns the ticks since boot. */
long sys_times(struct syscall_args a)
{
    struct proc *p = current_proc();
    struct {
        int64_t utime, stime, cutime, cstime;
    } t = { (int64_t)p->times.user_ticks, (int64_t)p->times.system_ticks,
            (int64_t)p->children_usage.times.user_ticks,
            (int64_t)p->children_usage.times.system_ticks };
    if (a.arg[0] != 0 && copy_to_user(a.arg[0], &t, sizeof t) != 0)
        return -EFAULT;
    return (long)timer_ticks();
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
