/*
 * brk.c — the program break: moving the end of the heap.
 *
 * The heap runs from the initial break (brk_start, just above the program) to the
 * current break. As on Linux, no region is "the heap": a program may munmap,
 * mremap or mprotect parts of it, or map something over it (musl's malloc maps a
 * guard page over its first page). So brk looks only at the pages between the
 * old and the new break, each rounded up to a page ("end" below):
 *
 *            brk_start        old end        new end
 *   grow         |  ...heap...   |   new pages   | one free page |
 *                                  must be free, and one page above them;
 *                                  they become a read-write region
 *
 *            brk_start   new end        old end
 *   shrink       |  ...heap...  | unmapped  |
 *                                 whatever lies here goes, as with munmap;
 *                                 if nothing does, the request is refused
 *
 * Growing maps nothing yet: pages appear on first touch (demand-zero), so a
 * shrink followed by a grow reads zeros again. A refused request returns the old
 * break and changes nothing.
 */
#include "brk.h"

#include "as.h"
#include "limits.h"
#include "mmap.h"
#include "vma.h"

/* The highest end a grow from old_end may reach: a page must stay free below the
 * next region, or for the stack, below its guard gap (Linux's vm_start_gap). */
static vaddr_t growth_limit(struct addr_space *as, vaddr_t old_end)
{
    struct vma *next = vma_find_after(as, old_end);
    if (next == NULL)
        return USER_MAP_END;
    vaddr_t gap = (next->flags & VMA_GROWSDOWN) ? USER_STACK_GUARD_GAP : 0;
    vaddr_t bottom = next->start > gap ? next->start - gap : 0;
    return bottom > PAGE_SIZE ? bottom - PAGE_SIZE : 0;
}

/* Grow: make [old_end, new_end) a read-write region, merged with the heap below
 * it when that is alike. false if the range is not free, the heap would pass
 * RLIMIT_DATA or RLIMIT_AS (mm/limits.h), or memory ran out. */
static bool grow_heap(struct addr_space *as, vaddr_t old_end, vaddr_t new_end)
{
    if (new_end > growth_limit(as, old_end) || !as_may_map(as, old_end, new_end, true))
        return false;
    struct vma *vma = vma_create(as, old_end, new_end, VMA_READ | VMA_WRITE, 0);
    if (vma == NULL)
        return false;
    vma_merge_neighbours(as, vma);
    return true;
}

/* Shrink: unmap whatever lies in [new_end, old_end). false if nothing does (the
 * heap was unmapped or moved away: Linux refuses then) or memory ran out. */
static bool shrink_heap(struct addr_space *as, vaddr_t new_end, vaddr_t old_end)
{
    struct vma *first = vma_find_after(as, new_end);
    if (first == NULL || first->start >= old_end)
        return false;
    return mm_munmap(as, new_end, old_end - new_end) == 0;
}

vaddr_t as_brk(struct addr_space *as, vaddr_t requested)
{
    /* Checked before rounding: a break near 2^64 would round up to 0. */
    if (requested < as->brk_start || requested > USER_MAP_END)
        return as->brk;
    vaddr_t old_end = align_up(as->brk, PAGE_SIZE), new_end = align_up(requested, PAGE_SIZE);
    bool moved = true;
    if (new_end > old_end)
        moved = grow_heap(as, old_end, new_end);
    else if (new_end < old_end)
        moved = shrink_heap(as, new_end, old_end);
    if (moved)
        as->brk = requested;
    return as->brk;
}
