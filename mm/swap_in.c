/*
 * swap_in.c — a swap entry's page back in a frame.
 *
 *   entry names slot S
 *     S's page in the swap cache?  yes: share that frame (a minor fault)
 *                                  no:  a new frame, put in the cache (so that
 *                                       others touching S wait for it and share
 *                                       it), read from S (a major fault)
 *     map the frame in place of the entry; S has one user less
 *     S has no users left?  then the cache lets go of the frame and S is free
 *     the frame mapped by nobody else?  then the entry may be writable
 */
#include "swap_in.h"

#include "as.h"
#include "cow.h"
#include "kernel/errno.h"
#include "pmm.h"
#include "pt.h"
#include "reclaim.h"
#include "swap_slots.h"
#include "vma.h"

/* A frame holding slot's page, with a reference for the caller: the cached one,
 * or a new one read from the slot (*major). 0, -EAGAIN (I/O on it was under way:
 * waited for it, look again), -ENOMEM, -EIO. */
static int get_slot_page(uint64_t slot, paddr_t *frame, bool *major)
{
    paddr_t cached = swap_cache_frame(slot);
    if (cached != PMM_NO_FRAME) {
        if (pmm_page(cached)->flags & PG_SWAP_IO) {
            reclaim_wait_swap_io(cached);
            return -EAGAIN;
        }
        pmm_ref(cached);
        *frame = cached;
        return 0;
    }
    paddr_t fresh = pmm_alloc(FRAME_USER);
    if (fresh == PMM_NO_FRAME)
        return -ENOMEM;
    /* in the cache before the read sleeps: whoever else touches the slot waits */
    swap_cache_add(slot, fresh);
    struct page *page = pmm_page(fresh);
    page->flags |= PG_SWAP_IO | PG_SWAP_READ;
    int error = swap_read_slot(slot, phys_to_virt(fresh));
    page->flags &= ~(PG_SWAP_IO | PG_SWAP_READ);
    reclaim_wake_swap_io(fresh);
    if (error != 0) {
        swap_cache_remove(fresh); /* the cache's reference */
        pmm_unref(fresh);         /* ours: the frame is free again */
        return -EIO;
    }
    *major = true;
    *frame = fresh;
    return 0;
}

/* The rights of the entry: the region's, but read-only while the page is shared
 * (the slot named elsewhere too, or the frame mapped elsewhere). */
static uint64_t entry_flags(const struct vma *vma, uint64_t slot, paddr_t frame)
{
    uint64_t flags = vma_pte_flags(vma);
    /* references now: ours, the swap cache's, and one per other mapping */
    bool alone = swap_slot_users(slot) == 1 && pmm_page(frame)->refcount == 2;
    if (!alone && !(vma->flags & VMA_SHARED))
        flags &= ~PTE_WRITABLE;
    return flags;
}

int swap_in_page(struct addr_space *as, const struct vma *vma, vaddr_t page, bool *major)
{
    pte_t entry = as_entry(as, page);
    if (!pte_is_swap(entry))
        return -EAGAIN;
    uint64_t slot = pte_swap_slot(entry);
    paddr_t frame;
    int error = get_slot_page(slot, &frame, major);
    if (error != 0)
        return error;
    /* the read may have slept: pt_swap_in checks the entry still names the slot */
    error = pt_swap_in(as->root, page, slot, frame, entry_flags(vma, slot, frame) | PTE_USER);
    if (error != 0) {
        pmm_unref(frame);
        return error;
    }
    as_count_swapped_in(as);
    swap_slot_put(slot); /* the entry no longer names it; the last user frees it */
    if (!(vma->prot & (VMA_READ | VMA_WRITE | VMA_EXEC)))
        pt_protect_none(as->root, page); /* swapoff bringing in a PROT_NONE page */
    return 0;
}
