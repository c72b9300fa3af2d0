/*
 * page_cache.c — the pages of memory objects, by index (page_cache.h).
 *
 * Each cached frame's struct page says which object and index it holds, and lives
 * in two places: the object's tree (found by index, O(log n)) and one of two
 * lists -- `lru`, the pages reclaim may drop, oldest first, and `cache_kept`, the
 * pages of shared anonymous memory, which exist nowhere else: they leave memory
 * only for swap (shm_swap_out, mm/shm_swap.c).
 *
 * The kernel is not preemptive and has one CPU, so the trees and lists change only
 * between sleeps; the one sleep here is reading the store. A page being read is in
 * the tree but PG_LOCKED: whoever finds it waits (sleep_on the page) and looks
 * again, since a failed read takes it out.
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

static struct page_list lru; /* droppable when clean and unused */
struct page_list cache_kept; /* shared anonymous pages */
static struct page_cache_stats stats;
struct page_cache_waiting cache_waiting; /* how to sleep on a page: the scheduler's */
static uint64_t list_moves; /* changes of the lists' order: a walk that slept starts over */

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

static void *contents(const struct page *page)
{
    return phys_to_virt(frame_of(page));
}

/* ---- the lists ---- */

static struct page_list *list_for(const struct mem_object *o)
{
    return o->ops->keep_pages ? &cache_kept : &lru;
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
    list_moves++;
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

static struct page *find(struct mem_object *o, uint64_t index)
{
    return page_of_node(avl_find(&o->pages, &index, compare_key));
}

/* The first cached page at or after index, or NULL. */
static struct page *find_from(struct mem_object *o, uint64_t index)
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
    stats.cached++;
    if (o->ops->keep_pages)
        stats.kept++;
    cache_list_add_newest(list_for(o), page);
}

void cache_evict(struct page *page)
{
    struct mem_object *o = page->object;
    avl_remove(&o->pages, &page->cache_node);
    cache_list_remove(list_for(o), page);
    o->cached--;
    stats.cached--;
    if (o->ops->keep_pages)
        stats.kept--;
    if (page->flags & PG_DIRTY) {
        o->dirty--;
        stats.dirty--;
    }
    page->object = NULL;
    page->flags = 0;
    pmm_unref(frame_of(page));
}

static void set_dirty(struct page *page)
{
    if (page->flags & PG_DIRTY)
        return;
    page->flags |= PG_DIRTY;
    page->object->dirty++;
    stats.dirty++;
}

static void clear_dirty(struct page *page)
{
    if (!(page->flags & PG_DIRTY))
        return;
    page->flags &= (uint16_t)~PG_DIRTY;
    page->object->dirty--;
    stats.dirty--;
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
static bool wait_unlocked(struct mem_object *o, struct page *page)
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
    struct page *next = find_from(o, index);
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
    stats.reads += got;
    return (long)got;
}

/* A zeroed page for index (at or past the end: nothing to read), cached. */
static int add_zero_page(struct mem_object *o, uint64_t index)
{
    paddr_t frame = pmm_alloc(FRAME_USER); /* zeroed */
    if (frame == PMM_NO_FRAME)
        return -ENOMEM;
    if (find(o, index) != NULL) { /* cached by someone while the allocator reclaimed? */
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
    if (find(o, index) != NULL || o->ops->slot_of(o, index) != slot) {
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
        struct page *page = find(o, index);
        if (page != NULL && (page->flags & PG_LOCKED)) {
            wait_unlocked(o, page);
            continue; /* read, or failed and gone: look again */
        }
        if (page != NULL) {
            /* a hit: the page becomes the newest, the last reclaim would drop */
            struct page_list *list = list_for(o);
            cache_list_remove(list, page);
            cache_list_add_newest(list, page);
            pmm_ref(frame_of(page));
            *frame = frame_of(page);
            stats.hits++;
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
    struct page *page = find(o, index);
    return page != NULL ? frame_of(page) : PMM_NO_FRAME;
}

void page_cache_read_ahead(struct mem_object *o, uint64_t first, uint64_t count)
{
    if (o->ops->read_pages == NULL)
        return; /* nothing stands behind the pages: nothing to read */
    uint64_t end = first + count < object_pages(o) ? first + count : object_pages(o);
    for (uint64_t index = first; index < end;) {
        struct page *page = find(o, index);
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
    struct page *page = find(o, o->size / PAGE_SIZE);
    if (page != NULL && wait_unlocked(o, page))
        memset((uint8_t *)contents(page) + used, 0, PAGE_SIZE - used);
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
        struct page *page = find(o, index);
        if (page == NULL && piece == PAGE_SIZE && add_zero_page(o, index) == 0)
            page = find(o, index); /* a whole page: worth keeping */
        /* a read in progress would overwrite the new bytes: wait for it */
        if (page != NULL && wait_unlocked(o, page))
            memcpy((uint8_t *)contents(page) + offset, from, piece);
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
    while ((page = find_from(o, keep)) != NULL) {
        if (wait_unlocked(o, page))
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
    for (uint64_t index = first; (page = find_from(o, index)) != NULL && page->index < end;) {
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
        wait_unlocked(o, busy);
    }
    if (object_is_swap_backed(o))
        object_forget_swapped(o, first, end);
    o->ops->put(o);
}

/* ---- write-back ---- */

/* Write one dirty page back. It stays cached and clean even if the write fails:
 * the error is kept in the object for the next fsync or msync to report, once
 * (Linux's mapping_set_error), and the page's stores are lost when it leaves the
 * cache. That is what Linux's ext2 does (a failed block_write_full_page leaves the
 * page clean): a page that can never be written (the disk is full, a hole needs a
 * block) must not stay dirty, or memory fills with pages nothing can free. The
 * caller holds a reference on the frame. */
static int write_back(struct page *page)
{
    struct mem_object *o = page->object;
    uint64_t start = page->index * PAGE_SIZE;
    if (start >= o->size) {
        clear_dirty(page); /* wholly past the end: nothing of it belongs to the file */
        return 0;
    }
    size_t bytes = o->size - start < PAGE_SIZE ? (size_t)(o->size - start) : PAGE_SIZE;
    clear_dirty(page); /* first: a store during the write makes it dirty again */
    int error = o->ops->write_page(o, page->index, contents(page), bytes);
    stats.writebacks++;
    if (error != 0) {
        stats.write_errors++;
        if (o->write_error == 0)
            o->write_error = error;
    }
    return error;
}

/* Collect the page's D bits, then write it back if dirty. Holds a reference
 * across the write (which sleeps). */
static int sync_page(struct page *page)
{
    struct mem_object *o = page->object;
    if (o->ops->write_page == NULL || (page->flags & PG_LOCKED))
        return 0;
    if (rmap_collect_dirty(o, page->index, frame_of(page)))
        set_dirty(page);
    if (!(page->flags & PG_DIRTY))
        return 0;
    paddr_t frame = frame_of(page);
    pmm_ref(frame);
    page_cache_pin(frame); /* across the write, which sleeps */
    o->ops->get(o);
    int error = write_back(page);
    o->ops->put(o);
    page_cache_unpin(frame);
    return error;
}

int page_cache_sync(struct mem_object *o, uint64_t first, uint64_t end)
{
    for (uint64_t index = first; index < end;) {
        struct page *page = find_from(o, index);
        if (page == NULL || page->index >= end)
            break;
        index = page->index + 1; /* the tree may change while the page is written */
        sync_page(page);         /* a failure is kept in o->write_error */
    }
    int error = o->write_error; /* this one's or an earlier write-back's: reported once */
    o->write_error = 0;
    return error;
}

int page_cache_sync_all(void)
{
    int error = 0;
    struct page *page = lru.oldest;
    while (page != NULL) {
        struct mem_object *o = page->object;
        bool needs_write =
            o->ops->write_page != NULL && !(page->flags & PG_LOCKED) &&
            (rmap_collect_dirty(o, page->index, frame_of(page)) || (page->flags & PG_DIRTY));
        if (!needs_write) {
            page = next_in_list(page);
            continue;
        }
        set_dirty(page);
        uint64_t moves = list_moves;
        int e = sync_page(page); /* sleeps: the list may change meanwhile */
        if (e != 0 && error == 0)
            error = e; /* the object keeps it too, for its fsync */
        /* go on from here if nothing moved meanwhile, else from the start again:
         * pages already written are clean now, so this ends */
        page = moves == list_moves ? next_in_list(page) : lru.oldest;
    }
    return error;
}

/* ---- dropping pages ---- */

/* A page only the cache uses (no mapping, no caller), clean and not being read. */
static bool droppable(const struct page *page)
{
    return page->refcount == 1 && !(page->flags & (PG_DIRTY | PG_LOCKED));
}

void page_cache_drop_all(struct mem_object *o)
{
    struct page *page;
    while ((page = find_from(o, 0)) != NULL) {
        if (wait_unlocked(o, page))
            cache_evict(page);
    }
}

/* What reclaim does with a page it looks at. */
enum verdict {
    KEEP,        /* in use, used since the last look, or being read */
    DROP,        /* clean, and only the cache and its mappings hold it */
    WRITE_FIRST, /* the same, but stored to: to be written back before it goes */
};

/* Look at a page only the cache and the page-table entries mapping it use (no
 * caller holds it): not used since the last look (its A bits, cleared now), not
 * being read, and clean (its D bits collected) or, when dirty pages may be
 * written, dirty. */
static enum verdict look_at_mapped(struct page *page, bool may_write)
{
    struct mem_object *o = page->object;
    if ((page->flags & PG_LOCKED) || (!may_write && (page->flags & PG_DIRTY)))
        return KEEP;
    uint64_t index = page->index;
    paddr_t frame = frame_of(page);
    if (page->refcount != 1 + rmap_count_mappings(o, index, frame))
        return KEEP;
    bool referenced = page->flags & PG_REFERENCED; /* an A bit the working-set sampler took */
    page->flags &= (uint16_t)~PG_REFERENCED;
    if (rmap_collect_accessed(o, index, frame) || referenced)
        return KEEP; /* used since the last look: a second chance (the Clock's rule) */
    if (o->ops->write_page != NULL && rmap_collect_dirty(o, index, frame))
        set_dirty(page); /* stored to since the last look */
    if (!(page->flags & PG_DIRTY))
        return DROP;
    return may_write ? WRITE_FIRST : KEEP;
}

/* Take page out of the cache and of every mapping. */
static void drop_page(struct page *page, bool mapped)
{
    struct mem_object *o = page->object;
    if (mapped)
        rmap_unmap_page(o, page->index, frame_of(page)); /* the entries' references */
    cache_evict(page);
    stats.reclaimed++;
    if (o->cached == 0 && o->ops->emptied != NULL)
        o->ops->emptied(o);
}

/* A dirty page nobody used since the last look: write it back (sleeps), then drop
 * it if it is still in the cache and nobody touched it meanwhile (a store during
 * the write makes it dirty again: it stays). *freed: its frame is free. A failed
 * write drops the page too, with its stores (write_back says why); the object
 * remembers the error for the next fsync or msync. Returns the write's error. */
static int write_then_drop(struct page *page, bool *freed)
{
    struct mem_object *o = page->object;
    uint64_t index = page->index;
    paddr_t frame = frame_of(page);
    o->ops->get(o); /* the object outlives the write even if truncated meanwhile */
    pmm_ref(frame);
    page_cache_pin(frame); /* across the write, which sleeps; unpin drops the reference */
    int error = write_back(page);
    stats.reclaim_writes++;
    bool cached = find(o, index) == page;
    page_cache_unpin(frame); /* the cache's reference remains if it is still cached */
    *freed = cached && look_at_mapped(page, false) == DROP;
    if (*freed)
        drop_page(page, true);
    o->ops->put(o);
    return error;
}

/* Drop pages, oldest first, until wanted frames are free (or nothing more can go):
 * clean unused ones, and with mapped_too those only page-table entries use (after
 * unmapping them), and with reach beyond RECLAIM_CLEAN dirty ones after writing
 * them back. A page that must stay is moved to the newest end, so the next call
 * does not look at it again first; each page is looked at once per call. An object
 * left with no page is told (its inode may leave the inode cache). */
static uint64_t drop_pages(uint64_t wanted, bool mapped_too, enum page_cache_reach reach)
{
    uint64_t freed = 0, looked = 0, listed = stats.cached - stats.kept;
    bool may_write = reach != RECLAIM_CLEAN;
    struct page *page = lru.oldest;
    while (page != NULL && freed < wanted && looked++ < listed) {
        struct page *next = next_in_list(page);
        enum verdict v = droppable(page) ? DROP
                         : mapped_too    ? look_at_mapped(page, may_write)
                                         : KEEP;
        if (v == DROP && reach == RECLAIM_DIRTY_ONLY)
            v = KEEP; /* out of memory: a clean page is text the program needs again */
        if (v == DROP) {
            drop_page(page, mapped_too);
            freed++;
        } else if (v == WRITE_FIRST) {
            uint64_t moves = list_moves;
            bool dropped;
            write_then_drop(page, &dropped); /* failed or not, the page is clean now */
            freed += dropped;
            if (moves != list_moves)
                next = lru.oldest; /* the lists changed while the write slept */
        } else if (next != NULL) {
            cache_list_remove(&lru, page);
            cache_list_add_newest(&lru, page);
        }
        page = next;
    }
    return freed;
}

/* The reclaimer pmm_alloc calls: unmapped pages only (it may run anywhere but in
 * an interrupt handler, so no page-table entry may change under its caller). */
static uint64_t reclaim(uint64_t wanted)
{
    if (cache_waiting.in_interrupt != NULL && cache_waiting.in_interrupt())
        return 0; /* the code it interrupted may be in the middle of changing the lists */
    return drop_pages(wanted, false, RECLAIM_CLEAN);
}

uint64_t page_cache_reclaim_mapped(uint64_t wanted, enum page_cache_reach reach)
{
    return drop_pages(wanted, true, reach);
}

uint64_t page_cache_reclaim_unmapped(uint64_t wanted)
{
    return drop_pages(wanted, false, RECLAIM_CLEAN);
}

struct page_cache_stats page_cache_stats(void)
{
    return stats;
}

uint64_t page_cache_drop_unused(void)
{
    return reclaim(UINT64_MAX);
}

void page_cache_init(struct page_cache_waiting how)
{
    cache_waiting = how;
    pmm_set_reclaimer(reclaim);
}

/* ---- the D bit ---- */

void page_cache_entry_gone(pte_t old)
{
    if (!pte_present(old) || !(old & PTE_DIRTY))
        return;
    struct page *page = page_of(pte_frame(old));
    if (page != NULL && page->object != NULL && page->object->ops->write_page != NULL)
        set_dirty(page);
}

/* ---- counting ---- */

void page_cache_for_each(void (*visit)(void *ctx, paddr_t frame), void *ctx)
{
    for (size_t i = 0; i < PINS_MAX; i++) {
        for (uint32_t n = 0; n < pins[i].count; n++)
            visit(ctx, pins[i].frame);
    }
    for (struct page *page = lru.oldest; page != NULL; page = next_in_list(page))
        visit(ctx, frame_of(page));
    for (struct page *page = cache_kept.oldest; page != NULL; page = next_in_list(page))
        visit(ctx, frame_of(page));
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
                  o->ops->keep_pages == kept_list && find(o, page->index) == page &&
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
    unsigned bad = check_list(&lru, false, &cached, &dirty);
    bad += check_list(&cache_kept, true, &kept_count, &dirty);
    cached += kept_count;
    if (cached != stats.cached || dirty != stats.dirty || kept_count != stats.kept) {
        kprintf("page cache check: %lu pages (%lu dirty, %lu kept) on the lists, but the "
                "counts say %lu (%lu dirty, %lu kept)\n",
                cached, dirty, kept_count, stats.cached, stats.dirty, stats.kept);
        bad++;
    }
    return bad == 0;
}
