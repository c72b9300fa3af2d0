/*
 * sys_signal.c — the signal system calls: actions, masks, the alternate stack,
 * waiting for signals, returning from a handler, sending to one thread.
 * (What happens to a raised signal: signal_delivery.c; the handler's frame:
 * signal_frame.c; kill: sys_proc.c.)
 */
#include "cpu.h"
#include "errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "sched.h"
#include "signal_delivery.h"
#include "signal_frame.h"
#include "syscall.h"
#include "clock.h"
#include "x86.h"

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIGSET_SIZE 8 /* the kernel's sigset_t: 64 bits */

/* The sa_flags Linux keeps (UAPI_SA_FLAGS); SA_UNSUPPORTED (0x400) and other bits
 * read back as 0, which is how a program asks whether a flag is supported. */
#define SA_EXPOSE_TAGBITS 0x800ul
#define SA_KNOWN_FLAGS                                                                             \
    (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER |             \
     SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

/* Linux's order: the new set is read and applied, then the old one written: a
 * bad old-set pointer is -EFAULT with the new mask already in place. */
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
        uint64_t mask = how == SIG_BLOCK ? old | set : how == SIG_UNBLOCK ? old & ~set : set;
        p->blocked_signals = mask & ~UNBLOCKABLE_SIGNALS; /* silently, as Linux does */
    }
    if (old_at != 0 && copy_to_user(old_at, &old, sizeof old) != 0)
        return -EFAULT;
    return 0;
}

/* Linux's order: the new action is read (-EFAULT), refused for SIGKILL and SIGSTOP
 * (-EINVAL), installed, and only then the old one written (-EFAULT, installed). */
long sys_rt_sigaction(struct syscall_args a)
{
    int sig = (int)a.arg[0];
    vaddr_t act_at = a.arg[1], old_at = a.arg[2];
    if (a.arg[3] != SIGSET_SIZE || sig < 1 || sig > NSIG)
        return -EINVAL;
    struct proc *p = current_proc();
    struct k_sigaction new_action, old = p->actions[sig - 1];
    if (act_at != 0 && copy_from_user(&new_action, act_at, sizeof new_action) != 0)
        return -EFAULT;
    if (act_at != 0 && (signal_bit(sig) & UNBLOCKABLE_SIGNALS))
        return -EINVAL;
    if (act_at != 0) {
        new_action.mask &= ~UNBLOCKABLE_SIGNALS;
        new_action.flags &= SA_KNOWN_FLAGS; /* the others read back as 0, as on Linux */
        p->actions[sig - 1] = new_action;
        bool ignored = new_action.handler == SIG_IGN ||
                       (new_action.handler == SIG_DFL && signal_default_ignores(sig));
        if (ignored)
            signal_discard(p, sig); /* ignoring discards what is pending */
    }
    if (old_at != 0 && copy_to_user(old_at, &old, sizeof old) != 0)
        return -EFAULT;
    return 0;
}

long sys_rt_sigpending(struct syscall_args a)
{
    if (a.arg[1] > SIGSET_SIZE) /* Linux accepts a shorter set, not a longer one */
        return -EINVAL;
    struct proc *p = current_proc();
    uint64_t pending = p->pending_signals & p->blocked_signals;
    return copy_to_user(a.arg[0], &pending, a.arg[1]) != 0 ? -EFAULT : 0;
}

/* rt_sigreturn: a handler returned through its restorer. Everything the frame
 * saved comes back; a frame that cannot be loaded is a SIGSEGV (fatal unless a handler
 * for it runs, which then starts from the state before rt_sigreturn). The return
 * value is the restored RAX, so that the interrupted code sees its own. */
long sys_rt_sigreturn(struct syscall_args a)
{
    (void)a;
    struct proc *p = current_proc();
    char why[160];
    if (!signal_frame_restore(p, p->frame, why, sizeof why)) {
        struct forced_signal forced = { SIGSEGV, SI_KERNEL, 0, "" };
        snprintf(forced.reason, sizeof forced.reason, "rt_sigreturn: %s", why);
        signal_force(&forced); /* Linux's force_sig: a SIGSEGV handler may still run */
        return 0;
    }
    p->syscall_nr = -1; /* what RAX holds now is no system call's result to restart */
    return (long)p->frame->rax;
}

long sys_sigaltstack(struct syscall_args a)
{
    vaddr_t new_at = a.arg[0], old_at = a.arg[1];
    struct proc *p = current_proc();
    uint64_t sp = p->frame->rsp;
    struct signal_stack old = p->altstack;
    old.flags = signal_altstack_flags(p, sp) | (p->altstack.flags & (int32_t)SS_AUTODISARM);
    if (new_at != 0) {
        struct signal_stack s;
        if (copy_from_user(&s, new_at, sizeof s) != 0)
            return -EFAULT;
        int error = signal_altstack_set(p, &s, sp);
        if (error != 0)
            return error;
    }
    if (old_at != 0 && copy_to_user(old_at, &old, sizeof old) != 0)
        return -EFAULT;
    return 0;
}

/* Sleep until a signal acts (a handler runs, or the process dies). Linux returns
 * -ERESTARTNOHAND: -EINTR once the handler has run. */
static long sleep_until_signal(struct proc *p)
{
    while (!signal_pending(p))
        sleep_on(&p->pending_signals); /* only a signal wakes it */
    return -ERESTARTNOHAND;
}

long sys_pause(struct syscall_args a)
{
    (void)a;
    return sleep_until_signal(current_proc());
}

/* Replace the mask by *set until a signal acts; the handler's frame saves the old
 * mask, so it is back when the handler returns (signal_delivery.c). */
long sys_rt_sigsuspend(struct syscall_args a)
{
    if (a.arg[1] != SIGSET_SIZE)
        return -EINVAL;
    uint64_t set;
    if (copy_from_user(&set, a.arg[0], sizeof set) != 0)
        return -EFAULT;
    struct proc *p = current_proc();
    p->saved_mask = p->blocked_signals;
    p->restore_mask = true;
    p->blocked_signals = set & ~UNBLOCKABLE_SIGNALS;
    return sleep_until_signal(p);
}

struct kernel_timespec {
    int64_t sec, nsec;
};

/* Take sig off the pending set and give its siginfo to user memory (Linux's
 * dequeue_signal for rt_sigtimedwait). */
static long take_waited_signal(struct proc *p, int sig, vaddr_t info_at)
{
    struct signal_info info = signal_dequeue(p, sig);
    if (info_at != 0 && signal_siginfo_to_user(info_at, sig, &info) != 0)
        return -EFAULT;
    return sig;
}

/* The moment (monotonic ns) at which a timeout of sec + nsec from now has passed;
 * a timeout beyond what 64 bits of nanoseconds hold is forever (NO_TIMEOUT). */
#define NO_TIMEOUT UINT64_MAX
static uint64_t timeout_deadline(int64_t sec, int64_t nsec)
{
    uint64_t now = clock_monotonic_ns();
    if ((uint64_t)sec >= (UINT64_MAX - now) / 1000000000 - 1)
        return NO_TIMEOUT;
    return now + (uint64_t)sec * 1000000000 + (uint64_t)nsec;
}

long sys_rt_sigtimedwait(struct syscall_args a)
{
    vaddr_t set_at = a.arg[0], info_at = a.arg[1], timeout_at = a.arg[2];
    if (a.arg[3] != SIGSET_SIZE)
        return -EINVAL;
    uint64_t set;
    if (copy_from_user(&set, set_at, sizeof set) != 0)
        return -EFAULT;
    set &= ~UNBLOCKABLE_SIGNALS;
    uint64_t deadline = NO_TIMEOUT;
    if (timeout_at != 0) {
        struct kernel_timespec t;
        if (copy_from_user(&t, timeout_at, sizeof t) != 0)
            return -EFAULT;
        if (t.sec < 0 || t.nsec < 0 || t.nsec >= 1000000000)
            return -EINVAL;
        deadline = timeout_deadline(t.sec, t.nsec);
    }
    struct proc *p = current_proc();
    for (;;) {
        uint64_t waiting = p->pending_signals & set;
        if (waiting != 0)
            return take_waited_signal(p, __builtin_ctzl(waiting) + 1, info_at);
        if (signal_pending(p))
            return -EINTR; /* another signal acts first (Linux: -EINTR, no restart) */
        if (deadline != NO_TIMEOUT && clock_monotonic_ns() >= deadline)
            return -EAGAIN;
        p->waited_signals = set; /* these wake it, blocked or not */
        if (deadline != NO_TIMEOUT)
            sleep_on_deadline(&p->pending_signals, deadline);
        else
            sleep_on(&p->pending_signals);
        p->waited_signals = 0;
    }
}

/* Send sig with info to the process tid names (in thread group tgid; 0: any). One
 * process is one thread here, so the thread id is the pid and its group is itself.
 * -ESRCH if there is none; 0 and nothing happens for signal 0, for a zombie (it
 * exists until reaped, as on Linux), or for init refusing (it takes only what it
 * handles or blocks). */
static long send_to_one(int tgid, int tid, int sig, const struct signal_info *info)
{
    struct proc *p = proc_find(tid);
    if (p == NULL || (tgid != 0 && tgid != tid))
        return -ESRCH;
    bool init_refuses = p->pid == 1 && sig != 0 && p->actions[sig - 1].handler == SIG_DFL &&
                        !(p->blocked_signals & signal_bit(sig));
    if (sig != 0 && !init_refuses && p->state != PROC_ZOMBIE)
        signal_send(p, sig, info);
    return 0;
}

/* tkill and tgkill: the siginfo says SI_TKILL. tgid 0: tkill, no group. */
static long send_to_thread(int tgid, int tid, int sig)
{
    if (tid <= 0 || sig < 0 || sig > NSIG)
        return -EINVAL;
    struct signal_info info = { .code = SI_TKILL, .pid = current_proc()->pid, .uid = 0 };
    return send_to_one(tgid, tid, sig, &info);
}

long sys_tkill(struct syscall_args a)
{
    return send_to_thread(0, (int)a.arg[0], (int)a.arg[1]);
}

long sys_tgkill(struct syscall_args a)
{
    if ((int)a.arg[0] <= 0)
        return -EINVAL;
    return send_to_thread((int)a.arg[0], (int)a.arg[1], (int)a.arg[2]);
}

/* rt_sigqueueinfo and rt_tgsigqueueinfo (sigqueue(3)): send sig with the caller's
 * own siginfo: its si_code, si_pid, si_uid and si_value. Only to itself may a
 * process claim to be the kernel or kill (si_code >= 0) or tkill (Linux's rule). */
static long queue_with_info(int tgid, int tid, int sig, vaddr_t info_at)
{
    int32_t fields[8]; /* si_signo, si_errno, si_code, pad, si_pid, si_uid, si_value */
    if (copy_from_user(fields, info_at, sizeof fields) != 0)
        return -EFAULT;
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    int code = fields[2];
    if ((code >= 0 || code == SI_TKILL) && tid != current_proc()->pid)
        return -EPERM;
    struct signal_info info = { .code = code, .pid = fields[4], .uid = fields[5] };
    memcpy(&info.value, &fields[6], sizeof info.value);
    return send_to_one(tgid, tid, sig, &info);
}

long sys_rt_sigqueueinfo(struct syscall_args a)
{
    if ((int)a.arg[0] <= 0)
        return -ESRCH;
    return queue_with_info(0, (int)a.arg[0], (int)a.arg[1], a.arg[2]);
}

long sys_rt_tgsigqueueinfo(struct syscall_args a)
{
    if ((int)a.arg[0] <= 0 || (int)a.arg[1] <= 0)
        return -EINVAL;
    return queue_with_info((int)a.arg[0], (int)a.arg[1], (int)a.arg[2], a.arg[3]);
}
