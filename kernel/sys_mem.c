/*
 * sys_mem.c — system calls that change the address space: brk, mmap, munmap,
 * mprotect, madvise, mremap (the work itself is mm/'s).
 */
#include "cpu.h"
#include "errno.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/vfile.h"
#include "fs/vfs.h"
#include "mm/brk.h"
#include "mm/mlock.h"
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
        if (mm_populate(as, at, step_end) != 0 || !syscall_preempt_point())
            return;
    }
}

/* May f be mapped so? Linux's checks, in its order: a shared writable mapping
 * needs a descriptor open for writing, and a file that is no active swap area
 * (-ETXTBSY); every mapping needs one open for reading;
 * the file must be of a kind that can be mapped (-ENODEV: a pipe, a terminal, a
 * directory). 0 with source->object (and no_write for a shared mapping of a
 * descriptor not open for writing), or -errno, which mmap answers once the
 * address checks before it have passed. */
static int check_file_mapping(struct file *f, int prot, int flags, struct mmap_source *source)
{
    uint32_t mode = f->flags & O_ACCMODE;
    bool readable = mode == O_RDONLY || mode == O_RDWR;
    bool writable = mode == O_WRONLY || mode == O_RDWR;
    int type = flags & MAP_TYPE;
    if (type == MAP_SHARED || type == MAP_SHARED_VALIDATE) {
        if ((prot & PROT_WRITE) && !writable)
            return -EACCES;
        struct inode *ip = vfile_inode(f);
        if ((prot & PROT_WRITE) && ip != NULL && ip->swapfile)
            return -ETXTBSY; /* an active swap file: swap owns its blocks (kernel/fs/swapfile.h) */
        source->no_write = !writable;
    }
    if (!readable)
        return -EACCES;
    if (f->ops->maps_anonymous)
        return 0; /* no object: the caller maps anonymous memory */
    if (f->ops->mmap_object == NULL)
        return -ENODEV;
    int error;
    source->object = f->ops->mmap_object(f, &error);
    return source->object != NULL ? 0 : error;
}

long sys_mmap(struct syscall_args a)
{
    vaddr_t addr = a.arg[0];
    size_t length = a.arg[1];
    int prot = (int)a.arg[2], flags = (int)a.arg[3], fd = (int)a.arg[4];
    uint64_t offset = a.arg[5];
    if (offset & (PAGE_SIZE - 1))
        return -EINVAL;
    struct addr_space *as = current_proc()->as;
    long start;
    if (flags & MAP_ANONYMOUS) {
        start = mm_mmap(as, addr, length, prot, flags);
    } else {
        struct file *f = fd_get(current_proc()->files, fd);
        if (f == NULL)
            return -EBADF;
        struct mmap_source source = { .pgoff = offset / PAGE_SIZE };
        source.refuse = check_file_mapping(f, prot, flags, &source);
        if (source.refuse == 0 && source.object == NULL) /* /dev/zero */
            start = mm_mmap(as, addr, length, prot, flags | MAP_ANONYMOUS);
        else
            start = mm_mmap_object(as, addr, length, prot, flags, &source);
        file_put(f); /* the region keeps the file's object, and so its inode */
    }
    if (start >= 0 && ((flags & (MAP_POPULATE | MAP_LOCKED)) || as->lock_future))
        populate(as, (vaddr_t)start, length);
    return start;
}

long sys_mlock(struct syscall_args a)
{
    return mm_mlock(current_proc()->as, a.arg[0], a.arg[1], true, false);
}

long sys_mlock2(struct syscall_args a)
{
    if (a.arg[2] & ~(uint64_t)MLOCK_ONFAULT)
        return -EINVAL;
    return mm_mlock(current_proc()->as, a.arg[0], a.arg[1], true, a.arg[2] & MLOCK_ONFAULT);
}

long sys_munlock(struct syscall_args a)
{
    return mm_mlock(current_proc()->as, a.arg[0], a.arg[1], false, false);
}

long sys_mlockall(struct syscall_args a)
{
    return mm_mlockall(current_proc()->as, (int)a.arg[0]);
}

long sys_munlockall(struct syscall_args a)
{
    (void)a;
    return mm_munlockall(current_proc()->as);
}

long sys_msync(struct syscall_args a)
{
    return mm_msync(current_proc()->as, a.arg[0], a.arg[1], (int)a.arg[2]);
}

long sys_mincore(struct syscall_args a)
{
    return mm_mincore(current_proc()->as, a.arg[0], a.arg[1], a.arg[2]);
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
