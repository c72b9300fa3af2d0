/*
 * mlock.c — locked regions: flagged VMA_LOCKED, their pages made present.
 */
#include "mlock.h"

#include "as.h"
#include "kernel/errno.h"
#include "mmap.h"
#include "vma.h"

/* Make the pages of a locked region present. 0, or mm_populate's -ENOMEM (no
 * memory) or -EFAULT (a page a touch cannot bring in: SIGBUS). A PROT_NONE
 * region stays locked but empty, and is -EFAULT too: nothing may touch it, and
 * Linux's populate (whose forced touch is for regions with some right) fails
 * there, so that its mlock says ENOMEM. */
static long populate_region(struct addr_space *as, const struct vma *vma)
{
    if (!(vma->prot & (VMA_READ | VMA_WRITE | VMA_EXEC)))
        return -EFAULT;
    return mm_populate(as, vma->start, vma->end);
}

/* mlock's answer when populating failed, as Linux's (__mlock_posix_error_return):
 * no memory is EAGAIN, "could not lock all pages"; a page that cannot be brought
 * in (its fault gives SIGBUS) is ENOMEM, as for a range not mapped. */
static long mlock_error(long populate_error)
{
    return populate_error == -EFAULT ? -ENOMEM : -EAGAIN;
}

/* Set or clear VMA_LOCKED on [start, end), cutting regions at the ends; then, when
 * locking, fault the pages in. As protect_regions does for mprotect. */
static long lock_regions(struct addr_space *as, vaddr_t start, vaddr_t end, bool lock,
                         bool populate)
{
    for (vaddr_t at = start; at < end;) {
        struct vma *vma = vma_find(as, at);
        if (vma == NULL)
            return -ENOMEM;
        vaddr_t to = vma->end < end ? vma->end : end;
        if (vma_cut(as, at, to) != 0)
            return -ENOMEM;
        vma = vma_find(as, at); /* [at, to) is a region of its own now */
        vma->flags = lock ? vma->flags | VMA_LOCKED : vma->flags & ~VMA_LOCKED;
        long error = lock && populate ? populate_region(as, vma) : 0;
        if (error != 0)
            return mlock_error(error);
        vma = vma_find(as, at); /* (populating may not change regions, but be sure) */
        if (vma != NULL)
            vma_merge_neighbours(as, vma);
        at = to;
    }
    return 0;
}

long mm_mlock(struct addr_space *as, vaddr_t addr, size_t len, bool lock, bool on_fault)
{
    vaddr_t start = align_down(addr, PAGE_SIZE);
    vaddr_t end = align_up(addr + len, PAGE_SIZE);
    if (addr + len < addr || (len != 0 && end <= start))
        return -EINVAL;
    if (len == 0)
        return 0;
    return lock_regions(as, start, end, lock, !on_fault);
}

long mm_mlockall(struct addr_space *as, int flags)
{
    if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
        return -EINVAL;
    as->lock_future = flags & MCL_FUTURE;
    if (!(flags & MCL_CURRENT))
        return 0;
    bool populate = !(flags & MCL_ONFAULT);
    for (struct vma *vma = vma_find_after(as, 0); vma != NULL;) {
        vma->flags |= VMA_LOCKED;
        vaddr_t end = vma->end;
        /* a region that cannot be brought in (out of memory, a file mapping past
         * its end) stays lazy, and mlockall still succeeds: Linux's populates
         * ignoring errors (mm_populate), each region in turn */
        if (populate)
            (void)populate_region(as, vma);
        vma = vma_find_after(as, end); /* the next one (populating may have slept) */
    }
    return 0;
}

long mm_munlockall(struct addr_space *as)
{
    as->lock_future = false;
    for (struct vma *vma = vma_find_after(as, 0); vma != NULL; vma = vma_next(vma))
        vma->flags &= ~VMA_LOCKED;
    return 0;
}

bool mm_is_locked(struct addr_space *as, vaddr_t va)
{
    struct vma *vma = as != NULL ? vma_find(as, va) : NULL;
    return vma != NULL && (vma->flags & VMA_LOCKED);
}
