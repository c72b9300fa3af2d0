/*
 * swap_in.c — a swap entry's page back in a frame.
 *
 *   entry names slot S
 *     S's page in the swap cache?  yes: share that frame (a minor fault)
 *                                  no:  a new frame, put in the cache (so that
 *                                       others touching S wait for it and share
 *                                       it), read from S (a major fault)
 *     map the frame in place of the entry; S has one user less
 *     S has no users left?  a read keeps the frame in the cache as a clean copy,
 *                           mapped read-only (evicted again, it needs no write);
 *                           a write lets the cache drop it, and S is free
 *     a write, and the frame mapped by nobody else?  then the entry is writable
 */
#include "swap_in.h"

#include "as.h"
#include "cow.h"
#include "kernel/errno.h"
#include "pmm.h"
#include "pt.h"
#include "reclaim.h"
#include "resident.h"
#include "swap_slots.h"
#include "vma.h"

/* Read-ahead: pages swapped out together were usually used together, and reclaim
 * gave them neighbouring slots; so a swap-in also reads the following slots whose
 * pages are swapped out, in the same disk request -- while memory is not short.
 * They wait in the swap cache (on the resident set, so reclaim can drop them
 * again), marked PG_SWAP_READAHEAD, for the faults that will want them.
 *
 * How many is learnt, as Linux's swapin_nr_pages does: each major fault reads a
 * window of (read-ahead hits since the last one) + 2 pages, rounded up to a power
 * of two, at most SWAP_READAHEAD. No hits at all: 2 pages if this slot follows the
 * last one read (a sequential start), else 1 -- random order wastes nothing. The
 * window shrinks by at most half per fault, so one unlucky fault does not stop a
 * sequential run. /proc/vmstat: swap_ra (pages read ahead), swap_ra_hit (of those,
 * found by a fault). */
#define SWAP_READAHEAD 8

static struct {
    uint32_t window;    /* pages the last major fault read */
    uint32_t hits;      /* read-ahead pages faults found since then */
    uint64_t last_slot; /* the slot it read first */
    struct swap_readahead_stats stats;
} readahead = { .window = SWAP_READAHEAD };

struct swap_readahead_stats swap_readahead_stats(void)
{
    struct swap_readahead_stats s = readahead.stats;
    s.window = readahead.window;
    return s;
}

/* The window of a major fault on slot (1..SWAP_READAHEAD pages, slot's included). */
static uint32_t readahead_window(uint64_t slot)
{
    uint32_t pages = readahead.hits + 2;
    if (pages == 2 && slot != readahead.last_slot + 1 && slot + 1 != readahead.last_slot)
        pages = 1;
    else if (pages > 2)
        for (uint32_t round = 4;; round *= 2)
            if (round >= pages) {
                pages = round;
                break;
            }
    if (pages > SWAP_READAHEAD)
        pages = SWAP_READAHEAD;
    if (pages < readahead.window / 2)
        pages = readahead.window / 2; /* shrink slowly */
    readahead.window = pages;
    readahead.hits = 0;
    readahead.last_slot = slot;
    return pages;
}

/* A fault found frame in the swap cache: if read-ahead brought it, that was a hit. */
static void note_readahead_hit(paddr_t frame)
{
    struct page *page = pmm_page(frame);
    if (!(page->flags & PG_SWAP_READAHEAD))
        return;
    page->flags &= ~PG_SWAP_READAHEAD;
    readahead.hits++;
    readahead.stats.hits++;
}

/* New frames for slot and the neighbours read-ahead takes (up to window pages in
 * all), each put in the swap cache with PG_SWAP_IO (so that faults on them wait for
 * the read). Returns how many (0: no frame for slot itself). */
static uint32_t prepare_run(uint64_t slot, uint32_t window, paddr_t *frames)
{
    uint32_t count = 0;
    bool room = pmm_stats().free > RECLAIM_LOW_FRAMES + SWAP_READAHEAD;
    for (uint64_t s = slot; count < window && (count == 0 || room); s++, count++) {
        if (count > 0 && !swap_slot_needs_reading(s))
            break;
        paddr_t frame = pmm_alloc(FRAME_USER);
        if (frame == PMM_NO_FRAME)
            break;
        swap_cache_add(s, frame);
        pmm_unref(frame); /* the allocation's reference: the cache's is the one it keeps */
        pmm_page(frame)->flags |= PG_SWAP_IO | (count > 0 ? PG_SWAP_READAHEAD : 0);
        frames[count] = frame;
    }
    return count;
}

/* The read is over: wake whoever waits; the read-ahead pages go on the resident
 * set (or, if their read failed, away). ok[i]: page i was read. The caller's own
 * frame (frames[0]) keeps its extra reference. */
static void finish_run(const paddr_t *frames, uint32_t count, const bool *ok)
{
    for (uint32_t i = 0; i < count; i++) {
        struct page *page = pmm_page(frames[i]);
        page->flags &= ~(PG_SWAP_IO | PG_SWAP_READ);
        readahead.stats.pages += i > 0 && ok[i];
        reclaim_wake_swap_io(frames[i]);
        if (!ok[i])
            swap_cache_remove(frames[i]);
        else if (i > 0 && swap_cache_drop_if_unneeded(frames[i]))
            continue; /* its last entry went while it was read: not needed */
        else if (i > 0 && page->anon.set == NULL && page->anon.maps == NULL)
            resident_insert(&resident_global, page);
    }
}

/* A frame holding slot's page, with a reference for the caller: the cached one,
 * or a new one read from the slot (*major), with read-ahead. 0, -EAGAIN (I/O on it
 * was under way: waited for it, look again), -ENOMEM, -EIO. */
static int get_slot_page(uint64_t slot, paddr_t *frame, bool *major)
{
    paddr_t cached = swap_cache_frame(slot);
    if (cached != PMM_NO_FRAME) {
        if (pmm_page(cached)->flags & PG_SWAP_IO) {
            reclaim_wait_swap_io(cached);
            return -EAGAIN;
        }
        pmm_ref(cached);
        note_readahead_hit(cached);
        *frame = cached;
        return 0;
    }
    paddr_t frames[SWAP_READAHEAD];
    uint32_t count = prepare_run(slot, readahead_window(slot), frames);
    if (count == 0)
        return -ENOMEM;
    pmm_ref(frames[0]); /* ours, besides the cache's */
    pmm_page(frames[0])->flags |= PG_SWAP_READ;
    bool ok[SWAP_READAHEAD];
    ok[0] = swap_read_slots(slot, count, frames) == 0;
    for (uint32_t i = 1; i < count; i++)
        ok[i] = ok[0];
    if (!ok[0] && count > 1) /* a bad sector among the neighbours must not cost this page */
        ok[0] = swap_read_slots(slot, 1, frames) == 0;
    finish_run(frames, count, ok);
    if (!ok[0]) {
        pmm_unref(frames[0]); /* ours: the frame is free again */
        return -EIO;
    }
    *major = true;
    *frame = frames[0];
    return 0;
}

/* The rights of the entry: the region's, but read-only while the page is shared
 * (the slot named elsewhere too, or the frame mapped elsewhere), and read-only
 * after a read that may keep the page as a clean copy in the swap cache (like
 * Linux's do_swap_page: the first write then faults, and lets the slot go). */
static uint64_t entry_flags(const struct vma *vma, uint64_t slot, paddr_t frame, bool write)
{
    uint64_t flags = vma_pte_flags(vma);
    /* references now: ours, the swap cache's, and one per other mapping */
    bool alone = swap_slot_users(slot) == 1 && pmm_page(frame)->refcount == 2;
    bool keep_clean = !write && swap_cache_may_keep_clean(frame);
    if ((!alone || keep_clean) && !(vma->flags & VMA_SHARED))
        flags &= ~PTE_WRITABLE;
    return flags;
}

/* Let go of frame after a swap-in that did not map it: the caller's reference,
 * and the swap cache's too if no entry names its slot any more. */
static void give_back(paddr_t frame)
{
    swap_cache_drop_if_unneeded(frame);
    pmm_unref(frame);
}

int swap_in_page(struct addr_space *as, vaddr_t page, bool write, bool *major)
{
    pte_t entry = as_entry(as, page);
    if (!pte_is_swap(entry))
        return -EAGAIN;
    uint64_t slot = pte_swap_slot(entry);
    paddr_t frame;
    int error = get_slot_page(slot, &frame, major);
    if (error != 0)
        return error;
    /* The read may have slept: swapoff's address space may be gone (its owner
     * exited), and the region changed (mprotect, munmap): look both up again. */
    const struct vma *vma = as_is_live(as) ? vma_find(as, page) : NULL;
    if (vma == NULL) {
        give_back(frame);
        return -EAGAIN;
    }
    /* pt_swap_in checks the entry still names the slot */
    uint64_t flags = entry_flags(vma, slot, frame, write);
    error = pt_swap_in(as->root, page, slot, frame, flags | PTE_USER);
    if (error != 0) {
        give_back(frame);
        return error;
    }
    as_count_swapped_in(as);
    swap_slot_put(slot); /* the entry no longer names it; the last user frees it */
    if (flags & PTE_WRITABLE)
        swap_cache_drop_if_unneeded(frame); /* to be written: no clean copy any more */
    if (!(vma->prot & (VMA_READ | VMA_WRITE | VMA_EXEC)))
        pt_protect_none(as->root, page); /* swapoff bringing in a PROT_NONE page */
    return 0;
}
