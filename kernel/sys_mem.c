/*
 * sys_mem.c — system calls that change the address space: brk, mmap, munmap,
 * mprotect, madvise, mremap (the work itself is mm/'s).
 */
#include "cpu.h"
#include "errno.h"
#include "fs/fdtable.h"
#include "mm/brk.h"
#include "mm/mmap.h"
#include "proc.h"
#include "syscall.h"

#define POPULATE_STEP (2ul << 20) /* MAP_POPULATE's pages per step: one page table's worth */

long sys_brk(struct syscall_args a)
{
    return (long)as_brk(current_proc()->as, a.arg[0]);
}

/* MAP_POPULATE: the new mapping's pages made present, POPULATE_STEP bytes at a
 * time. A huge mapping takes long (and may fill memory with page tables), so
 * between steps the others get their turn and a fatal signal ends the work. */
static void populate(struct addr_space *as, vaddr_t start, size_t length)
{
    vaddr_t end = start + align_up(length, PAGE_SIZE);
    for (vaddr_t at = start; at < end; at += POPULATE_STEP) {
        vaddr_t step_end = end - at > POPULATE_STEP ? at + POPULATE_STEP : end;
        if (!mm_populate(as, at, step_end) || !syscall_preempt_point())
            return;
    }
}

long sys_mmap(struct syscall_args a)
{
    vaddr_t addr = a.arg[0];
    size_t length = a.arg[1];
    int prot = (int)a.arg[2], flags = (int)a.arg[3], fd = (int)a.arg[4];
    uint64_t offset = a.arg[5];
    if (offset & (PAGE_SIZE - 1))
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS)) {
        /* no kind of file can be mapped yet (that comes with the page cache):
         * an open descriptor is -ENODEV, as Linux answers for a pipe or a tty */
        struct file *f = fd_get(current_proc()->files, fd);
        if (f == NULL)
            return -EBADF;
        file_put(f);
        return -ENODEV;
    }
    struct addr_space *as = current_proc()->as;
    long start = mm_mmap(as, addr, length, prot, flags);
    if (start >= 0 && (flags & MAP_POPULATE))
        populate(as, (vaddr_t)start, length);
    return start;
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
