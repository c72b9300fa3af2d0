/*
 * itimer.c — alarm, setitimer, getitimer (itimer.h).
 */
#include "itimer.h"

#include "clock.h"
#include "cpu.h"
#include "errno.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "signal_delivery.h"
#include "syscall.h"
#include "timer.h"
#include "x86.h"

#define NS_PER_SEC  1000000000ul
#define NS_PER_USEC 1000ul
#define US_PER_SEC  1000000l
#define NS_PER_TICK (NS_PER_SEC / TIMER_HZ)
#define SIGVTALRM   26
#define SIGPROF     27

/* struct itimerval's halves, as Linux's x86-64 ABI has them. */
struct linux_timeval {
    int64_t sec, usec;
};
struct linux_itimerval {
    struct linux_timeval interval, value;
};

static const int itimer_signal[ITIMER_COUNT] = { SIGALRM, SIGVTALRM, SIGPROF };

/* ---- firing ---- */

uint64_t itimer_expire_real(struct proc *p, uint64_t now_ns)
{
    struct itimer *t = &p->itimers[ITIMER_REAL];
    if (t->value_ns == 0)
        return NO_DEADLINE;
    if (t->value_ns > now_ns)
        return t->value_ns;
    signal_raise(p, SIGALRM);
    /* the next period counts from now: a late interrupt must not fire a burst */
    t->value_ns = t->interval_ns != 0 ? now_ns + t->interval_ns : 0;
    return t->value_ns != 0 ? t->value_ns : NO_DEADLINE;
}

/* Charge one tick to a CPU-time timer; fire and reload it when it runs out. */
static void charge(struct proc *p, enum itimer_which which)
{
    struct itimer *t = &p->itimers[which];
    if (t->value_ns == 0)
        return;
    if (t->value_ns > NS_PER_TICK) {
        t->value_ns -= NS_PER_TICK;
        return;
    }
    signal_raise(p, itimer_signal[which]);
    t->value_ns = t->interval_ns;
}

void itimer_tick(struct proc *p, bool in_user_mode)
{
    if (in_user_mode)
        charge(p, ITIMER_VIRTUAL);
    charge(p, ITIMER_PROF);
}

/* ---- the system calls ---- */

static struct linux_timeval to_timeval(uint64_t ns)
{
    return (struct linux_timeval){ (int64_t)(ns / NS_PER_SEC),
                                   (int64_t)(ns % NS_PER_SEC / NS_PER_USEC) };
}

static bool timeval_valid(const struct linux_timeval *tv)
{
    return tv->sec >= 0 && tv->usec >= 0 && tv->usec < US_PER_SEC;
}

/* Nanoseconds in a valid timeval, saturating far beyond any uptime. */
static uint64_t timeval_ns(const struct linux_timeval *tv)
{
    uint64_t max_sec = (NO_DEADLINE / 2) / NS_PER_SEC;
    uint64_t sec = (uint64_t)tv->sec < max_sec ? (uint64_t)tv->sec : max_sec;
    return sec * NS_PER_SEC + (uint64_t)tv->usec * NS_PER_USEC;
}

/* What getitimer shows of timer which: the time left and the interval. A real
 * timer that is due but not yet fired shows 1 us left, as on Linux. */
static struct linux_itimerval itimer_get(const struct proc *p, enum itimer_which which)
{
    const struct itimer *t = &p->itimers[which];
    uint64_t left = t->value_ns;
    if (which == ITIMER_REAL && left != 0) {
        uint64_t now = clock_monotonic_ns();
        left = left > now ? left - now : NS_PER_USEC;
    }
    return (struct linux_itimerval){ to_timeval(t->interval_ns), to_timeval(left) };
}

/* Start (or stop, with a zero value) timer which; the interval is kept only
 * with a running timer, as Linux keeps it. */
static void itimer_set(struct proc *p, enum itimer_which which, const struct linux_itimerval *v)
{
    struct itimer *t = &p->itimers[which];
    uint64_t value = timeval_ns(&v->value);
    uint64_t flags = irq_save(); /* the timer interrupt reads these too */
    t->interval_ns = value != 0 ? timeval_ns(&v->interval) : 0;
    if (which == ITIMER_REAL && value != 0)
        value += clock_monotonic_ns(); /* a moment, not a duration */
    t->value_ns = value;
    if (which == ITIMER_REAL && value != 0)
        timer_wake_at(value);
    irq_restore(flags);
}

long sys_getitimer(struct syscall_args a)
{
    int which = (int)a.arg[0];
    if (which < 0 || which >= ITIMER_COUNT)
        return -EINVAL;
    struct linux_itimerval v = itimer_get(current_proc(), (enum itimer_which)which);
    return copy_to_user(a.arg[1], &v, sizeof v) == 0 ? 0 : -EFAULT;
}

/* setitimer(which, new, old): a NULL new stops the timer (as Linux does, with a
 * warning in its log). The old value is read before the new one is set. */
long sys_setitimer(struct syscall_args a)
{
    int which = (int)a.arg[0];
    struct linux_itimerval new_value = { 0 };
    if (a.arg[1] != 0 && copy_from_user(&new_value, a.arg[1], sizeof new_value) != 0)
        return -EFAULT;
    if (which < 0 || which >= ITIMER_COUNT)
        return -EINVAL;
    if (!timeval_valid(&new_value.value) || !timeval_valid(&new_value.interval))
        return -EINVAL;
    struct proc *p = current_proc();
    struct linux_itimerval old_value = itimer_get(p, (enum itimer_which)which);
    itimer_set(p, (enum itimer_which)which, &new_value);
    if (a.arg[2] != 0 && copy_to_user(a.arg[2], &old_value, sizeof old_value) != 0)
        return -EFAULT;
    return 0;
}

/* alarm(seconds): ITIMER_REAL without interval; returns the seconds the previous
 * alarm had left, rounded to the nearest and at least 1 if it was running (0
 * would mean "no alarm"), as Linux rounds. */
long sys_alarm(struct syscall_args a)
{
    struct proc *p = current_proc();
    struct linux_itimerval old_value = itimer_get(p, ITIMER_REAL);
    struct linux_itimerval new_value = { { 0, 0 }, { (int64_t)(uint32_t)a.arg[0], 0 } };
    itimer_set(p, ITIMER_REAL, &new_value);
    int64_t left = old_value.value.sec;
    if ((left == 0 && old_value.value.usec != 0) || old_value.value.usec >= US_PER_SEC / 2)
        left++;
    return left;
}
