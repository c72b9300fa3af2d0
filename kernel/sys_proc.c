/*
 * sys_proc.c — process system calls: ids, exit, wait4, waitid, fork, vfork, kill.
 */
#include "clone.h"
#include "cpu.h"
#include "errno.h"
#include "exec.h"
#include "fs/fdtable.h"
#include "fs/inode.h"
#include "lib/string.h"
#include "mm/fork.h"
#include "mm/uaccess.h"
#include "pgrp.h"
#include "proc.h"
#include "rusage.h"
#include "sched.h"
#include "signal_delivery.h"
#include "syscall.h"
#include "x86.h"

#define WNOHANG            1
#define WUNTRACED          2
#define WCONTINUED         8
#define WAIT_OPTIONS_KNOWN (WNOHANG | WUNTRACED | WCONTINUED | 0x40000000 | 0x80000000)

long sys_getpid(struct syscall_args a)
{
    (void)a;
    return current_proc()->pid;
}

long sys_gettid(struct syscall_args a)
{
    (void)a;
    return current_proc()->pid; /* one thread per process: the thread id is the pid */
}

long sys_getppid(struct syscall_args a)
{
    (void)a;
    struct proc *parent = current_proc()->parent;
    return parent != NULL ? parent->pid : 0;
}

long sys_set_tid_address(struct syscall_args a)
{
    current_proc()->clear_child_tid = a.arg[0];
    return current_proc()->pid;
}

long sys_exit(struct syscall_args a)
{
    proc_exit(wait_status_exited((int)a.arg[0]));
}

long sys_exit_group(struct syscall_args a)
{
    proc_exit(wait_status_exited((int)a.arg[0]));
}

/* Which children a wait asks for: wait4's pid (-1, pid, 0 or -pgid), waitid's
 * idtype and id. */
enum wait_kind { WAIT_ANY, WAIT_PID, WAIT_GROUP };
struct wait_target {
    enum wait_kind kind;
    int id; /* the pid or the process group */
};

static bool wait_matches(const struct proc *q, const struct wait_target *target)
{
    switch (target->kind) {
    case WAIT_PID: return q->pid == target->id;
    case WAIT_GROUP: return q->pgid == target->id;
    default: return true;
    }
}

/* What a child used, counting its own reaped children (what its parent adds to
 * its children's usage, and wait4's rusage). */
static struct usage usage_with_children(const struct proc *child)
{
    struct usage used = proc_usage(child);
    const struct usage *kids = &child->children_usage;
    used.times.user_ticks += kids->times.user_ticks;
    used.times.system_ticks += kids->times.system_ticks;
    used.minor_faults += kids->minor_faults;
    used.major_faults += kids->major_faults;
    if (kids->max_rss_pages > used.max_rss_pages)
        used.max_rss_pages = kids->max_rss_pages;
    return used;
}

/* Add a reaped child's usage to the parent's account of its children. */
static void account_child(struct proc *parent, const struct usage *used)
{
    struct usage *mine = &parent->children_usage;
    mine->times.user_ticks += used->times.user_ticks;
    mine->times.system_ticks += used->times.system_ticks;
    mine->minor_faults += used->minor_faults;
    mine->major_faults += used->major_faults;
    if (used->max_rss_pages > mine->max_rss_pages)
        mine->max_rss_pages = used->max_rss_pages;
}

/* Copy a child's usage out as struct rusage (0: nowhere). 0 or -EFAULT. */
static int put_rusage(vaddr_t rusage_at, const struct usage *used)
{
    if (rusage_at == 0)
        return 0;
    struct linux_rusage ru;
    rusage_fill(&ru, used);
    return copy_to_user(rusage_at, &ru, sizeof ru) == 0 ? 0 : -EFAULT;
}

/* Free a zombie child and report it. As on Linux, the child is reaped first:
 * a bad status or rusage pointer then gives -EFAULT, but the child is gone. */
static long reap(struct proc *parent, struct proc *child, vaddr_t status_at, vaddr_t rusage_at)
{
    int status = child->exit_status, pid = child->pid;
    struct usage used = usage_with_children(child);
    account_child(parent, &used);
    proc_reap(child);

    if (status_at != 0 && copy_to_user(status_at, &status, sizeof status) != 0)
        return -EFAULT;
    return put_rusage(rusage_at, &used) != 0 ? -EFAULT : pid;
}

/* A stop (WUNTRACED) or a continue (WCONTINUED) of child q not reported yet: the
 * wait status to report it with, once; 0 if none. */
static int job_control_report(struct proc *q, int options)
{
    if ((options & WUNTRACED) && q->stopped && q->stop_unreported) {
        q->stop_unreported = false;
        return wait_status_stopped(q->stop_signal);
    }
    if ((options & WCONTINUED) && q->continue_unreported) {
        q->continue_unreported = false;
        return WAIT_STATUS_CONTINUED;
    }
    return 0;
}

/* wait4's answer for a child that lives on: its pid, status, and what it used. */
static long report_without_reaping(struct proc *q, int status, vaddr_t status_at, vaddr_t rusage_at)
{
    if (status_at != 0 && copy_to_user(status_at, &status, sizeof status) != 0)
        return -EFAULT;
    if (rusage_at != 0) {
        struct linux_rusage ru;
        struct usage used = proc_usage(q);
        rusage_fill(&ru, &used);
        if (copy_to_user(rusage_at, &ru, sizeof ru) != 0)
            return -EFAULT;
    }
    return q->pid;
}

/* What a wait found: a child and, unless it is a zombie to reap, the status of
 * the stop or continue to report (job_control_report). */
struct found_child {
    struct proc *child;
    int report; /* 0: the child exited (a zombie) */
};

/* Sleep until a child the target names has something to report: its exit (if
 * want_exits: waitid without WEXITED does not take exits), or a stop/continue
 * (WUNTRACED/WCONTINUED in options). Returns with interrupts off. found.child
 * NULL with *error: -ECHILD (no such child), 0 (WNOHANG: none yet),
 * -ERESTARTSYS (a signal came). Children the parent does not wait for (SIGCHLD
 * ignored, SA_NOCLDWAIT) are reaped first. */
static struct found_child wait_for_child(const struct wait_target *target, int options,
                                         bool want_exits, long *error)
{
    struct proc *self = current_proc();
    cli(); /* no child may exit between the check and the sleep */
    proc_reap_detached();
    for (;;) {
        bool have_child = false;
        for (int i = 1; i < MAX_PROCS; i++) {
            struct proc *q = proc_at(i);
            if (q == NULL || q->parent != self || !wait_matches(q, target))
                continue;
            have_child = true;
            if (q->state == PROC_ZOMBIE && want_exits)
                return (struct found_child){ q, 0 };
            int report = q->state != PROC_ZOMBIE ? job_control_report(q, options) : 0;
            if (report != 0)
                return (struct found_child){ q, report };
        }
        *error = !have_child ? -ECHILD : 0;
        if (!have_child || (options & WNOHANG))
            return (struct found_child){ NULL, 0 };
        if (signal_pending(self)) {
            *error = -ERESTARTSYS; /* a handler runs: -EINTR, or wait again (SA_RESTART) */
            return (struct found_child){ NULL, 0 };
        }
        sleep_on(self); /* an exiting child wakes its parent */
    }
}

long sys_wait4(struct syscall_args a)
{
    int pid = (int)a.arg[0], options = (int)a.arg[2];
    vaddr_t status_at = a.arg[1], rusage_at = a.arg[3];
    if (options & ~WAIT_OPTIONS_KNOWN)
        return -EINVAL;
    if (pid == INT32_MIN)
        return -ESRCH; /* -INT_MIN names no group */
    struct wait_target target = { WAIT_PID, pid };
    if (pid == -1)
        target.kind = WAIT_ANY;
    else if (pid == 0)
        target = (struct wait_target){ WAIT_GROUP, current_proc()->pgid };
    else if (pid < 0)
        target = (struct wait_target){ WAIT_GROUP, -pid };
    long error;
    struct found_child found = wait_for_child(&target, options, true, &error);
    if (found.child == NULL)
        return error;
    if (found.report != 0)
        return report_without_reaping(found.child, found.report, status_at, rusage_at);
    return reap(current_proc(), found.child, status_at, rusage_at);
}

/* ---- waitid ---- */

#define P_ALL   0
#define P_PID   1
#define P_PGID  2
#define P_PIDFD 3

#define WSTOPPED             2
#define WEXITED              4
#define WNOWAIT              0x01000000
#define WAITID_OPTIONS_KNOWN (WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | 0xe0000000)

/* The part of siginfo_t waitid fills, at Linux's offsets (the union at 16). */
struct waitid_info {
    int32_t signo, error, code, padding;
    int32_t pid;
    uint32_t uid;
    int32_t status;
};

/* idtype and id as a target: 0, or -EINVAL (-EBADF for a pidfd: none exist). */
static long waitid_target(int idtype, int id, struct wait_target *target)
{
    switch (idtype) {
    case P_ALL: *target = (struct wait_target){ WAIT_ANY, 0 }; return 0;
    case P_PID: *target = (struct wait_target){ WAIT_PID, id }; return id > 0 ? 0 : -EINVAL;
    case P_PGID:
        /* 0: the caller's own group (Linux 5.4) */
        *target = (struct wait_target){ WAIT_GROUP, id != 0 ? id : current_proc()->pgid };
        return id >= 0 ? 0 : -EINVAL;
    case P_PIDFD: return -EBADF;
    default: return -EINVAL;
    }
}

/* A wait status as waitid tells it: why (CLD_*) and the code or signal. */
static void describe_child(const struct proc *child, int status, struct waitid_info *info)
{
    info->signo = SIGCHLD;
    info->pid = child->pid;
    info->uid = 0;
    if (status == WAIT_STATUS_CONTINUED) {
        info->code = CLD_CONTINUED;
        info->status = SIGCONT;
    } else if ((status & 0xff) == 0x7f) {
        info->code = CLD_STOPPED;
        info->status = (status >> 8) & 0xff;
    } else if ((status & 0x7f) == 0) {
        info->code = CLD_EXITED;
        info->status = (status >> 8) & 0xff;
    } else {
        info->code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
        info->status = status & 0x7f;
    }
}

/* The search itself: fills *info for a child found (reaping it unless WNOWAIT). */
static long waitid_search(int idtype, int id, int options, vaddr_t rusage_at,
                          struct waitid_info *info)
{
    if ((options & ~WAITID_OPTIONS_KNOWN) || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
        return -EINVAL;
    struct wait_target target;
    long error = waitid_target(idtype, id, &target);
    if (error != 0)
        return error;
    struct found_child found = wait_for_child(&target, options, options & WEXITED, &error);
    struct proc *child = found.child;
    if (child == NULL)
        return error;
    describe_child(child, found.report != 0 ? found.report : child->exit_status, info);
    if (found.report != 0) {
        struct usage used = proc_usage(child);
        return put_rusage(rusage_at, &used);
    }
    struct usage used = usage_with_children(child);
    if (!(options & WNOWAIT)) {
        account_child(current_proc(), &used);
        proc_reap(child);
    }
    return put_rusage(rusage_at, &used);
}

/* waitid(idtype, id, infop, options, rusage): 0, and the child in *infop (all
 * zero if WNOHANG found none ready). As on Linux, infop is written even when the
 * call fails (zeros then), and a bad infop makes any result -EFAULT. */
long sys_waitid(struct syscall_args a)
{
    struct waitid_info info = { 0 };
    vaddr_t info_at = a.arg[2];
    long error = waitid_search((int)a.arg[0], (int)a.arg[1], (int)a.arg[3], a.arg[4], &info);
    if (info_at != 0 && copy_to_user(info_at, &info, sizeof info) != 0)
        return -EFAULT;
    return error;
}

/* A new process that continues where the parent is: same registers (but RAX = 0,
 * the child's return value, and RSP = the clone's stack if one was given), FPU
 * state, TLS base, signal state, resource limits and descriptors (a copy of the
 * table: the open files are shared). The caller gives it an address space. NULL
 * if there are no process slots or memory. */
static struct proc *duplicate_current(const struct clone_request *request)
{
    struct proc *parent = current_proc();
    struct fdtable *files = fdtable_copy(parent->files);
    struct proc *child = files != NULL ? proc_alloc(parent->name) : NULL;
    if (child == NULL) {
        fdtable_destroy(files);
        return NULL;
    }
    child->files = files;
    child->cwd = inode_ref(parent->cwd); /* the working directory is inherited */
    child->umask = parent->umask;        /* and so is the umask (execve keeps it too) */
    child->parent = parent;
    __asm__ volatile("fxsave %0" : "=m"(child->fpu_state));
    child->fs_base = parent->fs_base;
    child->gs_base = parent->gs_base;
    child->blocked_signals = parent->blocked_signals;
    memcpy(child->actions, parent->actions, sizeof child->actions);
    child->altstack = parent->altstack; /* nothing pending is inherited */
    exec_prepare_first_run(child);
    *child->frame = *parent->frame;
    child->frame->rax = 0; /* the child sees fork() / vfork() return 0 */
    if (request->stack != 0)
        child->frame->rsp = request->stack;
    memcpy(child->limits, parent->limits, sizeof child->limits);
    child->set_child_tid = request->child_set_tid;     /* written as it first runs */
    child->clear_child_tid = request->child_clear_tid; /* zeroed when it leaves */
    return child;
}

/* Let the child run: it joins its parent's group and session only now, with
 * interrupts off, so that no signal to the group (Ctrl-C) finds it half made.
 * CLONE_PARENT_SETTID's tid is written first, as Linux does. */
static void start_child(struct proc *parent, struct proc *child,
                        const struct clone_request *request)
{
    if (request->parent_set_tid != 0)
        (void)copy_to_user(request->parent_set_tid, &child->pid, sizeof child->pid);
    cli();
    pgrp_inherit(child, parent);
    sched_start(child);
}

long clone_fork(const struct clone_request *request)
{
    struct proc *parent = current_proc();
    struct addr_space *as = as_fork(parent->as); /* copy-on-write: mm/fork.c */
    if (as == NULL)
        return -ENOMEM;
    struct proc *child = duplicate_current(request);
    if (child == NULL) {
        as_put(as);
        return -EAGAIN;
    }
    child->as = as;
    start_child(parent, child, request);
    return child->pid;
}

long sys_fork(struct syscall_args a)
{
    (void)a;
    struct clone_request plain = { 0 };
    return clone_fork(&plain);
}

long clone_vfork(const struct clone_request *request)
{
    struct proc *parent = current_proc();
    struct proc *child = duplicate_current(request);
    if (child == NULL)
        return -EAGAIN;
    child->as = parent->as; /* borrowed until the child execs or exits */
    as_get(child->as);

    int pid = child->pid;
    parent->vfork_child = child;
    start_child(parent, child, request);
    /* The parent waits: the child is using its memory and stack. As on Linux the
     * wait is killable: a fatal signal ends it (on the way back to user mode), and
     * the child, which holds its own reference on the memory, carries on. */
    while (parent->vfork_child == child && !proc_fatal_signal_pending(parent))
        sleep_on(child);
    parent->vfork_child = NULL;
    return pid;
}

long sys_vfork(struct syscall_args a)
{
    (void)a;
    struct clone_request plain = { 0 };
    return clone_vfork(&plain);
}

/* Linux protects init: it only receives signals it has a handler for. */
static bool init_refuses(const struct proc *p, int sig)
{
    return p->pid == 1 && sig != 0 && p->actions[sig - 1].handler == SIG_DFL &&
           !(p->blocked_signals & signal_bit(sig)); /* blocked: kept for sigwait */
}

static void send(struct proc *p, int sig)
{
    struct signal_info info = { .code = SI_USER, .pid = current_proc()->pid, .uid = 0 };
    if (sig != 0 && !init_refuses(p, sig))
        signal_send(p, sig, &info);
}

long sys_kill(struct syscall_args a)
{
    int pid = (int)a.arg[0], sig = (int)a.arg[1];
    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (pid == INT32_MIN)
        return -ESRCH; /* -INT_MIN names no group */
    cli();
    if (pid > 0) {
        struct proc *p = proc_find(pid);
        if (p == NULL)
            return -ESRCH;
        if (p->state != PROC_ZOMBIE) /* a zombie exists until reaped: 0, as Linux */
            send(p, sig);
        return 0;
    }
    struct proc *self = current_proc();
    if (pid == 0 || pid < -1) {
        /* a process group: the caller's own (0) or -pid; signal 0 only asks
         * whether the group exists */
        int pgid = pid == 0 ? self->pgid : -pid;
        struct signal_info info = { .code = SI_USER, .pid = self->pid, .uid = 0 };
        if (sig == 0)
            return pgrp_exists(pgid, 0) ? 0 : -ESRCH;
        return pgrp_signal(pgid, sig, &info) ? 0 : -ESRCH;
    }
    /* -1: every process but init and the caller; init also refuses what it has no
     * handler for (send) */
    bool any = false;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (p == NULL || p->state == PROC_ZOMBIE || p->pid == 1 || p == self)
            continue;
        any = true;
        send(p, sig);
    }
    return any ? 0 : -ESRCH;
}
