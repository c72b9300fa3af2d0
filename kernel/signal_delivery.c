/*
 * signal_delivery.c — what happens to a pending signal.
 *
 * Raising only marks a signal pending (and wakes a sleeping process so that its
 * system call notices). The action happens when the process is about to return to
 * user mode (signal_act_on_pending): ignore, terminate, or run the handler on a
 * frame pushed onto the user stack (signal_frame.c). A system call that a signal
 * interrupted is turned into -EINTR or restarted here, because only here is it
 * known whether a handler runs and with which flags.
 */
#include "signal_delivery.h"

#include "cpu.h"
#include "errno.h"
#include "lib/string.h"
#include "printk.h"
#include "sched.h"
#include "signal_frame.h"

/* Would p ignore sig right now (SIG_IGN, or SIG_DFL for a signal whose default is
 * to ignore)? A blocked signal is not ignored yet: the action may change before it
 * is unblocked (rt_sigtimedwait waits for blocked ones; an unblocked SIGCHLD left
 * at SIG_DFL is discarded even then, as on Linux). SIGKILL's action is always
 * SIG_DFL, so it is never ignored. */
static bool ignores_now(const struct proc *p, int sig)
{
    if (signal_bit(sig) & p->blocked_signals)
        return false;
    uint64_t handler = p->actions[sig - 1].handler;
    return handler == SIG_IGN || (handler == SIG_DFL && signal_default_ignores(sig));
}

/* ---- job control: stopping and continuing ---- */

#define STOP_SIGNALS                                                                               \
    (signal_bit(SIGSTOP) | signal_bit(SIGTSTP) | signal_bit(SIGTTIN) | signal_bit(SIGTTOU))

/* SIGCONT or SIGKILL was sent: a stopped process runs again, at once (Linux does
 * this when the signal is sent, not when it is delivered: a handler for SIGCONT
 * runs only after the process is going again). */
static void resume(struct proc *p)
{
    p->pending_signals &= ~STOP_SIGNALS;
    if (!p->stopped)
        return;
    p->stopped = false;
    p->stop_unreported = false;
    p->continue_unreported = true;
    wakeup(&p->stopped);
    proc_notify_parent(p, CLD_CONTINUED, SIGCONT);
}

/* The default action of a stop signal: tell the parent, then sleep here, on the
 * way to user mode, until resume() (SIGCONT, SIGKILL). */
static void stop(struct proc *p, int sig)
{
    p->stopped = true;
    p->stop_signal = sig;
    p->stop_unreported = true;
    p->continue_unreported = false;
    proc_notify_parent(p, CLD_STOPPED, sig);
    while (p->stopped)
        sleep_on(&p->stopped);
}

void signal_send(struct proc *p, int sig, const struct signal_info *info)
{
    if (p->kthread)
        return; /* a kernel thread has no user mode to act on a signal (as on Linux) */
    if (sig == SIGCONT || sig == SIGKILL)
        resume(p);
    else if (signal_bit(sig) & STOP_SIGNALS)
        p->pending_signals &= ~signal_bit(SIGCONT); /* the later of the two wins */
    /* As on Linux, an ignored signal is thrown away here: kept pending, it would
     * wake a sleep in wait4 or nanosleep only to end it with -EINTR. */
    if (ignores_now(p, sig))
        return;
    uint64_t bit = signal_bit(sig);
    if (!(p->pending_signals & bit))
        p->pending_info[sig - 1] = *info;
    else if (sig >= SIGRTMIN && p->rt_queued < RT_QUEUE_MAX)
        p->rt_queue[p->rt_queued++] = (struct queued_signal){ sig, *info };
    /* (a standard signal sent again while pending merges into the pending one) */
    p->pending_signals |= bit;
    /* interrupt the sleep; the system call re-checks. (A process being made by
     * fork is SLEEPING with no channel until sched_start: it must not run yet.) */
    if (p->state == PROC_SLEEPING && p->wait_channel != NULL &&
        (bit & (~p->blocked_signals | p->waited_signals)))
        p->state = PROC_RUNNABLE;
}

void signal_raise(struct proc *p, int sig)
{
    struct signal_info info = { .code = SI_KERNEL };
    signal_send(p, sig, &info);
}

struct signal_info signal_dequeue(struct proc *p, int sig)
{
    struct signal_info info = p->pending_info[sig - 1];
    p->pending_signals &= ~signal_bit(sig);
    for (int i = 0; i < p->rt_queued; i++) {
        if (p->rt_queue[i].sig != sig)
            continue;
        p->pending_info[sig - 1] = p->rt_queue[i].info; /* the next one is pending now */
        p->pending_signals |= signal_bit(sig);
        memmove(&p->rt_queue[i], &p->rt_queue[i + 1],
                (size_t)(p->rt_queued - i - 1) * sizeof p->rt_queue[0]);
        p->rt_queued--;
        break;
    }
    return info;
}

void signal_discard(struct proc *p, int sig)
{
    p->pending_signals &= ~signal_bit(sig);
    int kept = 0;
    for (int i = 0; i < p->rt_queued; i++) {
        if (p->rt_queue[i].sig != sig)
            p->rt_queue[kept++] = p->rt_queue[i];
    }
    p->rt_queued = kept;
}

bool signal_pending(const struct proc *p)
{
    return p->forced.signal != 0 ||
           (p->pending_signals & ~(p->blocked_signals & ~UNBLOCKABLE_SIGNALS)) != 0;
}

void signal_force(const struct forced_signal *forced)
{
    struct proc *p = current_proc();
    if (p->forced.signal == 0)
        p->forced = *forced; /* the first fault is the one that explains the death */
}

/* ---- interrupted system calls ---- */

/* Run the interrupted system call again: back over the 2-byte `syscall`, with
 * its number in RAX again (the arguments are still in their registers). */
static void restart_syscall(struct proc *p, struct trap_frame *frame)
{
    frame->rax = (uint64_t)p->syscall_nr;
    frame->rip -= 2;
}

/* The call returned a restart code because a signal came: now that a handler is
 * about to run with `flags`, decide (Linux's rules, signal(7) "Interruption of
 * system call and library functions by signal handlers"). */
static void syscall_interrupted_by_handler(struct proc *p, struct trap_frame *frame, uint64_t flags)
{
    if (p->syscall_nr < 0)
        return;
    switch ((long)frame->rax) {
    case -ERESTARTSYS:
        if (flags & SA_RESTART) {
            restart_syscall(p, frame);
            break;
        }
        frame->rax = (uint64_t)-EINTR;
        break;
    case -ERESTARTNOHAND:
    case -ERESTART_RESTARTBLOCK: frame->rax = (uint64_t)-EINTR; break;
    case -ERESTARTNOINTR: restart_syscall(p, frame); break;
    }
    p->syscall_nr = -1; /* decided: a second handler's frame changes nothing */
}

/* No handler ran: a call interrupted for nothing visible runs again. */
static void syscall_interrupted_for_nothing(struct proc *p, struct trap_frame *frame)
{
    if (p->syscall_nr < 0)
        return;
    switch ((long)frame->rax) {
    case -ERESTARTSYS:
    case -ERESTARTNOHAND:
    case -ERESTARTNOINTR: restart_syscall(p, frame); break;
    case -ERESTART_RESTARTBLOCK: frame->rax = (uint64_t)-EINTR; break;
    }
    p->syscall_nr = -1;
}

/* ---- acting ---- */

/* The process dies of sig; a forced signal says why in one line. */
static void die_of(struct proc *p, int sig, const char *reason)
{
    if (reason != NULL)
        kprintf("pid %d (%s): killed by %s: %s\n", p->pid, p->name, signal_name(sig), reason);
    proc_exit(wait_status_signaled(sig));
}

/* Run sig's handler: decide about the interrupted call, push the frame, then
 * block what the action says while it runs. If the frame cannot be pushed, the
 * process gets SIGSEGV instead (Linux's force_sigsegv); a SIGSEGV handler that
 * cannot be reached is reset first, so that this ends. */
static void run_handler(struct proc *p, struct trap_frame *frame, int sig,
                        const struct signal_info *info)
{
    struct k_sigaction *action = &p->actions[sig - 1];
    syscall_interrupted_by_handler(p, frame, action->flags);
    uint64_t old_mask = p->restore_mask ? p->saved_mask : p->blocked_signals;
    char why[160];
    if (!signal_frame_push(p, frame, sig, info, action, old_mask, why, sizeof why)) {
        if (sig == SIGSEGV)
            action->handler = SIG_DFL;
        struct forced_signal forced = { SIGSEGV, SI_KERNEL, 0, "" };
        strlcpy(forced.reason, why, sizeof forced.reason);
        signal_force(&forced);
        return;
    }
    p->restore_mask = false; /* the frame holds the mask to go back to */
    uint64_t block = action->mask;
    if (!(action->flags & SA_NODEFER))
        block |= signal_bit(sig);
    p->blocked_signals = (p->blocked_signals | block) & ~UNBLOCKABLE_SIGNALS;
    if (action->flags & SA_RESETHAND)
        action->handler = SIG_DFL;
}

/* A fault the process caused (Linux's force_sig): if it is blocked or ignored the
 * action becomes the default and the signal is unblocked, so a fault is never
 * lost; then it acts like any signal, first. */
static void act_on_forced(struct proc *p, struct trap_frame *frame)
{
    struct forced_signal forced = p->forced;
    int sig = forced.signal;
    p->forced.signal = 0;
    struct k_sigaction *action = &p->actions[sig - 1];
    if (action->handler == SIG_IGN || (p->blocked_signals & signal_bit(sig))) {
        action->handler = SIG_DFL;
        p->blocked_signals &= ~signal_bit(sig);
    }
    if (sig == SIGKILL || action->handler == SIG_DFL)
        die_of(p, sig, forced.reason);
    struct signal_info info = { .code = forced.code, .addr = forced.address };
    run_handler(p, frame, sig, &info);
}

/* The next signal to act on: synchronous ones (faults) first, then the lowest
 * number, as Linux takes them. 0 if none. */
static int next_deliverable(const struct proc *p)
{
    uint64_t deliverable = p->pending_signals & ~(p->blocked_signals & ~UNBLOCKABLE_SIGNALS);
    if (deliverable & SYNCHRONOUS_SIGNALS)
        deliverable &= SYNCHRONOUS_SIGNALS;
    return deliverable != 0 ? __builtin_ctzl(deliverable) + 1 : 0;
}

void signal_act_on_pending(struct trap_frame *frame)
{
    struct proc *p = current_proc();
    bool handled = false;
    for (;;) {
        if (p->forced.signal != 0) {
            act_on_forced(p, frame);
            handled = true;
            continue;
        }
        int sig = next_deliverable(p);
        if (sig == 0)
            break;
        struct signal_info info = signal_dequeue(p, sig);
        uint64_t handler = p->actions[sig - 1].handler;
        if (sig != SIGKILL && handler == SIG_DFL && signal_default_stops(sig)) {
            /* POSIX: the terminal's stop signals do not stop an orphaned process
             * group, where no shell is left to continue it; SIGSTOP always does */
            if (sig == SIGSTOP || !proc_pgrp_orphaned(p))
                stop(p, sig);
            continue;
        }
        if (sig == SIGKILL || (handler == SIG_DFL && !signal_default_ignores(sig)))
            die_of(p, sig, NULL);
        if (handler == SIG_DFL || handler == SIG_IGN)
            continue;
        /* each handler's frame goes on top of the previous one: the last pushed
         * runs first, and returns into the one below, as on Linux */
        run_handler(p, frame, sig, &info);
        handled = true;
    }
    if (!handled)
        syscall_interrupted_for_nothing(p, frame);
    if (p->restore_mask) { /* rt_sigsuspend's mask, with no handler to save it */
        p->blocked_signals = p->saved_mask;
        p->restore_mask = false;
    }
    p->syscall_nr = -1;
}
