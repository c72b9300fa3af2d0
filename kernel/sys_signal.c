/*
 * sys_signal.c — rt_sigprocmask and rt_sigaction: the per-process signal state.
 * (What happens to a raised signal: signal_delivery.c; what is not done yet:
 * signal.h.)
 */
#include "cpu.h"
#include "errno.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "syscall.h"

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIGSET_SIZE 8 /* the kernel's sigset_t: 64 bits */

long sys_rt_sigprocmask(struct syscall_args a)
{
    int how = (int)a.arg[0];
    vaddr_t set_at = a.arg[1], old_at = a.arg[2];
    if (a.arg[3] != SIGSET_SIZE)
        return -EINVAL;
    struct proc *p = current_proc();
    uint64_t old = p->blocked_signals, set = 0;
    if (set_at != 0) {
        if (copy_from_user(&set, set_at, sizeof set) != 0)
            return -EFAULT;
        if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
            return -EINVAL;
    }
    if (old_at != 0 && copy_to_user(old_at, &old, sizeof old) != 0)
        return -EFAULT;
    if (set_at != 0) {
        uint64_t mask = how == SIG_BLOCK ? old | set : how == SIG_UNBLOCK ? old & ~set : set;
        p->blocked_signals = mask & ~UNBLOCKABLE_SIGNALS; /* silently, as Linux does */
    }
    return 0;
}

long sys_rt_sigaction(struct syscall_args a)
{
    int sig = (int)a.arg[0];
    vaddr_t act_at = a.arg[1], old_at = a.arg[2];
    if (a.arg[3] != SIGSET_SIZE || sig < 1 || sig > NSIG)
        return -EINVAL;
    if (act_at != 0 && (signal_bit(sig) & UNBLOCKABLE_SIGNALS))
        return -EINVAL;
    struct proc *p = current_proc();
    struct k_sigaction new_action, old = p->actions[sig - 1];
    if (act_at != 0 && copy_from_user(&new_action, act_at, sizeof new_action) != 0)
        return -EFAULT;
    if (old_at != 0 && copy_to_user(old_at, &old, sizeof old) != 0)
        return -EFAULT;
    if (act_at != 0) {
        new_action.mask &= ~UNBLOCKABLE_SIGNALS;
        p->actions[sig - 1] = new_action;
        if (new_action.handler == SIG_IGN)
            p->pending_signals &= ~signal_bit(sig); /* ignoring discards what is pending */
    }
    return 0;
}
