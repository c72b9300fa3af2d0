/*
 * signal_delivery.c — what happens to a pending signal.
 */
#include "signal_delivery.h"

#include "cpu.h"
#include "printk.h"
#include "sched.h"

/* Would p ignore sig right now (SIG_IGN, or SIG_DFL for a signal whose default is
 * to ignore)? A blocked signal is not ignored yet: the action may change before it
 * is unblocked. SIGKILL's action is always SIG_DFL, so it is never ignored. */
static bool ignores_now(const struct proc *p, int sig)
{
    if (signal_bit(sig) & p->blocked_signals)
        return false;
    uint64_t handler = p->actions[sig - 1].handler;
    return handler == SIG_IGN || (handler == SIG_DFL && signal_default_ignores(sig));
}

void signal_raise(struct proc *p, int sig)
{
    /* As on Linux, an ignored signal is thrown away here: kept pending, it would
     * wake a sleep in wait4 or nanosleep only to end it with -EINTR. */
    if (ignores_now(p, sig))
        return;
    p->pending_signals |= signal_bit(sig);
    if (p->state == PROC_SLEEPING && (signal_bit(sig) & ~p->blocked_signals))
        p->state = PROC_RUNNABLE; /* interrupt the sleep; the syscall re-checks */
}

void signal_force(const struct forced_signal *forced)
{
    struct proc *p = current_proc();
    if (p->forced.signal == 0)
        p->forced = *forced; /* the first fault is the one that explains the death */
}

/* A forced signal ends the process (handlers are not run yet): the one line. */
static void act_on_forced(struct proc *p)
{
    kprintf("pid %d (%s): killed by %s: %s\n", p->pid, p->name, signal_name(p->forced.signal),
            p->forced.reason);
    proc_exit(wait_status_signaled(p->forced.signal));
}

void signal_act_on_pending(void)
{
    struct proc *p = current_proc();
    if (p->forced.signal != 0)
        act_on_forced(p);
    uint64_t deliverable = p->pending_signals & ~(p->blocked_signals & ~UNBLOCKABLE_SIGNALS);
    for (int sig = 1; sig <= NSIG && deliverable != 0; sig++) {
        if (!(deliverable & signal_bit(sig)))
            continue;
        deliverable &= ~signal_bit(sig);
        uint64_t handler = p->actions[sig - 1].handler;
        if (sig != SIGKILL && handler != SIG_DFL && handler != SIG_IGN)
            continue; /* a user handler: not delivered yet, stays pending */
        p->pending_signals &= ~signal_bit(sig);
        if (sig != SIGKILL && (handler == SIG_IGN || signal_default_ignores(sig)))
            continue;
        proc_exit(wait_status_signaled(sig));
    }
}
