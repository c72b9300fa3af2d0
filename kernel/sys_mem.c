/*
 * sys_mem.c — system calls that change the address space: brk.
 */
#include "cpu.h"
#include "mm/brk.h"
#include "proc.h"
#include "syscall.h"

long sys_brk(struct syscall_args a)
{
    return (long)as_brk(current_proc()->as, a.arg[0]);
}

#include "errno.h"
#include "mm/mmap.h"

long sys_mmap(struct syscall_args a)
{
    vaddr_t addr = a.arg[0];
    size_t length = a.arg[1];
    int prot = (int)a.arg[2], flags = (int)a.arg[3], fd = (int)a.arg[4];
    uint64_t offset = a.arg[5];
    if (offset & (PAGE_SIZE - 1))
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS)) {
        /* no files to map yet: fds 0-2 are the console, which cannot be mapped */
        return fd >= 0 && fd <= 2 ? -ENODEV : -EBADF;
    }
    return mm_mmap(current_proc()->as, addr, length, prot, flags);
}

long sys_munmap(struct syscall_args a)
{
    return mm_munmap(current_proc()->as, a.arg[0], a.arg[1]);
}

long sys_mprotect(struct syscall_args a)
{
    return mm_mprotect(current_proc()->as, a.arg[0], a.arg[1], (int)a.arg[2]);
}

long sys_madvise(struct syscall_args a)
{
    return mm_madvise(current_proc()->as, a.arg[0], a.arg[1], (int)a.arg[2]);
}

long sys_mremap(struct syscall_args a)
{
    return mm_mremap(current_proc()->as, a.arg[0], a.arg[1], a.arg[2], (int)a.arg[3], a.arg[4]);
}
