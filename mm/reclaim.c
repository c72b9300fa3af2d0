/*
 * reclaim.c — taking frames back: file pages dropped (written back first if stored
 * to through MAP_SHARED), anonymous pages swapped out.
 *
 * One anonymous page's journey out (reclaim_swap_out):
 *   1. the policy picked it; nobody but its mappings holds it (else: next one)
 *   2. it gets a slot S and enters the swap cache (S -> frame)
 *   3. every entry mapping it (the reverse map) becomes the swap entry of S, its
 *      TLB entry dropped; each process's RSS goes down by one, its VmSwap up
 *   4. the frame is written to S (the process sleeps; PG_SWAP_IO meanwhile: a
 *      fault on S waits for the write, then shares the frame)
 *   5. nobody mapped it again meanwhile: it leaves the swap cache; the frame is free
 * and back in (mm/swap_in.c) when an entry naming S is touched.
 */
#include "reclaim.h"

#include "anon_rmap.h"
#include "as.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "mlock.h"
#include "object.h"
#include "page_cache.h"
#include "pmm.h"
#include "pt.h"
#include "replace.h"
#include "resident.h"
#include "shm_swap.h"
#include "swap_in.h"
#include "swap_slots.h"
#include "vma.h"

static struct reclaim_hooks waiting;
static struct reclaim_stats stats;
static const char kswapd_channel; /* kswapd sleeps on its address */
static bool kswapd_running;

void reclaim_init(struct reclaim_hooks hooks)
{
    waiting = hooks;
}

const void *reclaim_daemon_channel(void)
{
    return &kswapd_channel;
}

struct reclaim_stats reclaim_stats(void)
{
    return stats;
}

static paddr_t frame_of(const struct page *page)
{
    return pfn_to_paddr((pfn_t)(page - pmm_pages));
}

void reclaim_wait_swap_io(paddr_t frame)
{
    while (pmm_page(frame)->flags & PG_SWAP_IO)
        waiting.sleep_on(pmm_page(frame));
}

void reclaim_wake_swap_io(paddr_t frame)
{
    waiting.wakeup(pmm_page(frame));
}

/* ---- one page out ---- */

/* May reclaim take page now? Not while I/O on it is under way or its write
 * failed, and not while anyone besides its mappings and the swap cache holds a
 * reference (the kernel copying it, say). */
static bool may_take(const struct page *page)
{
    if (page->flags & (PG_SWAP_IO | PG_SWAP_ERROR))
        return false;
    for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next)
        if (mm_is_locked(as_of_root(map->root), map->va))
            return false; /* mlock: never reclaimed */
    uint32_t expected = anon_rmap_count(page) + (page->anon.swap_slot != SWAP_NO_SLOT);
    return page->refcount == expected;
}

/* Step 3: every entry mapping the frame now names slot instead. */
static void unmap_to_slot(struct page *page, paddr_t frame, uint64_t slot)
{
    struct anon_map *map;
    while ((map = page->anon.maps) != NULL) {
        paddr_t root = map->root;
        vaddr_t va = map->va;
        pte_t old = pt_set_swap(root, va, frame, slot); /* frees the record */
        assert(old != 0, "reclaim: frame 0x%lx is not mapped at %p in root 0x%lx", frame,
               (void *)va, root);
        swap_slot_dup(slot);
        as_count_swapped_out(as_of_root(root));
        pmm_unref(frame); /* the entry's reference; the swap cache still holds one */
    }
}

/* Step 5: after the write (which slept), let the frame go if nobody took it back. */
static bool release_after_write(struct page *page, paddr_t frame)
{
    uint64_t slot = page->anon.swap_slot;
    if (page->anon.maps == NULL && page->refcount == 1) {
        swap_cache_remove(frame); /* the last reference: the frame is free */
        return true;
    }
    if (swap_slot_users(slot) == 0)
        swap_cache_remove(frame); /* mapped again by all: the copy in S is not needed */
    return false;
}

/* Steps 1-3 for one page: the page leaves every page table for slot *slot, in the
 * swap cache with PG_SWAP_IO set. *must_write: the slot does not hold it yet. */
static enum swap_out_result unmap_for_swap(struct page *page, uint64_t *slot, bool *must_write)
{
    paddr_t frame = frame_of(page);
    if (!may_take(page))
        return SWAP_OUT_KEPT;
    *slot = page->anon.swap_slot;
    *must_write = *slot == SWAP_NO_SLOT; /* a cached page is what its slot holds already */
    if (*must_write) {
        *slot = swap_slot_alloc();
        if (*slot == SWAP_NO_SLOT)
            return SWAP_OUT_NO_SLOT;
        swap_cache_add(*slot, frame);
    }
    page->flags |= PG_SWAP_IO; /* from here on, faults on the slot wait for us */
    unmap_to_slot(page, frame, *slot);
    resident_remove(page); /* (a read-ahead page, mapped by nobody, was still on it) */
    return SWAP_OUT_FREED;
}

/* Steps 4-5 for one page whose write is over (ok or not). */
static enum swap_out_result finish_swap_out(struct page *page, bool written)
{
    paddr_t frame = frame_of(page);
    if (!written)
        page->flags |= PG_SWAP_ERROR; /* the frame stays, the only copy, in the cache */
    page->flags &= ~PG_SWAP_IO;
    reclaim_wake_swap_io(frame);
    if (page->flags & PG_SWAP_ERROR)
        return SWAP_OUT_KEPT;
    return release_after_write(page, frame) ? SWAP_OUT_FREED : SWAP_OUT_KEPT;
}

enum swap_out_result reclaim_swap_out(struct page *page)
{
    uint64_t slot;
    bool must_write;
    enum swap_out_result result = unmap_for_swap(page, &slot, &must_write);
    if (result != SWAP_OUT_FREED)
        return result;
    paddr_t frame = frame_of(page);
    bool written = !must_write || swap_write_slots(slot, 1, &frame) == 0;
    return finish_swap_out(page, written);
}

/* A batch of pages on their way out: unmapped together, written in runs of
 * neighbouring slots (one disk request each), then freed. */
struct swap_batch {
    struct page *pages[SWAP_CLUSTER];
    uint64_t slots[SWAP_CLUSTER];
    bool must_write[SWAP_CLUSTER];
    unsigned count;
};

/* Write the batch's pages, a run of consecutive slots at a time; then finish each.
 * Returns the frames freed. */
static uint64_t write_batch(struct swap_batch *b)
{
    paddr_t frames[SWAP_CLUSTER];
    bool written[SWAP_CLUSTER];
    for (unsigned i = 0; i < b->count; i++)
        frames[i] = frame_of(b->pages[i]);
    swap_write_batch(b->slots, frames, b->must_write, b->count, written);
    uint64_t freed = 0;
    for (unsigned i = 0; i < b->count; i++)
        freed += finish_swap_out(b->pages[i], written[i]) == SWAP_OUT_FREED;
    return freed;
}

/* ---- choosing pages ---- */

/* Swap out up to wanted pages of set, as the policy chooses: up to SWAP_CLUSTER
 * victims are unmapped, then written together. */
static uint64_t reclaim_from(struct resident_set *set, uint64_t wanted)
{
    uint64_t freed = 0;
    bool full = false;
    /* each page is looked at about twice at most (clock clears, then takes) */
    uint64_t tries = 2 * set->count + 1;
    while (freed < wanted && tries > 0 && !full) {
        struct swap_batch batch = { .count = 0 };
        while (batch.count < SWAP_CLUSTER && batch.count < wanted - freed && tries > 0) {
            tries--;
            struct page *victim = replace_policy()->choose(set);
            if (victim == NULL)
                break;
            stats.scanned++;
            unsigned n = batch.count;
            enum swap_out_result result =
                unmap_for_swap(victim, &batch.slots[n], &batch.must_write[n]);
            if (result == SWAP_OUT_FREED) {
                batch.pages[batch.count++] = victim;
            } else if (result == SWAP_OUT_NO_SLOT) {
                full = true; /* swap is full: looking further only costs time */
                break;
            } else if (victim->anon.set == set && resident_at_hand(set) == victim) {
                resident_advance(set); /* could not take it now: try the next one */
            }
        }
        if (batch.count == 0)
            break;
        uint64_t done = write_batch(&batch);
        freed += done;
        stats.stolen += done;
    }
    return freed;
}

/* Shared anonymous pages' part of wanted anonymous pages to reclaim: in
 * proportion to their number among the anonymous pages in memory (Linux keeps
 * both kinds on one anonymous LRU list; here they are on two lists, the page
 * cache's kept list and the resident set, so each gives its share). */
static uint64_t shared_share(uint64_t wanted)
{
    uint64_t shared = page_cache_stats().kept, all = shared + resident_global.count;
    if (shared == 0 || wanted >= UINT32_MAX)
        return shared == 0 ? 0 : wanted;
    return (wanted * shared + all - 1) / all; /* rounded up: a single page may go */
}

/* Swap out up to wanted anonymous pages, private and shared, each their share
 * first, then whichever still can. */
static uint64_t reclaim_anon(uint64_t wanted)
{
    uint64_t freed = shm_swap_out(shared_share(wanted));
    if (freed < wanted)
        freed += reclaim_from(&resident_global, wanted - freed);
    if (freed < wanted)
        freed += shm_swap_out(wanted - freed);
    return freed;
}

/* How many of wanted frames reclaim may take from file pages programs map: those
 * above RECLAIM_FILE_FLOOR (the page cache's file pages; shared anonymous pages
 * leave only for swap). */
static uint64_t above_file_floor(uint64_t wanted)
{
    struct page_cache_stats cache = page_cache_stats();
    uint64_t file_pages = cache.cached - cache.kept;
    uint64_t above = file_pages > RECLAIM_FILE_FLOOR ? file_pages - RECLAIM_FILE_FLOOR : 0;
    return wanted < above ? wanted : above;
}

uint64_t reclaim_pages(uint64_t wanted, bool may_write_files)
{
    /* cheapest first: file pages nobody uses, then anonymous pages to swap, and
     * only then file pages programs map (their text: needed again soon; stores
     * through MAP_SHARED written back first, if this caller may) */
    uint64_t freed = page_cache_reclaim_unmapped(wanted);
    if (freed < wanted && swap_area_active())
        freed += reclaim_anon(wanted - freed);
    uint64_t mapped = freed < wanted ? above_file_floor(wanted - freed) : 0;
    if (mapped > 0)
        freed += page_cache_reclaim_mapped(mapped,
                                           may_write_files ? RECLAIM_WRITE_DIRTY : RECLAIM_CLEAN);
    return freed;
}

uint64_t reclaim_dirty_file_pages(uint64_t wanted)
{
    return page_cache_reclaim_mapped(wanted, RECLAIM_DIRTY_ONLY);
}

uint64_t reclaim_anon_pages(uint64_t wanted)
{
    return swap_area_active() ? reclaim_anon(wanted) : 0;
}

/* ---- when ---- */

void reclaim_before_fault(bool may_write_files)
{
    uint64_t free = pmm_stats().free;
    if (free < RECLAIM_LOW_FRAMES && swap_area_active()) {
        if (!kswapd_running && waiting.start_daemon != NULL)
            kswapd_running = waiting.start_daemon();
        stats.kswapd_wakeups++;
        waiting.wakeup(&kswapd_channel);
    }
    if (free < RECLAIM_MIN_FRAMES) {
        stats.direct++;
        reclaim_pages(RECLAIM_DIRECT_BATCH, may_write_files);
    }
}

void reclaim_daemon(void)
{
    for (;;) {
        /* asleep until a fault finds free frames below RECLAIM_LOW_FRAMES */
        waiting.sleep_on(&kswapd_channel);
        /* the kernel is not preemptive: every pass that frees nothing must end in
         * the sleep above, or kswapd would keep the CPU for ever */
        while (swap_area_active() && pmm_stats().free < RECLAIM_HIGH_FRAMES &&
               reclaim_pages(KSWAPD_BATCH, true) > 0)
            continue;
    }
}

/* ---- swapoff ---- */

/* The first swap entry of as at or above *va (its region in *vma). */
static bool next_swapped(struct addr_space *as, vaddr_t *va, struct vma **vma)
{
    for (struct vma *r = vma_find_after(as, *va); r != NULL; r = vma_next(r)) {
        vaddr_t from = *va > r->start ? *va : r->start;
        for (vaddr_t at = from; pt_next_used(as->root, at, r->end, &at); at += PAGE_SIZE) {
            if (pte_is_swap(as_entry(as, at))) {
                *va = at;
                *vma = r;
                return true;
            }
        }
    }
    return false;
}

/* Bring in every swapped page of as; a page whose slot cannot be read is lost
 * (as Linux 6.1's swapoff does: the entry becomes a mark that gives SIGBUS, and
 * swapoff goes on). 0 (done, or as went away while this slept: the caller looks
 * at the list again), -ENOMEM. */
static int unuse_space(struct addr_space *as)
{
    vaddr_t va = 0;
    struct vma *vma;
    while (next_swapped(as, &va, &vma)) {
        bool major = false;
        uint64_t slot = pte_swap_slot(as_entry(as, va));
        int error = swap_in_page(as, va, false, &major);
        if (error == -ENOMEM && reclaim_pages(1, false) > 0)
            error = -EAGAIN; /* (never a page of a swap area being emptied: no slots) */
        if (!as_is_live(as))
            return 0; /* exited while we slept: its entries went with it */
        if (error == -EIO)
            error = as_mark_lost(as, va, slot) ? 0 : -EAGAIN;
        if (error != 0 && error != -EAGAIN)
            return error;
        if (error == 0)
            va += PAGE_SIZE;
    }
    assert(as->swap_pages == 0, "swapoff: %lu pages of %p counted as swapped, none found",
           as->swap_pages, (void *)as);
    return 0;
}

/* Bring in every page of a swap-backed object (shared anonymous memory) that is
 * out, through the page cache as a fault would; a page whose slot cannot be read
 * is lost, as a private one (unuse_space): the object marks it, and a touch gives
 * SIGBUS. 0 (done, or the object went while this slept: the caller looks again),
 * -ENOMEM. */
static int unuse_object(struct mem_object *o)
{
    object_get(o); /* it must outlive the reads */
    int error = 0;
    for (uint64_t index = object_next_swapped(o, 0); index != UINT64_MAX;
         index = object_next_swapped(o, index)) {
        paddr_t frame;
        uint64_t slot = o->ops->slot_of(o, index);
        error = page_cache_get(o, index, &frame, NULL);
        if (error == -ENOMEM && reclaim_pages(1, false) > 0)
            continue; /* (never to this area: it hands out no slots now) */
        if (error == -EIO) {
            object_mark_lost(o, index, slot); /* (false: someone else read it meanwhile) */
            error = 0;
            continue;
        }
        if (error != 0)
            break;
        pmm_unref(frame); /* the cache keeps it */
    }
    object_put(o);
    return error;
}

int swap_unuse_all(void)
{
    for (;;) {
        struct addr_space *as = as_first_with_swap();
        if (as != NULL) {
            int error = unuse_space(as);
            if (error != 0)
                return error;
            continue;
        }
        struct mem_object *o = object_first_swapped();
        if (o != NULL) {
            int error = unuse_object(o);
            if (error != 0)
                return error;
            continue;
        }
        paddr_t busy = swap_cache_first_busy(); /* I/O by someone else still under way */
        if (busy != PMM_NO_FRAME) {
            reclaim_wait_swap_io(busy);
            continue;
        }
        swap_cache_drop_unneeded_all(); /* read-ahead copies nothing names */
        return 0;
    }
}
