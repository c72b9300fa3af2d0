/*
 * page_cache_writeback.c — cached pages leaving for their store and leaving
 * memory: write-back (fsync, msync, sync: a dirty page's bytes written to its
 * file) and reclaim's dropping of pages (clean ones, and with write-back first,
 * dirty ones), oldest first on the cache's lru list (page_cache.h). The cache
 * itself -- lookup, reading, the lists -- is page_cache.c; both include
 * page_cache_internal.h.
 */
#include "page_cache.h"

#include "object.h"
#include "page_cache_internal.h"
#include "pmm.h"
#include "rmap.h"
#include "shm_swap.h"

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
        cache_clear_dirty(page); /* wholly past the end: nothing of it belongs to the file */
        return 0;
    }
    size_t bytes = o->size - start < PAGE_SIZE ? (size_t)(o->size - start) : PAGE_SIZE;
    cache_clear_dirty(page); /* first: a store during the write makes it dirty again */
    int error = o->ops->write_page(o, page->index, cache_contents(page), bytes);
    cache_stats.writebacks++;
    if (error != 0) {
        cache_stats.write_errors++;
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
        cache_set_dirty(page);
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
        struct page *page = cache_find_from(o, index);
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
    struct page *page = cache_lru.oldest;
    while (page != NULL) {
        struct mem_object *o = page->object;
        bool needs_write =
            o->ops->write_page != NULL && !(page->flags & PG_LOCKED) &&
            (rmap_collect_dirty(o, page->index, frame_of(page)) || (page->flags & PG_DIRTY));
        if (!needs_write) {
            page = next_in_list(page);
            continue;
        }
        cache_set_dirty(page);
        uint64_t moves = cache_list_moves;
        int e = sync_page(page); /* sleeps: the list may change meanwhile */
        if (e != 0 && error == 0)
            error = e; /* the object keeps it too, for its fsync */
        /* go on from here if nothing moved meanwhile, else from the start again:
         * pages already written are clean now, so this ends */
        page = moves == cache_list_moves ? next_in_list(page) : cache_lru.oldest;
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
    while ((page = cache_find_from(o, 0)) != NULL) {
        if (cache_wait_unlocked(o, page))
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
        cache_set_dirty(page); /* stored to since the last look */
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
    cache_stats.reclaimed++;
    if (o->cached == 0 && o->ops->emptied != NULL)
        o->ops->emptied(o);
}

bool page_cache_pageout(struct mem_object *o, uint64_t index, paddr_t frame)
{
    struct page *page = cache_find(o, index);
    if (page == NULL || frame_of(page) != frame || (page->flags & PG_LOCKED) ||
        rmap_is_locked(o, index) || page->refcount != 2 ||
        rmap_count_mappings(o, index, frame) != 1)
        return false; /* shared, locked, being read, or held by the kernel */
    if (o->ops->keep_pages)
        return shm_swap_out_page(page);
    if (o->ops->write_page != NULL && rmap_collect_dirty(o, index, frame))
        cache_set_dirty(page); /* stored to through the mapping */
    if (page->flags & PG_DIRTY)
        return false;
    drop_page(page, true);
    return true;
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
    cache_stats.reclaim_writes++;
    bool cached = cache_find(o, index) == page;
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
    uint64_t freed = 0, looked = 0, listed = cache_stats.cached - cache_stats.kept;
    bool may_write = reach != RECLAIM_CLEAN;
    struct page *page = cache_lru.oldest;
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
            uint64_t moves = cache_list_moves;
            bool dropped;
            write_then_drop(page, &dropped); /* failed or not, the page is clean now */
            freed += dropped;
            if (moves != cache_list_moves)
                next = cache_lru.oldest; /* the lists changed while the write slept */
        } else if (next != NULL) {
            cache_list_remove(&cache_lru, page);
            cache_list_add_newest(&cache_lru, page);
        }
        page = next;
    }
    return freed;
}

/* The reclaimer pmm_alloc calls: unmapped pages only (it may run anywhere but in
 * an interrupt handler, so no page-table entry may change under its caller). */
uint64_t cache_reclaim(uint64_t wanted)
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

uint64_t page_cache_drop_unused(void)
{
    return cache_reclaim(UINT64_MAX);
}
