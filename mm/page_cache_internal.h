/*
 * page_cache_internal.h — the page cache's lists and page records, shared by
 * page_cache.c (the cache), page_cache_writeback.c (write-back and reclaim) and
 * shm_swap.c (its shared anonymous pages going out to swap): only those include
 * this.
 */
#ifndef MM_PAGE_CACHE_INTERNAL_H
#define MM_PAGE_CACHE_INTERNAL_H

#include "page_cache.h"
#include "pmm.h"

/* A list of cached pages, oldest first, linked through struct page's lru_prev and
 * lru_next. */
struct page_list {
    struct page *oldest, *newest;
};

/* The pages reclaim may drop (when clean and unused), oldest first. */
extern struct page_list cache_lru;

/* What the cache holds and has done (page_cache_stats; gdb: print cache_stats). */
extern struct page_cache_stats cache_stats;

/* Changes of the lists' order: a walk that slept starts over if it moved. */
extern uint64_t cache_list_moves;

/* The pages of shared anonymous memory (objects that keep_pages): they exist
 * nowhere else, so reclaim never drops them; only shm_swap.c takes them out. */
extern struct page_list cache_kept;

/* How to sleep on a page being read or written: the scheduler's (page_cache_init). */
extern struct page_cache_waiting cache_waiting;

/* The frame a cached page's record describes. */
static inline paddr_t frame_of(const struct page *page)
{
    return pfn_to_paddr((pfn_t)(page - pmm_pages));
}

/* The list links are frame numbers (struct page stays 64 bytes); 0 is no frame
 * (the first MiB is never in the pool). */
static inline struct page *at_pfn(uint32_t pfn)
{
    return pfn != 0 ? &pmm_pages[pfn] : NULL;
}

/* The bytes of a cached page. */
static inline void *cache_contents(const struct page *page)
{
    return phys_to_virt(frame_of(page));
}

/* The page after page on its list (newer), or NULL. */
static inline struct page *next_in_list(const struct page *page)
{
    return at_pfn(page->lru_next);
}

/* Put page at the newest end of list. */
void cache_list_add_newest(struct page_list *list, struct page *page);

/* Take page off list (a walk that slept sees that the lists moved). */
void cache_list_remove(struct page_list *list, struct page *page);

/* Take a page out of its object and drop the cache's reference: the frame is
 * freed now, or by whoever still holds it. */
void cache_evict(struct page *page);

/* The page of o at index, or NULL; the first at or after index, or NULL. */
struct page *cache_find(struct mem_object *o, uint64_t index);
struct page *cache_find_from(struct mem_object *o, uint64_t index);

/* Mark page dirty (newer than its store), or clean, keeping the counts. */
void cache_set_dirty(struct page *page);
void cache_clear_dirty(struct page *page);

/* Sleep until page, of o, is no longer being read. True if it is still o's page
 * then (a failed read takes it out). */
bool cache_wait_unlocked(struct mem_object *o, struct page *page);

/* The reclaimer pmm_alloc calls (page_cache_writeback.c): unmapped clean pages. */
uint64_t cache_reclaim(uint64_t wanted);

#endif
