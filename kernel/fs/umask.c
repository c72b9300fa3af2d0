/*
 * umask.c — the file mode creation mask (umask.h) and umask(2).
 */
#include "umask.h"

#include "kernel/cpu.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"

uint32_t umask_apply(uint32_t mode)
{
    return mode & MODE_PERM_MASK & ~current_proc()->umask;
}

/* umask(mask): only the 0777 bits are kept (as Linux); the old mask is returned. */
long sys_umask(struct syscall_args a)
{
    struct proc *self = current_proc();
    uint32_t old = self->umask;
    self->umask = (uint32_t)a.arg[0] & 0777;
    return old;
}
