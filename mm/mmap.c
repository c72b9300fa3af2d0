/*
 * mmap.c — the region operations behind mmap, munmap, mprotect and madvise.
 *
 * All of them work on whole regions: a range that starts or ends inside a region
 * first cuts it there (vma_cut), so that the operation applies to whole
 * regions; afterwards, touching regions that have become alike are merged again,
 * as Linux does. Pages themselves are never touched here except to drop them or
 * to change their rights: they appear on first use (mm/fault.c).
 */
#include "mmap.h"

#include "as.h"
#include "cow.h"
#include "fault.h"
#include "kernel/errno.h"
#include "object.h"
#include "page_cache.h"
#include "pageout.h"
#include "pmm.h"
#include "place.h"
#include "pt.h"
#include "vma.h"

/* The largest offset in a file (Linux's MAX_LFS_FILESIZE): a mapping must end
 * within it. */
#define FILE_OFFSET_MAX 0x7fffffffffffffffull

/* The protection bits mprotect accepts besides PROT_GROWSDOWN/UP. */
#define KNOWN_PROT (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)

static uint32_t vma_prot_of(int prot)
{
    return (uint32_t)prot & (VMA_READ | VMA_WRITE | VMA_EXEC);
}

/* Remove every region and page in [start, end). 0 or -ENOMEM (a region could
 * not be split; nothing was removed). */
static int unmap_regions(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    int error = vma_cut(as, start, end);
    if (error != 0)
        return error;
    struct vma *vma;
    while ((vma = vma_find_intersection(as, start, end)) != NULL) {
        as_unmap_range(as, vma->start, vma->end);
        vma_destroy(as, vma);
    }
    place_note_freed(as, end);
    return 0;
}

long mm_populate(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
        const struct vma *vma = vma_find(as, va);
        if (vma == NULL)
            return -ENOMEM; /* unmapped meanwhile */
        if (!(vma->prot & (VMA_READ | VMA_WRITE)))
            return -EFAULT; /* PROT_NONE: nothing may touch it */
        enum fault_access access = (vma->prot & VMA_WRITE) ? FAULT_WRITE : FAULT_READ;
        struct fault_info touch = { .address = va, .access = access, .user_mode = true };
        enum fault_result result = mm_handle_fault(as, &touch, NULL).result;
        if (result == FAULT_OUT_OF_MEMORY)
            return -ENOMEM;
        if (result != FAULT_RESOLVED)
            return -EFAULT; /* a touch would have had a signal (SIGBUS: a lost page) */
    }
    return 0;
}

long mm_mmap(struct addr_space *as, vaddr_t addr, size_t length, int prot, int flags)
{
    return mm_mmap_object(as, addr, length, prot, flags, NULL);
}

long mm_mmap_object(struct addr_space *as, vaddr_t addr, size_t length, int prot, int flags,
                    const struct mmap_source *source)
{
    int type = flags & MAP_TYPE;
    if (length == 0 || (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE))
        return -EINVAL;
    size_t len = align_up(length, PAGE_SIZE);
    if (len == 0 || len > USER_MAP_END - USER_MIN_ADDRESS)
        return -ENOMEM; /* too big, or the rounding overflowed */
    if (flags & MAP_FIXED_NOREPLACE)
        flags |= MAP_FIXED;

    vaddr_t start;
    if (flags & MAP_FIXED) {
        if (!is_page_aligned(addr))
            return -EINVAL;
        if (addr > USER_MAP_END - len)
            return -ENOMEM;
        if (addr < USER_MIN_ADDRESS)
            return -EPERM; /* the never-mapped low 4 MiB (Linux: mmap_min_addr) */
        if ((flags & MAP_FIXED_NOREPLACE) && vma_find_intersection(as, addr, addr + len) != NULL)
            return -EEXIST;
    }
    if (source != NULL && source->pgoff + len / PAGE_SIZE < source->pgoff)
        return -EOVERFLOW; /* the file offset of the end would wrap around */
    if (flags & MAP_FIXED) {
        start = addr;
    } else {
        start = place_mapping(as, addr, len);
        if (start == 0)
            return -ENOMEM;
    }
    /* Linux checks the file here, once the place is known: the end must lie within
     * the largest file offset (2^63 - 1), then the descriptor's mode and kind */
    if (source != NULL && source->object != NULL &&
        (len > FILE_OFFSET_MAX || source->pgoff > (FILE_OFFSET_MAX - len) / PAGE_SIZE))
        return -EOVERFLOW;
    if (source != NULL && source->refuse != 0)
        return source->refuse;
    /* RLIMIT_AS and RLIMIT_DATA (mm/limits.h): what the mapping adds, counted
     * before anything it replaces is unmapped */
    bool is_data = (prot & PROT_WRITE) && type == MAP_PRIVATE;
    if (!as_may_map(as, start, start + len, is_data))
        return -ENOMEM;
    if ((flags & MAP_FIXED) && unmap_regions(as, addr, addr + len) != 0)
        return -ENOMEM;
    uint32_t kind = type == MAP_PRIVATE ? 0 : VMA_SHARED;
    if (source != NULL && source->no_write)
        kind |= VMA_NO_WRITE;
    if ((flags & MAP_LOCKED) || as->lock_future)
        kind |= VMA_LOCKED; /* sys_mmap populates it */
    struct vma *vma = source == NULL ? vma_create(as, start, start + len, vma_prot_of(prot), kind)
                                     : vma_create_mapping(as, start, start + len, vma_prot_of(prot),
                                                          kind, source->object, source->pgoff);
    if (vma == NULL)
        return -ENOMEM;
    vma_merge_neighbours(as, vma);
    return (long)start; /* MAP_POPULATE is the caller's: mm_populate, step by step */
}

long mm_munmap(struct addr_space *as, vaddr_t addr, size_t length)
{
    if (!is_page_aligned(addr) || length == 0 || addr > USER_MAP_END ||
        length > USER_MAP_END - addr)
        return -EINVAL;
    return unmap_regions(as, addr, addr + align_up(length, PAGE_SIZE));
}

/* New rights for the pages of a region that hold frames. PROT_NONE makes them
 * inaccessible but keeps their frames (pt_protect_none), as Linux does. A page
 * that must stay read-only whatever the region allows -- the shared zero page, a
 * page still shared copy-on-write -- stays so; a write will fault and copy it. */
static void reprotect_pages(struct addr_space *as, const struct vma *vma)
{
    for (vaddr_t va = vma->start; pt_next_present(as->root, va, vma->end, &va); va += PAGE_SIZE) {
        if (vma->prot == 0) {
            pt_protect_none(as->root, va);
            continue;
        }
        pt_protect(as->root, va, cow_pte_flags(vma, pte_frame(*pt_lookup(as->root, va))));
    }
}

/* PROT_GROWSDOWN: the change reaches down to the start of the stack region that
 * [addr, end) touches. The new start, or -ENOMEM (no region there) or -EINVAL
 * (not a stack). */
static long grows_down_start(struct addr_space *as, vaddr_t addr, vaddr_t end)
{
    struct vma *vma = vma_find_intersection(as, addr, end);
    if (vma == NULL)
        return -ENOMEM;
    return (vma->flags & VMA_GROWSDOWN) ? (long)vma->start : -EINVAL;
}

/* Give every region in [addr, end) the rights prot, region by region. Like
 * Linux, a hole ends the work with -ENOMEM, leaving the regions before it
 * changed; a region is cut only when it is about to change, so one beyond a
 * hole stays whole. */
static long protect_regions(struct addr_space *as, vaddr_t addr, vaddr_t end, int prot)
{
    for (vaddr_t at = addr; at < end;) {
        struct vma *vma = vma_find(as, at);
        if (vma == NULL)
            return -ENOMEM;
        if ((vma->flags & VMA_NO_WRITE) && (prot & PROT_WRITE))
            return -EACCES; /* a shared mapping of a file the process may not write */
        vaddr_t to = vma->end < end ? vma->end : end;
        if (vma_cut(as, at, to) != 0)
            return -ENOMEM;
        vma = vma_find(as, at); /* [at, to) is a region of its own now */
        vma->prot = vma_prot_of(prot);
        reprotect_pages(as, vma);
        vma_merge_neighbours(as, vma); /* may free vma: go on from to */
        at = to;
    }
    return 0;
}

/* Linux's checks, in Linux's order: an unaligned start is EINVAL, a zero length
 * succeeds, a range that wraps around is ENOMEM, and only then are unknown
 * protection bits EINVAL. */
long mm_mprotect(struct addr_space *as, vaddr_t addr, size_t length, int prot)
{
    int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    prot &= ~grows;
    if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || !is_page_aligned(addr))
        return -EINVAL;
    if (length == 0)
        return 0;
    vaddr_t end = addr + align_up(length, PAGE_SIZE);
    if (end <= addr)
        return -ENOMEM; /* the length wrapped around, in the rounding or the sum */
    if (prot & ~KNOWN_PROT)
        return -EINVAL;
    if (grows == PROT_GROWSDOWN) {
        long start = grows_down_start(as, addr, end);
        if (start < 0)
            return start;
        addr = (vaddr_t)start;
    } else if (grows == PROT_GROWSUP) {
        /* no region grows up on x86: the region at addr is not one */
        return vma_find(as, addr) != NULL ? -EINVAL : -ENOMEM;
    }
    return protect_regions(as, addr, end, prot);
}

/* The advice Linux knows: MADV_NORMAL .. MADV_DONTNEED, then MADV_FREE ..
 * MADV_POPULATE_WRITE (5..7 were never used). vmlab acts on DONTNEED, FREE,
 * REMOVE, PAGEOUT and WILLNEED (for files); the rest are hints it may ignore, as
 * Linux may. */
static bool advice_known(int advice)
{
    return (advice >= MADV_NORMAL && advice <= MADV_DONTNEED) ||
           (advice >= MADV_FREE && advice <= MADV_POPULATE_WRITE);
}

/* Advice that would take pages out of memory (drop them, or have reclaim take
 * them first): Linux 6.1 refuses it on a locked region with EINVAL
 * (madvise_dontneed_free_valid_vma, can_madv_lru_vma), the regions before it in
 * the range having had it already. */
static bool drops_pages(int advice)
{
    return advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_COLD ||
           advice == MADV_PAGEOUT;
}

/* MADV_REMOVE of [from, to) in one region, as Linux's madvise_remove: punch a
 * hole in the object behind it, so the range reads as zeros in every process
 * mapping it, its pages and swap slots freed. Only through a MAP_SHARED mapping
 * that may be written (-EACCES; one mprotect made read-only may: Linux 6.1 and
 * 6.18 both say 0), not a locked one nor private anonymous memory, which has no
 * object (-EINVAL), and only in shared anonymous memory (Linux's shmem): a file
 * is -EOPNOTSUPP, since ext2 cannot punch holes (it has no fallocate). */
static long remove_pages(const struct vma *vma, vaddr_t from, vaddr_t to)
{
    if ((vma->flags & VMA_LOCKED) || vma->object == NULL)
        return -EINVAL;
    if (!(vma->flags & VMA_SHARED) || (vma->flags & VMA_NO_WRITE))
        return -EACCES;
    if (!object_is_swap_backed(vma->object))
        return -EOPNOTSUPP;
    uint64_t first = vma->pgoff + (from - vma->start) / PAGE_SIZE;
    page_cache_punch_hole(vma->object, first, first + (to - from) / PAGE_SIZE);
    return 0;
}

/* Linux's checks: an unknown advice, an unaligned start, or a range that wraps
 * around (in the rounding or the sum) is EINVAL; an empty range succeeds. Then
 * each region in the range gets the advice; a hole makes the answer -ENOMEM,
 * but (like Linux) only after the regions beyond it got the advice too. */
long mm_madvise(struct addr_space *as, vaddr_t addr, size_t length, int advice)
{
    if (!is_page_aligned(addr) || !advice_known(advice))
        return -EINVAL;
    size_t len = align_up(length, PAGE_SIZE);
    vaddr_t end = addr + len;
    if ((length != 0 && len == 0) || end < addr)
        return -EINVAL;
    int result = 0;
    for (vaddr_t at = addr; at < end;) {
        struct vma *vma = vma_find_after(as, at);
        if (vma == NULL || vma->start >= end)
            return -ENOMEM; /* the rest is a hole */
        if (vma->start > at)
            result = -ENOMEM; /* a hole before this region */
        vaddr_t from = vma->start > at ? vma->start : at, to = vma->end < end ? vma->end : end;
        if (drops_pages(advice) && (vma->flags & VMA_LOCKED))
            return -EINVAL; /* locked pages stay in memory: Linux refuses, not unlocks */
        if (advice == MADV_FREE && vma->object != NULL)
            return -EINVAL; /* "free if you like" is for anonymous private memory only */
        long removed = advice == MADV_REMOVE ? remove_pages(vma, from, to) : 0;
        if (removed != 0)
            return removed;
        if (advice == MADV_DONTNEED || advice == MADV_FREE)
            as_unmap_range(as, from, to); /* private pages read back as zeros, or as the
                                             file has them; shared ones stay cached */
        if (advice == MADV_PAGEOUT)
            mm_pageout(as, from, to); /* (sleeps: vma is not used after it) */
        if (advice == MADV_COLD)
            mm_cold(as, from, to);
        if (advice == MADV_WILLNEED && vma->object != NULL)
            page_cache_read_ahead(vma->object, vma->pgoff + (from - vma->start) / PAGE_SIZE,
                                  (to - from) / PAGE_SIZE);
        at = to;
    }
    return result;
}
