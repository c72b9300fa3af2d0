/*
 * signal_delivery.c — what happens to a pending signal.
 */
#include "signal_delivery.h"

#include "cpu.h"
#include "sched.h"

void signal_raise(struct proc *p, int sig)
{
    p->pending_signals |= signal_bit(sig);
    if (p->state == PROC_SLEEPING && (signal_bit(sig) & ~p->blocked_signals))
        p->state = PROC_RUNNABLE; /* interrupt the sleep; the syscall re-checks */
}

void signal_act_on_pending(void)
{
    struct proc *p = current_proc();
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
