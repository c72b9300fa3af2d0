/*
 * check.c — recounting frame references from the page tables.
 */
#include "check.h"

#include "as.h"
#include "as_walk.h"
#include "check_swap.h"
#include "fault.h"
#include "kernel/printk.h"
#include "lib/string.h"
#include "kheap.h"
#include "pmm.h"
#include "pmm_internal.h"
#include "page_cache.h"

#define MAX_REPORTS 5

struct recount {
    uint32_t *expected; /* expected[pfn]: references found */
};

static void count(struct recount *r, paddr_t frame)
{
    r->expected[paddr_to_pfn(frame)]++;
}

static void count_page(void *ctx, const struct mapping *m)
{
    count(ctx, m->frame);
}

/* The page cache holds one reference on each of its frames, however many
 * regions map them. */
static void count_cached(void *ctx, paddr_t frame)
{
    count(ctx, frame);
}

/* Compare each user frame (and the zero page) with its recount. */
static unsigned compare(const struct recount *r)
{
    unsigned mismatches = 0;
    pfn_t zero = paddr_to_pfn(zero_page_frame());
    for (pfn_t pfn = 0; pfn < pmm_pool.page_count; pfn++) {
        const struct page *page = &pmm_pool.pages[pfn];
        bool user = page->state == PAGE_IN_USE && page->use == FRAME_USER;
        uint32_t expected = r->expected[pfn] + (pfn == zero ? 1 : 0);
        if (!user && pfn != zero && r->expected[pfn] == 0)
            continue;
        if ((user || pfn == zero) && page->refcount == expected)
            continue;
        if (mismatches++ < MAX_REPORTS)
            kprintf(
                "mm check: frame 0x%lx: refcount %u, but %u references found (state %d, use %d)\n",
                pfn_to_paddr(pfn), page->refcount, expected, page->state, page->use);
    }
    return mismatches;
}

/* The recount array, reserved once for a whole run of checks (mm_check_reserve):
 * the checks run after every process is reaped, and the moments memory is
 * exhausted -- the out-of-memory tests -- are exactly when a fresh allocation of
 * it would fail and the check would be skipped. */
static uint32_t *reserved_recount;

bool mm_check_reserve(void)
{
    if (reserved_recount == NULL)
        reserved_recount = kzalloc(pmm_pool.page_count * sizeof *reserved_recount);
    bool swap_reserved = mm_check_swap_reserve(); /* (and for each later swapon) */
    return reserved_recount != NULL && swap_reserved;
}

bool mm_check_references(struct addr_space *const *spaces, size_t count_of_spaces)
{
    pmm_check();
    static struct recount r;
    size_t bytes = pmm_pool.page_count * sizeof *r.expected;
    r.expected = reserved_recount != NULL ? memset(reserved_recount, 0, bytes) : kzalloc(bytes);
    if (r.expected == NULL) {
        kprintf("mm check: no memory for the recount; skipped\n");
        return true;
    }
    page_cache_for_each(count_cached, &r);
    /* every space's page tables, walked once by mm_check_swap: each entry
     * holding a frame is counted here (count_page) and checked there */
    struct as_visitor counter = { .page = count_page, .ctx = &r };
    unsigned mismatches = mm_check_swap(spaces, count_of_spaces, r.expected, &counter);
    mismatches += compare(&r);
    if (!page_cache_check())
        mismatches++;
    if (r.expected != reserved_recount)
        kfree(r.expected);
    if (mismatches > 0)
        kprintf("mm check FAILED: %u frames with the wrong reference count\n", mismatches);
    return mismatches == 0;
}
