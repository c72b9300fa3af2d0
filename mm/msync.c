/*
 * msync.c — msync: writing what a program stored through MAP_SHARED mappings back
 * to their files, now (MS_SYNC) rather than at some later write-back.
 *
 * Stores through a shared mapping change the page cache's frame directly; the CPU
 * notes them in the page-table entries' D bits, and the page cache collects those
 * bits through the reverse map when it writes back (mm/page_cache.h). So msync is a
 * loop over the regions of the range that asks the page cache to write back the
 * pages each one maps. MS_ASYNC has nothing to start (the pages are already in the
 * cache, where every reader sees them, as on Linux); MS_INVALIDATE has nothing to
 * throw away (there is only one copy of each page).
 */
#include "mmap.h"

#include "as.h"
#include "kernel/errno.h"
#include "object.h"
#include "page_cache.h"
#include "vma.h"

/* The dirty pages of [from, to), part of region vma, written back. */
static int sync_part(const struct vma *vma, vaddr_t from, vaddr_t to)
{
    uint64_t first = vma->pgoff + (from - vma->start) / PAGE_SIZE;
    uint64_t end = vma->pgoff + (to - vma->start) / PAGE_SIZE;
    return page_cache_sync(vma->object, first, end);
}

/* Linux's checks and walk, in Linux's order: unknown flags, an unaligned start,
 * or MS_SYNC with MS_ASYNC are EINVAL; a range that wraps is ENOMEM; an empty
 * one succeeds. A hole makes the answer ENOMEM (MS_ASYNC alone stops there; the
 * others go on to the regions after it); a failed write-back ends the walk with
 * its error. */
long mm_msync(struct addr_space *as, vaddr_t addr, size_t length, int flags)
{
    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || !is_page_aligned(addr) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    vaddr_t end = addr + align_up(length, PAGE_SIZE);
    if (end < addr || (length != 0 && align_up(length, PAGE_SIZE) == 0))
        return -ENOMEM;
    long hole = 0;
    for (vaddr_t at = addr; at < end;) {
        struct vma *vma = vma_find_after(as, at);
        if (vma == NULL)
            return -ENOMEM; /* nothing mapped from here on */
        if (at < vma->start) {
            if (flags == MS_ASYNC)
                return -ENOMEM;
            at = vma->start;
            if (at >= end)
                return -ENOMEM;
            hole = -ENOMEM;
        }
        vaddr_t to = vma->end < end ? vma->end : end;
        if ((flags & MS_SYNC) && vma->object != NULL && (vma->flags & VMA_SHARED)) {
            int error = sync_part(vma, at, to); /* sleeps; the regions stay (ours alone) */
            if (error != 0)
                return error;
        }
        at = to;
    }
    return hole;
}
