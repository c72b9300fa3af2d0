/*
 * page_cache.c — the pages of memory objects, by index (page_cache.h).
 *
 * Each cached frame's struct page says which object and index it holds, and lives
 * in two places: the object's tree (found by index, O(log n)) and one of two
 * lists -- `cache_lru`, the pages reclaim may drop, oldest first, and `cache_kept`, the
 * pages of shared anonymous memory, which exist nowhere else: they leave memory
 * only for swap (shm_swap_out, mm/shm_swap.c).
 *
 * The kernel is not preemptive and has one CPU, so the trees and lists change only
 * between sleeps; the one sleep here is reading the store. A page being read is in
 * the tree but PG_LOCKED: whoever finds it waits (sleep_on the page) and looks
 * again, since a failed read takes it out.
 *
 * Writing pages back (fsync, msync, sync) and dropping them to free frames are in
 * page_cache_writeback.c; shared anonymous pages going out to swap in shm_swap.c.
 */
#include "page_cache.h"

#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "lib/string.h"
#include "object.h"
#include "page_cache_internal.h"
#include "page_ops.h"
#include "pmm.h"
#include "rmap.h"
#include "swap_slots.h"

struct page_list cache_lru;  /* droppable when clean and unused */
struct page_list cache_kept; /* shared anonymous pages */
struct page_cache_stats cache_stats;
struct page_cache_waiting cache_waiting; /* how to sleep on a page: the scheduler's */
uint64_t cache_list_moves; /* changes of the lists' order: a walk that slept starts over */

/* References kernel code holds on cached frames across a sleep (page_cache_pin):
 * at most two per process at once (a read() copying out, whose copy faults and
 * waits for a page being read), so twice the process table is never reached. */
#define PINS_MAX 512
static struct {
    paddr_t frame;
    uint32_t count;
} pins[PINS_MAX];

/* ---- the frame and its record ---- */

static struct page *page_of(paddr_t frame)
{
    return pmm_page(frame);
}

/* ---- the lists ---- */

static struct page_list *list_for(const struct mem_object *o)
{
    return o->ops->keep_pages ? &cache_kept : &cache_lru;
}

static uint32_t pfn_of(const struct page *page)
{
    return page != NULL ? (uint32_t)(page - pmm_pages) : 0;
}

void cache_list_add_newest(struct page_list *list, struct page *page)
{
    page->lru_next = 0;
    page->lru_prev = pfn_of(list->newest);
    if (list->newest != NULL)
        list->newest->lru_next = pfn_of(page);
    else
        list->oldest = page;
    list->newest = page;
}

void cache_list_remove(struct page_list *list, struct page *page)
{
    cache_list_moves++;
    struct page *prev = at_pfn(page->lru_prev), *next = at_pfn(page->lru_next);
    if (prev != NULL)
        prev->lru_next = page->lru_next;
    else
        list->oldest = next;
    if (next != NULL)
        next->lru_prev = page->lru_prev;
    else
        list->newest = prev;
    page->lru_prev = page->lru_next = 0;
}

/* ---- the object's tree ---- */

static struct page *page_of_node(const struct avl_node *node)
{
    return node != NULL ? avl_entry(node, struct page, cache_node) : NULL;
}

static int compare_index(const struct avl_node *a, const struct avl_node *b)
{
    uint64_t x = page_of_node(a)->index, y = page_of_node(b)->index;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* For lookups: a key index against a page; lower_bound finds the first page at or
 * after the index. */
static int compare_key(const void *key, const struct avl_node *node)
{
    uint64_t index = *(const uint64_t *)key, at = page_of_node(node)->index;
    return index < at ? -1 : index > at ? 1 : 0;
}

struct page *cache_find(struct mem_object *o, uint64_t index)
{
    return page_of_node(avl_find(&o->pages, &index, compare_key));
}

/* The first cached page at or after index, or NULL. */
struct page *cache_find_from(struct mem_object *o, uint64_t index)
{
    return page_of_node(avl_lower_bound(&o->pages, &index, compare_key));
}

/* Put a frame (refcount 1: the cache's reference) into o at index. */
static void insert(struct mem_object *o, paddr_t frame, uint64_t index, uint16_t flags)
{
    struct page *page = page_of(frame);
    page->object = o;
    page->index = index;
    page->flags = flags;
    bool inserted = avl_insert(&o->pages, &page->cache_node, compare_index);
    assert(inserted, "page_cache: page %lu of object %p is cached twice", index, (void *)o);
    o->cached++;
    cache_stats.cached++;
    if (o->ops->keep_pages)
        cache_stats.kept++;
    cache_list_add_newest(list_for(o), page);
}

void cache_evict(struct page *page)
{
    struct mem_object *o = page->object;
    avl_remove(&o->pages, &page->cache_node);
    cache_list_remove(list_for(o), page);
    o->cached--;
    cache_stats.cached--;
    if (o->ops->keep_pages)
        cache_stats.kept--;
    if (page->flags & PG_DIRTY) {
        o->dirty--;
        cache_stats.dirty--;
    }
    page->object = NULL;
    page->flags = 0;
    pmm_unref(frame_of(page));
}

void cache_set_dirty(struct page *page)
{
    if (page->flags & PG_DIRTY)
        return;
    page->flags |= PG_DIRTY;
    page->object->dirty++;
    cache_stats.dirty++;
}

void cache_clear_dirty(struct page *page)
{
    if (!(page->flags & PG_DIRTY))
        return;
    page->flags &= (uint16_t)~PG_DIRTY;
    page->object->dirty--;
    cache_stats.dirty--;
}

void page_cache_pin(paddr_t frame)
{
    size_t free_slot = PINS_MAX;
    for (size_t i = 0; i < PINS_MAX; i++) {
        if (pins[i].count > 0 && pins[i].frame == frame) {
            pins[i].count++;
            return;
        }
        if (pins[i].count == 0 && free_slot == PINS_MAX)
            free_slot = i;
    }
    assert(free_slot < PINS_MAX, "page_cache_pin: more than %d frames pinned (frame 0x%lx)",
           PINS_MAX, frame);
    pins[free_slot].frame = frame;
    pins[free_slot].count = 1;
}

void page_cache_unpin(paddr_t frame)
{
    for (size_t i = 0; i < PINS_MAX; i++) {
        if (pins[i].count > 0 && pins[i].frame == frame) {
            pins[i].count--;
            pmm_unref(frame);
            return;
        }
    }
    panic("page_cache_unpin: frame 0x%lx is not pinned", frame);
}

/* Sleep until page, of o, is no longer being read. True if it is still o's page
 * then (a failed read takes it out). A reference held meanwhile keeps the frame
 * from being freed and given to someone else while we sleep. */
bool cache_wait_unlocked(struct mem_object *o, struct page *page)
{
    if (!(page->flags & PG_LOCKED))
        return page->object == o;
    paddr_t frame = frame_of(page);
    pmm_ref(frame);
    page_cache_pin(frame);
    while (page->object == o && (page->flags & PG_LOCKED))
        cache_waiting.sleep_on(page);
    bool still_ours = page->object == o;
    page_cache_unpin(frame);
    return still_ours;
}

/* ---- reading ---- */

/* How many pages from index on to read together: the missing ones before the end
 * of the object, up to the read-ahead window. */
static size_t run_to_read(struct mem_object *o, uint64_t index, size_t window)
{
    uint64_t end = object_pages(o);
    struct page *next = cache_find_from(o, index);
    if (next != NULL && next->index < end)
        end = next->index;
    uint64_t n = end > index ? end - index : 0;
    return n < window ? (size_t)n : window;
}

/* Read count pages from index on (all missing, before the end): frames are
 * allocated and cached, locked, before the read sleeps, so nobody else reads them
 * meanwhile; a failed read takes them out again. Returns how many are now cached
 * (possibly fewer than count when memory is short), or -ENOMEM, -EIO. */
static long read_run(struct mem_object *o, uint64_t index, size_t count)
{
    paddr_t frames[PAGE_CACHE_READAHEAD];
    void *dest[PAGE_CACHE_READAHEAD];
    size_t got = 0;
    while (got < count) {
        if (got > 0 && pmm_stats().free <= PAGE_CACHE_READAHEAD_FREE)
            break; /* memory is short: the page asked for, no read-ahead */
        frames[got] = pmm_alloc(FRAME_USER); /* may reclaim: before the tree changes */
        if (frames[got] == PMM_NO_FRAME)
            break;
        dest[got] = phys_to_virt(frames[got]);
        got++;
    }
    if (got == 0)
        return -ENOMEM;
    for (size_t i = 0; i < got; i++)
        insert(o, frames[i], index + i, PG_LOCKED);
    o->ops->get(o); /* the object must outlive the sleep */
    int error = o->ops->read_pages(o, index, got, dest);
    for (size_t i = 0; i < got; i++) {
        struct page *page = page_of(frames[i]);
        if (page->object == NULL)
            continue; /* taken out meanwhile (truncate) */
        page->flags &= (uint16_t)~PG_LOCKED;
        if (error != 0)
            cache_evict(page);
        cache_waiting.wakeup(page);
    }
    o->ops->put(o);
    if (error != 0)
        return error;
    cache_stats.reads += got;
    return (long)got;
}

/* A zeroed page for index (at or past the end: nothing to read), cached. */
static int add_zero_page(struct mem_object *o, uint64_t index)
{
    paddr_t frame = pmm_alloc(FRAME_USER); /* zeroed */
    if (frame == PMM_NO_FRAME)
        return -ENOMEM;
    if (cache_find(o, index) != NULL) { /* cached by someone while the allocator reclaimed? */
        pmm_unref(frame);
        return 0;
    }
    insert(o, frame, index, 0);
    return 0;
}

/* Page index of a swap-backed object (shared anonymous memory) is out in slot:
 * read it into a new frame, cached and locked while the read sleeps, then let the
 * slot go -- the frame is the only copy again, as before it went out. 1 (read),
 * 0 (someone else brought it in meanwhile: look again), -ENOMEM, -EIO (the slot
 * stays: the next touch tries again). */
static long read_from_slot(struct mem_object *o, uint64_t index, uint64_t slot)
{
    paddr_t frame = pmm_alloc(FRAME_USER); /* may reclaim: before the tree changes */
    if (frame == PMM_NO_FRAME)
        return -ENOMEM;
    if (cache_find(o, index) != NULL || o->ops->slot_of(o, index) != slot) {
        pmm_unref(frame);
        return 0;
    }
    insert(o, frame, index, PG_LOCKED);
    o->ops->get(o); /* the object must outlive the sleep */
    int error = swap_read_slots(slot, 1, &frame);
    struct page *page = page_of(frame);
    if (page->object == o) {
        page->flags &= (uint16_t)~PG_LOCKED;
        if (error != 0)
            cache_evict(page);
        else
            o->ops->set_slot(o, index, SWAP_NO_SLOT); /* (forgetting needs no memory) */
    }
    cache_waiting.wakeup(page);
    o->ops->put(o);
    return error != 0 ? error : 1;
}

int page_cache_get(struct mem_object *o, uint64_t index, paddr_t *frame, bool *major)
{
    if (major != NULL)
        *major = false;
    for (;;) {
        struct page *page = cache_find(o, index);
        if (page != NULL && (page->flags & PG_LOCKED)) {
            cache_wait_unlocked(o, page);
            continue; /* read, or failed and gone: look again */
        }
        if (page != NULL) {
            /* a hit: the page becomes the newest, the last reclaim would drop */
            struct page_list *list = list_for(o);
            cache_list_remove(list, page);
            cache_list_add_newest(list, page);
            pmm_ref(frame_of(page));
            *frame = frame_of(page);
            cache_stats.hits++;
            return 0;
        }
        if (object_page_lost(o, index))
            return -EIO; /* its slot could not be read at swapoff: the data is gone */
        long done;
        uint64_t slot = o->ops->slot_of != NULL && index < object_pages(o)
                            ? o->ops->slot_of(o, index)
                            : SWAP_NO_SLOT;
        if (slot != SWAP_NO_SLOT) {
            done = read_from_slot(o, index, slot); /* a swap-backed page that went out */
            if (done > 0 && major != NULL)
                *major = true;
        } else if (index >= object_pages(o) || o->ops->read_pages == NULL) {
            done = add_zero_page(o, index);
        } else {
            size_t run = run_to_read(o, index, PAGE_CACHE_READAHEAD);
            done = read_run(o, index, run);
            if (done == -EIO && run > 1)
                done = read_run(o, index, 1); /* a bad block further on: this page alone */
            if (done > 0 && major != NULL)
                *major = true;
        }
        if (done < 0)
            return (int)done;
    }
}

paddr_t page_cache_peek(struct mem_object *o, uint64_t index)
{
    struct page *page = cache_find(o, index);
    return page != NULL ? frame_of(page) : PMM_NO_FRAME;
}

void page_cache_read_ahead(struct mem_object *o, uint64_t first, uint64_t count)
{
    if (o->ops->read_pages == NULL)
        return; /* nothing stands behind the pages: nothing to read */
    uint64_t end = first + count < object_pages(o) ? first + count : object_pages(o);
    for (uint64_t index = first; index < end;) {
        struct page *page = cache_find(o, index);
        if (page != NULL) {
            index++;
            continue;
        }
        long done = read_run(o, index, run_to_read(o, index, PAGE_CACHE_READAHEAD));
        if (done <= 0)
            return;
        index += (uint64_t)done;
    }
}

/* ---- writing ---- */

/* Zero the bytes of the last page from the end of o on (they must read as zeros
 * when the file grows, whatever a MAP_SHARED store put there). */
static void zero_tail(struct mem_object *o)
{
    size_t used = o->size % PAGE_SIZE;
    if (used == 0)
        return;
    struct page *page = cache_find(o, o->size / PAGE_SIZE);
    if (page != NULL && cache_wait_unlocked(o, page))
        memset((uint8_t *)cache_contents(page) + used, 0, PAGE_SIZE - used);
}

void page_cache_write_through(struct mem_object *o, uint64_t pos, const void *src, uint64_t n)
{
    if (pos + n > o->size) {
        zero_tail(o);
        o->size = pos + n;
    }
    const uint8_t *from = src;
    while (n > 0) {
        uint64_t index = pos / PAGE_SIZE;
        size_t offset = pos % PAGE_SIZE;
        size_t piece = PAGE_SIZE - offset < n ? PAGE_SIZE - offset : (size_t)n;
        struct page *page = cache_find(o, index);
        if (page == NULL && piece == PAGE_SIZE && add_zero_page(o, index) == 0)
            page = cache_find(o, index); /* a whole page: worth keeping */
        /* a read in progress would overwrite the new bytes: wait for it */
        if (page != NULL && cache_wait_unlocked(o, page))
            memcpy((uint8_t *)cache_contents(page) + offset, from, piece);
        pos += piece;
        from += piece;
        n -= piece;
    }
}

/* ---- truncate ---- */

void page_cache_resize(struct mem_object *o, uint64_t size)
{
    if (size >= o->size) {
        zero_tail(o);
        o->size = size;
        return;
    }
    o->size = size;
    uint64_t keep = object_pages(o);
    rmap_unmap_from(o, keep); /* no mapping reaches the cut pages any more */
    struct page *page;
    while ((page = cache_find_from(o, keep)) != NULL) {
        if (cache_wait_unlocked(o, page))
            cache_evict(page);
    }
    zero_tail(o);
}

/* ---- punching a hole ---- */

/* Evict every page of [first, end) of o that is not being read or written to
 * swap; the first one that is (PG_LOCKED), or NULL. Never sleeps. */
static struct page *evict_range(struct mem_object *o, uint64_t first, uint64_t end)
{
    struct page *page;
    for (uint64_t index = first; (page = cache_find_from(o, index)) != NULL && page->index < end;) {
        if (page->flags & PG_LOCKED)
            return page;
        index = page->index + 1;
        cache_evict(page);
    }
    return NULL;
}

void page_cache_punch_hole(struct mem_object *o, uint64_t first, uint64_t end)
{
    o->ops->get(o); /* the object must outlive the waits */
    for (;;) {
        rmap_unmap_range(o, first, end); /* no mapping reaches the pages any more */
        struct page *busy = evict_range(o, first, end);
        if (busy == NULL)
            break;
        /* its read or write ends; then all again: a fault may have mapped a
         * page of the range meanwhile (unmapping and evicting never sleep) */
        cache_wait_unlocked(o, busy);
    }
    if (object_is_swap_backed(o))
        object_forget_swapped(o, first, end);
    o->ops->put(o);
}

struct page_cache_stats page_cache_stats(void)
{
    return cache_stats;
}

void page_cache_init(struct page_cache_waiting how)
{
    cache_waiting = how;
    pmm_set_reclaimer(cache_reclaim);
}

/* ---- the D bit ---- */

void page_cache_entry_gone(pte_t old)
{
    if (!pte_present(old) || !(old & PTE_DIRTY))
        return;
    struct page *page = page_of(pte_frame(old));
    if (page != NULL && page->object != NULL && page->object->ops->write_page != NULL)
        cache_set_dirty(page);
}

/* ---- counting ---- */

void page_cache_for_each(void (*visit)(void *ctx, paddr_t frame), void *ctx)
{
    for (size_t i = 0; i < PINS_MAX; i++) {
        for (uint32_t n = 0; n < pins[i].count; n++)
            visit(ctx, pins[i].frame);
    }
    for (struct page *page = cache_lru.oldest; page != NULL; page = next_in_list(page))
        visit(ctx, frame_of(page));
    for (struct page *page = cache_kept.oldest; page != NULL; page = next_in_list(page))
        visit(ctx, frame_of(page));
}

/* The pages of list some page-table entry maps. Each entry mapping a page holds
 * a reference to its frame and the cache holds one more, so a count above 1 says
 * "mapped": one look per page, as cheap as Linux's counter is. (Asking the
 * reverse map instead walks every region mapping the page's object for every
 * page: a program with 16000 mappings of a 16 MiB file made each read of
 * /proc/meminfo take seconds, with no other process running meanwhile.) A page
 * a read, a fault or a write-back holds for a moment counts as mapped too. */
static uint64_t mapped_on(const struct page_list *list)
{
    uint64_t mapped = 0;
    for (struct page *page = list->oldest; page != NULL; page = next_in_list(page))
        mapped += page->refcount > 1;
    return mapped;
}

uint64_t page_cache_mapped(void)
{
    return mapped_on(&cache_lru) + mapped_on(&cache_kept);
}

void page_cache_for_each_of(const struct mem_object *o, void (*visit)(void *ctx, paddr_t frame),
                            void *ctx)
{
    for (struct avl_node *n = avl_first(&o->pages); n != NULL; n = avl_next(n))
        visit(ctx, frame_of(page_of_node(n)));
}

/* One list's pages checked; adds to the counts found. */
static unsigned check_list(const struct page_list *list, bool kept_list, uint64_t *cached,
                           uint64_t *dirty)
{
    unsigned bad = 0;
    for (struct page *page = list->oldest; page != NULL; page = next_in_list(page)) {
        struct mem_object *o = page->object;
        bool ok = page->state == PAGE_IN_USE && page->use == FRAME_USER && o != NULL &&
                  o->ops->keep_pages == kept_list && cache_find(o, page->index) == page &&
                  page->refcount >= 1;
        if (!ok && bad++ < 3)
            kprintf("page cache check: frame 0x%lx (object %p, index %lu, state %d, use %d, "
                    "refcount %u) is not where the cache says\n",
                    frame_of(page), (void *)o, page->index, page->state, page->use, page->refcount);
        (*cached)++;
        *dirty += (page->flags & PG_DIRTY) != 0;
    }
    return bad;
}

bool page_cache_check(void)
{
    uint64_t cached = 0, dirty = 0, kept_count = 0;
    unsigned bad = check_list(&cache_lru, false, &cached, &dirty);
    bad += check_list(&cache_kept, true, &kept_count, &dirty);
    cached += kept_count;
    if (cached != cache_stats.cached || dirty != cache_stats.dirty ||
        kept_count != cache_stats.kept) {
        kprintf("page cache check: %lu pages (%lu dirty, %lu kept) on the lists, but the "
                "counts say %lu (%lu dirty, %lu kept)\n",
                cached, dirty, kept_count, cache_stats.cached, cache_stats.dirty, cache_stats.kept);
        bad++;
    }
    return bad == 0;
}
