/*
 * pgrp.c — process groups and sessions: setpgid, getpgid, getpgrp, setsid, getsid,
 * with Linux's rules and error numbers.
 */
#include "pgrp.h"

#include "cpu.h"
#include "errno.h"
#include "proc.h"
#include "signal_delivery.h"
#include "syscall.h"
#include "tty.h"
#include "x86.h"

#define FIRST_SESSION 1

void pgrp_init_first(struct proc *p)
{
    p->pgid = p->sid = FIRST_SESSION;
    tty_set_session(FIRST_SESSION, FIRST_SESSION);
}

void pgrp_inherit(struct proc *child, const struct proc *parent)
{
    child->pgid = parent->pgid;
    child->sid = parent->sid;
}

bool pgrp_exists(int pgid, int sid)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *q = proc_at(i);
        if (q != NULL && q->pgid == pgid && (sid == 0 || q->sid == sid))
            return true;
    }
    return false;
}

bool pgrp_orphaned(int pgid)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        const struct proc *q = proc_at(i);
        if (q == NULL || q->pgid != pgid || q->state == PROC_ZOMBIE)
            continue;
        const struct proc *parent = q->parent;
        if (parent == NULL || parent->pid == 1)
            continue; /* init continues nobody */
        if (parent->pgid != pgid && parent->sid == q->sid)
            return false; /* a shell of the session can still continue the group */
    }
    return true;
}

bool pgrp_signal(int pgid, int sig, const struct signal_info *info)
{
    bool found = false;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *q = proc_at(i);
        if (q == NULL || q->pgid != pgid)
            continue;
        found = true; /* a zombie counts: the group still exists */
        if (q->state == PROC_ZOMBIE)
            continue;
        /* Linux protects init: it only gets the signals it handles or blocks */
        if (q->pid == 1 && q->actions[sig - 1].handler == SIG_DFL &&
            !(q->blocked_signals & signal_bit(sig)))
            continue;
        if (info != NULL)
            signal_send(q, sig, info);
        else
            signal_raise(q, sig);
    }
    return found;
}

/* Is p a session leader (its pid names its session)? */
static bool leads_session(const struct proc *p)
{
    return p->sid == p->pid;
}

void pgrp_exit(struct proc *p)
{
    if (!leads_session(p) || tty_session() != p->sid)
        return;
    int foreground = tty_foreground();
    tty_set_session(0, 0);
    if (foreground != 0) {
        pgrp_signal(foreground, SIGHUP, NULL);
        pgrp_signal(foreground, SIGCONT, NULL);
    }
}

/* The process setpgid may move: the caller or one of its children (Linux: not a
 * child that has run execve, nor one in another session). 0 or -errno. */
static long may_move(const struct proc *self, const struct proc *p)
{
    if (p->parent == self) {
        if (p->sid != self->sid)
            return -EPERM;
        if (p->did_exec)
            return -EACCES;
    } else if (p != self) {
        return -ESRCH;
    }
    return leads_session(p) ? -EPERM : 0;
}

/* setpgid(pid, pgid): 0 means the caller, and pgid 0 means pgid = pid. The group
 * joined must be p's own new one or exist in the caller's session. */
long sys_setpgid(struct syscall_args a)
{
    struct proc *self = current_proc();
    int pid = (int)a.arg[0], pgid = (int)a.arg[1];
    if (pid == 0)
        pid = self->pid;
    if (pgid == 0)
        pgid = pid;
    if (pgid < 0)
        return -EINVAL;
    cli(); /* the table does not change under us (the console's interrupt reads it) */
    struct proc *p = pid > 0 ? proc_find(pid) : NULL;
    if (p == NULL)
        return -ESRCH;
    long error = may_move(self, p);
    if (error != 0)
        return error;
    if (pgid != pid && !pgrp_exists(pgid, self->sid))
        return -EPERM;
    p->pgid = pgid;
    return 0;
}

/* The process a getpgid/getsid pid names (0: the caller), or NULL. */
static struct proc *named(int pid)
{
    if (pid == 0)
        return current_proc();
    return pid > 0 ? proc_find(pid) : NULL;
}

long sys_getpgid(struct syscall_args a)
{
    struct proc *p = named((int)a.arg[0]);
    return p != NULL ? p->pgid : -ESRCH;
}

long sys_getpgrp(struct syscall_args a)
{
    (void)a;
    return current_proc()->pgid;
}

long sys_getsid(struct syscall_args a)
{
    struct proc *p = named((int)a.arg[0]);
    return p != NULL ? p->sid : -ESRCH;
}

/* setsid: a new session and group, both named by the caller's pid, with no
 * controlling terminal. EPERM if a group of that id exists (the caller leads a
 * group already, or a group kept the id of a process long gone). */
long sys_setsid(struct syscall_args a)
{
    (void)a;
    struct proc *self = current_proc();
    cli();
    if (pgrp_exists(self->pid, 0))
        return -EPERM;
    self->pgid = self->sid = self->pid;
    return self->pid;
}
