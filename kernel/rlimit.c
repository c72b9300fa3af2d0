/*
 * rlimit.c — resource limits and their system calls (getrlimit 97, setrlimit 160,
 * prlimit64 302), with Linux's defaults and rules.
 */
#include "rlimit.h"

#include "cpu.h"
#include "errno.h"
#include "fs/fdtable.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "syscall.h"

#define NR_OPEN_MAX (1u << 20) /* Linux's fs.nr_open: the most RLIMIT_NOFILE may be */

/* What Linux's init starts with (include/asm-generic/resource.h). NPROC and
 * SIGPENDING are sized from memory on Linux; here, from the process table. */
static const struct rlimit64 defaults[RLIMIT_COUNT] = {
    [RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_STACK] = { 8ul << 20, RLIM_INFINITY }, /* 8 MiB: _STK_LIM */
    [RLIMIT_CORE] = { 0, RLIM_INFINITY },
    [RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_NPROC] = { MAX_PROCS, MAX_PROCS },
    [RLIMIT_NOFILE] = { 1024, 4096 }, /* INR_OPEN_CUR, INR_OPEN_MAX */
    [RLIMIT_MEMLOCK] = { 8ul << 20, 8ul << 20 },
    [RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
    [RLIMIT_SIGPENDING] = { MAX_PROCS, MAX_PROCS },
    [RLIMIT_MSGQUEUE] = { 819200, 819200 }, /* MQ_BYTES_MAX */
    [RLIMIT_NICE] = { 0, 0 },
    [RLIMIT_RTPRIO] = { 0, 0 },
    [RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

void rlimit_init(struct proc *p)
{
    for (int i = 0; i < RLIMIT_COUNT; i++)
        p->limits[i] = defaults[i];
}

uint64_t rlimit_current(const struct proc *p, int resource)
{
    return p->limits[resource].cur;
}

void rlimit_apply(struct proc *p)
{
    if (p->files != NULL) {
        uint64_t open_files = p->limits[RLIMIT_NOFILE].cur;
        p->files->limit = open_files < FD_MAX ? (int)open_files : FD_MAX;
    }
    if (p->as == NULL)
        return;
    p->as->limits = (struct as_limits){
        .enforced = true,
        .total_bytes = p->limits[RLIMIT_AS].cur,
        .data_bytes = p->limits[RLIMIT_DATA].cur,
        .stack_bytes = p->limits[RLIMIT_STACK].cur,
    };
}

/* Linux's do_prlimit: report p's limit of resource into *old and/or replace it by
 * *new. 0; -EINVAL for an unknown resource or a soft limit above the hard one;
 * -EPERM for RLIMIT_NOFILE above fs.nr_open. (Raising a hard limit needs
 * CAP_SYS_RESOURCE, which root has.) */
static long prlimit(struct proc *p, unsigned resource, const struct rlimit64 *new,
                    struct rlimit64 *old)
{
    if (resource >= RLIMIT_COUNT)
        return -EINVAL;
    if (new != NULL &&new->cur > new->max)
        return -EINVAL;
    if (new != NULL && resource == RLIMIT_NOFILE &&new->max > NR_OPEN_MAX)
        return -EPERM;
    if (old != NULL)
        *old = p->limits[resource];
    if (new != NULL) {
        p->limits[resource] = *new;
        rlimit_apply(p);
    }
    return 0;
}

long sys_getrlimit(struct syscall_args a)
{
    struct rlimit64 old;
    long error = prlimit(current_proc(), (unsigned)a.arg[0], NULL, &old);
    if (error == 0 && copy_to_user(a.arg[1], &old, sizeof old) != 0)
        return -EFAULT;
    return error;
}

long sys_setrlimit(struct syscall_args a)
{
    struct rlimit64 new;
    if (copy_from_user(&new, a.arg[1], sizeof new) != 0)
        return -EFAULT;
    return prlimit(current_proc(), (unsigned)a.arg[0], &new, NULL);
}

/* prlimit64(pid, resource, new, old): either or both; pid 0 is the caller. */
long sys_prlimit64(struct syscall_args a)
{
    int pid = (int)a.arg[0];
    vaddr_t new_at = a.arg[2], old_at = a.arg[3];
    struct rlimit64 new, old;
    if (new_at != 0 && copy_from_user(&new, new_at, sizeof new) != 0)
        return -EFAULT;
    struct proc *p = pid == 0 ? current_proc() : proc_find(pid);
    if (p == NULL || pid < 0 || p->state == PROC_ZOMBIE)
        return -ESRCH;
    long error =
        prlimit(p, (unsigned)a.arg[1], new_at != 0 ? &new : NULL, old_at != 0 ? &old : NULL);
    if (error == 0 && old_at != 0 && copy_to_user(old_at, &old, sizeof old) != 0)
        return -EFAULT;
    return error;
}
