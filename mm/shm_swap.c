/*
 * shm_swap.c — shared anonymous memory (shm objects) going out to swap (shm_swap.h).
 *
 * A page of shared anonymous memory exists nowhere else, so it is never simply
 * dropped; when swap is on, reclaim writes it to a slot the object records by
 * index, like a file's block (Linux's shmem_writepage). One page's way out:
 *   1. used only by the cache and the entries mapping it, in no locked region,
 *      not used since the last look (its A bits: the Clock's second chance)
 *   2. a slot S, recorded in the object as the page's (index -> S)
 *   3. every entry mapping it removed (the reverse map), PG_LOCKED: a fault on
 *      it waits for the write, then looks again
 *   4. the frame written to S (sleeps)
 *   5. nobody waited for it meanwhile: it leaves the cache, the frame is free;
 *      else it stays and S goes (the frame is the page again); if the write
 *      failed, it stays and S is never used again
 * and back (read_from_slot, page_cache.c) at the next fault on the index. sync never writes
 * these pages: they are not a file's.
 *
 * The pages are the page cache's, on its kept list (page_cache_internal.h).
 */
#include "shm_swap.h"

#include "kernel/errno.h"
#include "object.h"
#include "page_cache_internal.h"
#include "page_ops.h"
#include "rmap.h"
#include "swap_slots.h"

/* Step 1: may page (of the kept list) go out now? */
static bool may_swap_out(struct page *page)
{
    struct mem_object *o = page->object;
    paddr_t frame = frame_of(page);
    if (o->ops->set_slot == NULL || (page->flags & PG_LOCKED))
        return false;
    if (page->refcount != 1 + rmap_count_mappings(o, page->index, frame))
        return false; /* the kernel is copying it, say */
    if (rmap_is_locked(o, page->index))
        return false;                              /* mlock: never reclaimed */
    bool referenced = page->flags & PG_REFERENCED; /* an A bit the working-set sampler took */
    page->flags &= (uint16_t)~PG_REFERENCED;
    bool accessed = rmap_collect_accessed(o, page->index, frame);
    return !accessed && !referenced;
}

/* Steps 2-3. 0, -ENOSPC (swap is full), or set_slot's error (the page stays). */
static int start_swap_out(struct page *page, uint64_t *slot)
{
    struct mem_object *o = page->object;
    *slot = swap_slot_alloc_held();
    if (*slot == SWAP_NO_SLOT)
        return -ENOSPC;
    int error = o->ops->set_slot(o, page->index, *slot);
    if (error != 0) {
        swap_slot_put(*slot);
        return error;
    }
    rmap_unmap_page(o, page->index, frame_of(page)); /* the entries' references */
    page->flags |= PG_LOCKED;
    o->ops->get(o); /* the object must outlive the write */
    return 0;
}

/* The page stays in memory after all (the frame is the page still): the object
 * lets its slot S go -- for good if the write to S failed, so that no later
 * page is written there to fail again (Linux marks such a slot bad too). */
static void forget_slot(struct mem_object *o, uint64_t index, bool written)
{
    uint64_t slot = o->ops->slot_of(o, index);
    if (!written)
        swap_slot_dup(slot); /* held past set_slot's put, to be let go as failed */
    o->ops->set_slot(o, index, SWAP_NO_SLOT);
    if (!written)
        swap_slot_put_failed(slot);
}

/* Step 5, after the write (ok or not). True if the frame was freed. */
static bool finish_swap_out(struct page *page, bool written)
{
    struct mem_object *o = page->object;
    page->flags &= (uint16_t)~PG_LOCKED;
    bool freed = written && page->refcount == 1;
    if (freed)
        cache_evict(page); /* S holds the only copy now */
    else
        forget_slot(o, page->index, written);
    cache_waiting.wakeup(page);
    o->ops->put(o);
    return freed;
}

/* Pages on their way out together: written in runs of neighbouring slots. */
struct shm_batch {
    struct page *pages[SWAP_CLUSTER];
    uint64_t slots[SWAP_CLUSTER];
    unsigned count;
};

/* Step 4 for a batch, one request per run of consecutive slots (a run that fails
 * is tried page by page: one bad slot must not keep the others' pages in); then
 * step 5 for each. Returns the frames freed. */
static uint64_t write_batch(struct shm_batch *b)
{
    paddr_t frames[SWAP_CLUSTER];
    bool written[SWAP_CLUSTER];
    for (unsigned i = 0; i < b->count; i++)
        frames[i] = frame_of(b->pages[i]);
    swap_write_batch(b->slots, frames, NULL, b->count, written);
    uint64_t freed = 0;
    for (unsigned i = 0; i < b->count; i++)
        freed += finish_swap_out(b->pages[i], written[i]);
    return freed;
}

/* Choose up to max pages of the kept list, oldest first, and start them out
 * (steps 1-3); a page that stays, or goes, moves to the newest end, so the next
 * batch looks at others first. *looked counts pages looked at; *full: swap is
 * full. */
static void choose_batch(struct shm_batch *b, uint64_t max, uint64_t *looked, uint64_t listed,
                         bool *full)
{
    struct page *page = cache_kept.oldest;
    while (page != NULL && b->count < max && b->count < SWAP_CLUSTER && (*looked)++ < listed) {
        struct page *next = next_in_list(page);
        int error = may_swap_out(page) ? start_swap_out(page, &b->slots[b->count]) : -EBUSY;
        if (error == -ENOSPC) {
            *full = true;
            return;
        }
        if (error == 0)
            b->pages[b->count++] = page;
        cache_list_remove(&cache_kept, page);
        cache_list_add_newest(&cache_kept, page);
        page = next;
    }
}

uint64_t shm_swap_out(uint64_t wanted)
{
    uint64_t freed = 0, looked = 0, listed = page_cache_stats().kept;
    bool full = false;
    while (freed < wanted && looked < listed && !full && swap_area_active()) {
        struct shm_batch batch = { .count = 0 };
        choose_batch(&batch, wanted - freed, &looked, listed, &full);
        if (batch.count == 0)
            break;
        freed += write_batch(&batch); /* sleeps: the list may change; start again */
    }
    return freed;
}

bool shm_swap_out_page(struct page *page)
{
    struct shm_batch batch = { .count = 0 };
    if (!swap_area_active() || page->object->ops->set_slot == NULL ||
        start_swap_out(page, &batch.slots[0]) != 0)
        return false;
    batch.pages[batch.count++] = page;
    return write_batch(&batch) == 1;
}
