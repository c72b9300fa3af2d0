/*
 * pmm_internal.h — the frame allocator's state, shared by pmm.c (allocating and
 * freeing) and pmm_boot.c (building the pool at boot); also read by check.c, which
 * recounts every frame's references, and by the host test of the allocator.
 */
#ifndef MM_PMM_INTERNAL_H
#define MM_PMM_INTERNAL_H

#include "pmm.h"

struct pmm_pool {
    struct page *pages;     /* pages[pfn] describes frame pfn */
    pfn_t page_count;       /* frames 0 .. page_count-1 have a record */
    struct page *free_list; /* a stack of free frames, linked through next_free */
    struct pmm_stats stats;
    struct pmm_stats boot_stats;
};

extern struct pmm_pool pmm_pool;

/* Put a frame (state PAGE_FREE already set or not) on the free list. */
void pmm_push_free(struct page *page);

static inline pfn_t page_to_pfn(const struct page *page)
{
    return (pfn_t)(page - pmm_pool.pages);
}

#endif
