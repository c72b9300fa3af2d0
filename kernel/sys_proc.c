/*
 * sys_proc.c — process system calls: ids, exit, wait4, vfork, kill.
 */
#include "cpu.h"
#include "errno.h"
#include "exec.h"
#include "fs/fdtable.h"
#include "fs/inode.h"
#include "lib/string.h"
#include "mm/fork.h"
#include "mm/uaccess.h"
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

/* Does child q match wait4's pid argument? There are no process groups yet, so 0
 * and -pgid mean "any child", like -1. */
static bool wait_matches(const struct proc *q, int pid)
{
    return pid <= 0 || q->pid == pid;
}

/* Free a zombie child and report it. As on Linux, the child is reaped first:
 * a bad status or rusage pointer then gives -EFAULT, but the child is gone. */
static long reap(struct proc *parent, struct proc *child, vaddr_t status_at, vaddr_t rusage_at)
{
    int status = child->exit_status, pid = child->pid;
    /* what the child used, counting its own reaped children */
    struct usage used = proc_usage(child), *kids = &child->children_usage;
    used.times.user_ticks += kids->times.user_ticks;
    used.times.system_ticks += kids->times.system_ticks;
    used.minor_faults += kids->minor_faults;
    used.major_faults += kids->major_faults;
    if (kids->max_rss_pages > used.max_rss_pages)
        used.max_rss_pages = kids->max_rss_pages;

    struct usage *mine = &parent->children_usage;
    mine->times.user_ticks += used.times.user_ticks;
    mine->times.system_ticks += used.times.system_ticks;
    mine->minor_faults += used.minor_faults;
    mine->major_faults += used.major_faults;
    if (used.max_rss_pages > mine->max_rss_pages)
        mine->max_rss_pages = used.max_rss_pages;
    proc_reap(child);

    if (status_at != 0 && copy_to_user(status_at, &status, sizeof status) != 0)
        return -EFAULT;
    if (rusage_at != 0) {
        struct linux_rusage ru;
        rusage_fill(&ru, &used);
        if (copy_to_user(rusage_at, &ru, sizeof ru) != 0)
            return -EFAULT;
    }
    return pid;
}

long sys_wait4(struct syscall_args a)
{
    int pid = (int)a.arg[0], options = (int)a.arg[2];
    vaddr_t status_at = a.arg[1], rusage_at = a.arg[3];
    if (options & ~WAIT_OPTIONS_KNOWN)
        return -EINVAL;
    struct proc *self = current_proc();
    cli(); /* no child may exit between the check and the sleep */
    proc_reap_detached();
    for (;;) {
        bool have_child = false;
        for (int i = 1; i < MAX_PROCS; i++) {
            struct proc *q = proc_at(i);
            if (q == NULL || q->parent != self || !wait_matches(q, pid))
                continue;
            have_child = true;
            if (q->state == PROC_ZOMBIE)
                return reap(self, q, status_at, rusage_at);
        }
        if (!have_child)
            return -ECHILD;
        if (options & WNOHANG)
            return 0;
        if (signal_pending(self))
            return -ERESTARTSYS; /* a handler runs: -EINTR, or wait again (SA_RESTART) */
        sleep_on(self);          /* an exiting child wakes its parent */
    }
}

/* A new process that continues where the parent is: same registers (but RAX = 0,
 * the child's return value), FPU state, TLS base, signal state and descriptors
 * (a copy of the table: the open files are shared). The caller gives it an
 * address space. NULL if there are no process slots or memory. */
static struct proc *duplicate_current(void)
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
    return child;
}

long sys_fork(struct syscall_args a)
{
    (void)a;
    struct proc *parent = current_proc();
    struct addr_space *as = as_fork(parent->as); /* copy-on-write: mm/fork.c */
    if (as == NULL)
        return -ENOMEM;
    struct proc *child = duplicate_current();
    if (child == NULL) {
        as_put(as);
        return -EAGAIN;
    }
    child->as = as;
    cli();
    sched_start(child);
    return child->pid;
}

long sys_vfork(struct syscall_args a)
{
    (void)a;
    struct proc *parent = current_proc();
    struct proc *child = duplicate_current();
    if (child == NULL)
        return -EAGAIN;
    child->as = parent->as; /* borrowed until the child execs or exits */
    as_get(child->as);

    int pid = child->pid;
    cli();
    parent->vfork_child = child;
    sched_start(child);
    /* The parent waits: the child is using its memory and stack. As on Linux the
     * wait is killable: a fatal signal ends it (on the way back to user mode), and
     * the child, which holds its own reference on the memory, carries on. */
    while (parent->vfork_child == child && !proc_fatal_signal_pending(parent))
        sleep_on(child);
    parent->vfork_child = NULL;
    return pid;
}

/* Linux protects init: it only receives signals it has a handler for. */
static bool init_refuses(const struct proc *p, int sig)
{
    return p->pid == 1 && sig != 0 && p->actions[sig - 1].handler == SIG_DFL;
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
    /* -pgid: every process is in init's group, pgid 1, whose -1 means "every
     * process" anyway; there is no other group to signal (and no -INT_MIN) */
    if (pid < -1)
        return -ESRCH;
    cli();
    if (pid > 0) {
        struct proc *p = proc_find(pid);
        if (p == NULL || p->state == PROC_ZOMBIE)
            return -ESRCH;
        send(p, sig);
        return 0;
    }
    /* 0 (the caller's group) and -1: every process; -1, as on Linux, except init
     * and the caller itself; init also refuses what it has no handler for (send) */
    struct proc *self = current_proc();
    bool any = false;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (p == NULL || p->state == PROC_ZOMBIE || (pid == -1 && (p->pid == 1 || p == self)))
            continue;
        any = true;
        send(p, sig);
    }
    return any ? 0 : -ESRCH;
}
