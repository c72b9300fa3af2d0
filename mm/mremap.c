/*
 * mremap.c — resizing, and if allowed moving, a mapping: Linux's mremap, for
 * anonymous memory and file mappings alike.
 *
 *   same size          -> nothing to do
 *   shrink             -> the tail is unmapped, as by munmap; the start stays
 *   grow, room after   -> the region is extended where it is
 *   grow, no room      -> with MREMAP_MAYMOVE the mapping moves to a free place
 *   MREMAP_FIXED       -> it moves to new_addr; whatever was there is unmapped
 *   MREMAP_DONTUNMAP   -> it moves (same size); the old range stays, empty
 *   old_size 0         -> a second mapping of a shared region's pages
 *
 * A move carries page-table entries, not frames: each frame keeps its one
 * reference, now held by the entry at the new address. It is all or nothing: the
 * entries are first copied to the new place (which may need page tables, and so
 * may fail), and only then removed from the old one.
 *
 * The checks are Linux's, in Linux's order, so that a bad request gets the same
 * errno here as there. A mapping may grow past the end of its object (a file, a
 * shared anonymous region): the new pages beyond it give SIGBUS when touched.
 */
#include "mmap.h"

#include "as.h"
#include "kernel/errno.h"
#include "limits.h"
#include "place.h"
#include "pt.h"
#include "swap_slots.h"
#include "vma.h"

#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4
#define MREMAP_KNOWN     (MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)

/* One request, its sizes rounded up to pages. old_len and vma follow the
 * request as it is carried out (a shrink before a move changes both). */
struct remap {
    vaddr_t addr;
    size_t old_len, new_len;
    int flags;
    vaddr_t new_addr; /* MREMAP_FIXED: the place; MREMAP_DONTUNMAP alone: a hint */
    struct vma *vma;  /* the region at addr */
};

/* Does the request name a new address (and so always move)? */
static bool names_new_address(const struct remap *r)
{
    return r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

/* Do [addr, addr + old_len) and [new_addr, new_addr + new_len) overlap? The sums
 * wrap as Linux's do, so a wrapping old range is caught later by the unmap. */
static bool overlaps_old_range(const struct remap *r)
{
    return r->addr + r->old_len > r->new_addr && r->new_addr + r->new_len > r->addr;
}

/* The checks that need no region: flags, alignment, sizes, and a named new
 * address's place (inside user space, clear of the old range). 0 or -EINVAL. */
static int check_request(const struct remap *r)
{
    if ((r->flags & ~MREMAP_KNOWN) || !is_page_aligned(r->addr))
        return -EINVAL;
    if (r->new_len == 0 || r->new_len > USER_MAP_END)
        return -EINVAL; /* zero, rounded up past 2^64, or bigger than user space */
    if (!names_new_address(r))
        return 0;
    if (!is_page_aligned(r->new_addr) || !(r->flags & MREMAP_MAYMOVE))
        return -EINVAL;
    if ((r->flags & MREMAP_DONTUNMAP) && r->old_len != r->new_len)
        return -EINVAL;
    if (r->new_addr > USER_MAP_END - r->new_len)
        return -EINVAL; /* would reach past user space, into the kernel half */
    return overlaps_old_range(r) ? -EINVAL : 0;
}

/* May [addr, addr + old_len) of its region become new_len bytes (Linux's
 * remap_is_valid)? 0; -EINVAL for old_len 0 on a private region (there is
 * nothing to duplicate); -EFAULT if the range runs past its region; -ENOMEM if
 * growing would pass RLIMIT_AS or RLIMIT_DATA. A region
 * that grows past the end of its object may: touching the pages beyond is
 * SIGBUS, as on Linux. */
static int check_resize(const struct remap *r)
{
    const struct vma *vma = r->vma;
    if (r->old_len == 0 && !(vma->flags & VMA_SHARED))
        return -EINVAL;
    if (r->old_len > vma->end - r->addr)
        return -EFAULT;
    /* RLIMIT_AS and RLIMIT_DATA (mm/limits.h) count what growing adds */
    bool is_data = (vma->prot & VMA_WRITE) && !(vma->flags & VMA_SHARED);
    if (r->new_len > r->old_len && !as_may_grow(vma->as, r->new_len - r->old_len, is_data))
        return -ENOMEM;
    return 0;
}

/* Find the region at addr again after an unmap, which may have split or
 * removed it. 0 or -EFAULT. */
static int refind_region(struct addr_space *as, struct remap *r)
{
    r->vma = vma_find(as, r->addr);
    return r->vma != NULL ? 0 : -EFAULT;
}

/* Shrink: unmap [addr + new_len, addr + old_len) as munmap would (it may cover
 * other regions and holes too). 0 or -errno (then nothing changed). */
static long shrink(struct addr_space *as, struct remap *r)
{
    long error = mm_munmap(as, r->addr + r->new_len, r->old_len - r->new_len);
    if (error != 0)
        return error;
    r->old_len = r->new_len;
    return refind_region(as, r);
}

/* Room to grow where it is: the range ends where its region does, and the
 * pages that would follow are free and inside user space. */
static bool can_grow_in_place(struct addr_space *as, const struct remap *r)
{
    vaddr_t end = r->vma->end, new_end = r->addr + r->new_len;
    return r->addr + r->old_len == end && new_end <= USER_MAP_END &&
           vma_find_intersection(as, end, new_end) == NULL;
}

/* Where the mapping moves: new_addr with MREMAP_FIXED (-EPERM below the floor
 * mmap keeps), else a free place of new_len bytes, new_addr being a hint with
 * MREMAP_DONTUNMAP (-ENOMEM if there is none). */
static long destination(struct addr_space *as, const struct remap *r)
{
    if (r->flags & MREMAP_FIXED)
        return r->new_addr < USER_MIN_ADDRESS ? -EPERM : (long)r->new_addr;
    vaddr_t to = place_mapping(as, (r->flags & MREMAP_DONTUNMAP) ? r->new_addr : 0, r->new_len);
    return to != 0 ? (long)to : -ENOMEM;
}

/* Remove the entries of [start, start + len) without dropping their frames'
 * references: copies elsewhere hold them now. (A swap entry's copy took a slot
 * reference of its own, swap_slot_dup, so each removed swap entry gives one back.) */
static void drop_entries(struct addr_space *as, vaddr_t start, size_t len)
{
    for (vaddr_t va = start; pt_next_used(as->root, va, start + len, &va); va += PAGE_SIZE) {
        pte_t old = pt_unmap(as->root, va);
        if (pte_is_swap(old))
            swap_slot_put(pte_swap_slot(old));
    }
}

/* Copy one swapped-out page's entry (the slot gets one more user), or a lost
 * page's mark (it names no slot: the page stays lost where it moves). */
static int copy_swap_entry(struct addr_space *as, vaddr_t at, pte_t entry)
{
    int error = pt_map_swap(as->root, at, entry);
    if (error == 0 && pte_is_swap(entry))
        swap_slot_dup(pte_swap_slot(entry));
    return error;
}

/* Step one of a move: enter each frame of [from, from + len) at the same offset
 * from `to` as well, with the same rights (a PROT_NONE entry stays one). All or
 * nothing: on -ENOMEM (no memory for a page table) the copies made are removed. */
static int copy_entries(struct addr_space *as, vaddr_t from, vaddr_t to, size_t len)
{
    for (vaddr_t va = from; pt_next_used(as->root, va, from + len, &va); va += PAGE_SIZE) {
        pte_t old = *pt_lookup(as->root, va);
        vaddr_t at = to + (va - from);
        uint64_t flags = pte_flags(old) & ~(PTE_PRESENT | PTE_PROTNONE);
        int error = pte_is_swap(old) || pte_is_lost(old)
                        ? copy_swap_entry(as, at, old)
                        : pt_map(as->root, at, pte_frame(old), flags);
        if (error != 0) {
            drop_entries(as, to, va - from);
            return -ENOMEM;
        }
        if (pte_holds_frame(old) && !pte_present(old))
            pt_protect_none(as->root, at);
    }
    return 0;
}

/* Move [addr, addr + old_len) to a new region [to, to + new_len) with the same
 * rights, kind and object, carrying its pages; the old range is
 * unmapped, or with MREMAP_DONTUNMAP (or old_len 0) left as it is, empty. The
 * new address, or -ENOMEM with nothing moved. */
static long move_mapping(struct addr_space *as, struct remap *r, vaddr_t to)
{
    bool unmap_old = !(r->flags & MREMAP_DONTUNMAP) && r->old_len != 0;
    /* cut first, so that unmapping the old range at the end cannot fail */
    if (unmap_old && vma_cut(as, r->addr, r->addr + r->old_len) != 0)
        return -ENOMEM;
    struct vma *old = vma_find(as, r->addr);
    struct vma *moved = vma_create_like(as, old, r->addr, to, to + r->new_len);
    if (moved != NULL && copy_entries(as, r->addr, to, r->old_len) != 0) {
        vma_destroy(as, moved);
        moved = NULL;
    }
    if (moved == NULL) {
        vma_merge_neighbours(as, old); /* undo the cut */
        return -ENOMEM;
    }
    drop_entries(as, r->addr, r->old_len);
    if (unmap_old)
        mm_munmap(as, r->addr, r->old_len); /* whole regions now, and no pages */
    vma_merge_neighbours(as, moved);
    return (long)to;
}

/* MREMAP_FIXED or MREMAP_DONTUNMAP: always a move. Linux's order: unmap the
 * destination, shrink, check, then move. */
static long remap_to_new_address(struct addr_space *as, struct remap *r)
{
    if (r->flags & MREMAP_FIXED) {
        long error = mm_munmap(as, r->new_addr, r->new_len);
        if (error == 0)
            error = refind_region(as, r); /* the destination may have cut into it */
        if (error != 0)
            return error;
    }
    if (r->old_len > r->new_len) {
        long error = shrink(as, r);
        if (error != 0)
            return error;
    }
    int error = check_resize(r);
    if (error != 0)
        return error;
    long to = destination(as, r);
    return to < 0 ? to : move_mapping(as, r, (vaddr_t)to);
}

/* No new address: resize where it is, or move if that is allowed and needed. */
static long resize_or_move(struct addr_space *as, struct remap *r)
{
    if (r->old_len == r->new_len)
        return (long)r->addr;
    if (r->old_len > r->new_len) {
        long error = shrink(as, r);
        return error != 0 ? error : (long)r->addr;
    }
    int error = check_resize(r);
    if (error != 0)
        return error;
    if (can_grow_in_place(as, r)) {
        vma_set_range(as, r->vma, r->vma->start, r->addr + r->new_len);
        vma_merge_neighbours(as, r->vma);
        return (long)r->addr;
    }
    if (!(r->flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    long to = destination(as, r);
    return to < 0 ? to : move_mapping(as, r, (vaddr_t)to);
}

long mm_mremap(struct addr_space *as, vaddr_t addr, size_t old_size, size_t new_size, int flags,
               vaddr_t new_addr)
{
    /* sizes that round up past 2^64 become 0, as on Linux */
    struct remap r = { .addr = addr,
                       .old_len = align_up(old_size, PAGE_SIZE),
                       .new_len = align_up(new_size, PAGE_SIZE),
                       .flags = flags,
                       .new_addr = new_addr };
    int error = check_request(&r);
    if (error != 0)
        return error;
    if (refind_region(as, &r) != 0)
        return -EFAULT; /* no region at addr */
    return names_new_address(&r) ? remap_to_new_address(as, &r) : resize_or_move(as, &r);
}
