/*
 * page_cache_internal.h — the page cache's lists and page records, shared by
 * page_cache.c (the cache) and shm_swap.c (its shared anonymous pages going out
 * to swap): only page_cache.c and shm_swap.c include this.
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

#endif
