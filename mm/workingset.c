/*
 * workingset.c — sampling the working set at the end of each window of tau.
 */
#include "workingset.h"

#include "as.h"
#include "fault.h"
#include "kernel/errno.h"
#include "pmm.h"
#include "pt.h"

#define NS_PER_MS 1000000ul

static uint32_t tau_ms = WORKINGSET_TAU_MS;

void workingset_run(struct addr_space *as, uint64_t ns)
{
    as->ws.window_ns += ns;
}

/* The sampler cleared frame's A bit: keep the use for the replacement policy and
 * the page cache's reclaim, which look at the A bits later (PG_REFERENCED). Only
 * frames of user pages: not the shared zero page, not device memory. */
static void note_used(paddr_t frame)
{
    struct page *page = pmm_page(frame);
    if (page != NULL && page->state == PAGE_IN_USE && page->use == FRAME_USER &&
        frame != zero_page_frame())
        page->flags |= PG_REFERENCED;
}

void workingset_sample_if_due(struct addr_space *as)
{
    if (as->ws.window_ns < tau_ms * NS_PER_MS)
        return;
    as->ws.pages = pt_sample_used(as->root, note_used);
    as->ws.windows++;
    as->ws.window_ns = 0;
    as->ws.faults = 0;
}

void workingset_fault(struct addr_space *as)
{
    as->ws.faults++;
}

uint64_t workingset_pages(const struct addr_space *as)
{
    return as->ws.pages;
}

uint64_t workingset_demand(const struct addr_space *as)
{
    uint64_t has = as->rss + as->swap_pages; /* (a page faulted twice counts once) */
    uint64_t seen = as->ws.faults < has ? as->ws.faults : has;
    return seen > as->ws.pages ? seen : as->ws.pages;
}

uint32_t workingset_tau_ms(void)
{
    return tau_ms;
}

int workingset_set_tau_ms(uint32_t ms)
{
    if (ms == 0 || ms > WORKINGSET_TAU_MS_MAX)
        return -EINVAL;
    tau_ms = ms;
    return 0;
}
