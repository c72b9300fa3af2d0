/*
 * pmm.c — allocating and freeing physical frames.
 *
 * The free frames form a stack threaded through their struct page records:
 * pmm_alloc pops the top, pmm_free pushes onto it. Both are O(1). Each record's
 * state says whether the frame is free, in use or reserved, so freeing a frame
 * twice, or a frame the allocator never handed out, is caught at once.
 */
#include "pmm_internal.h"

#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "page_ops.h"

struct pmm_pool pmm_pool;
struct page *pmm_pages; /* = pmm_pool.pages, for the inline pmm_ref/pmm_unref */
pfn_t pmm_page_count;   /* = pmm_pool.page_count */

#define CALLER_NAME_MAX 64

struct page *pmm_page(paddr_t frame)
{
    pfn_t pfn = paddr_to_pfn(frame);
    return pfn < pmm_pool.page_count ? &pmm_pool.pages[pfn] : NULL;
}

void pmm_push_free(struct page *page)
{
    page->state = PAGE_FREE;
    page->refcount = 0;
    page->flags = 0;
    page->object = NULL;
    assert(page->object != NULL || page->use != FRAME_USER || page->anon.set == NULL,
           "pmm: freeing frame 0x%lx still on a resident set", pfn_to_paddr(page_to_pfn(page)));
    /* what the page cache or reclaim kept in it is not the next owner's */
    page->anon = (struct anon_page){ 0 };
    page->lru_prev = page->lru_next = 0;
    page->next_free = pmm_pool.free_list;
    pmm_pool.free_list = page;
    pmm_pool.stats.free++;
}

static pmm_reclaimer_fn reclaimer;
static bool reclaiming; /* the reclaimer may allocate (kfree of a record): not again */

void pmm_set_reclaimer(pmm_reclaimer_fn fn)
{
    reclaimer = fn;
}

static pmm_shortage_fn shortage_hook;

void pmm_set_shortage_hook(pmm_shortage_fn hook)
{
    shortage_hook = hook;
}

void pmm_note_shortage(uint64_t frames_wanted)
{
    if (shortage_hook != NULL)
        shortage_hook(frames_wanted);
}

/* No frame is free: let the reclaimer free some (it says no where it may not run:
 * in an interrupt handler). Never re-entered: its own frees cannot recurse here. */
static bool reclaim_some(void)
{
    if (reclaimer == NULL || reclaiming)
        return false;
    reclaiming = true;
    uint64_t freed = reclaimer(1);
    reclaiming = false;
    return freed > 0;
}

/* ASSIGNMENT(frames): pop the free stack (and pmm_free below: push it back). */
paddr_t pmm_alloc(enum frame_use use)
{
    assert(use < FRAME_USE_COUNT, "pmm_alloc: bad frame use %d", use);
    uint64_t flags = irq_save();
    struct page *page = pmm_pool.free_list;
    if (page == NULL) {
        irq_restore(flags);
        bool reclaimed = reclaim_some();
        flags = irq_save();
        page = pmm_pool.free_list;
        if (!reclaimed || page == NULL) {
            irq_restore(flags);
            pmm_note_shortage(1);
            return PMM_NO_FRAME;
        }
    }
    assert(page->state == PAGE_FREE, "pmm_alloc: frame %lx on the free list in state %d",
           page_to_pfn(page), page->state);
    pmm_pool.free_list = page->next_free;
    pmm_pool.stats.free--;
    pmm_pool.stats.used[use]++;
    page->state = PAGE_IN_USE;
    page->use = (uint8_t)use;
    page->refcount = 1;
    page->next_free = NULL;
    irq_restore(flags);

    /* Zero it here, so no frame carries old contents to its new owner. */
    paddr_t frame = pfn_to_paddr(page_to_pfn(page));
    zero_page(phys_to_virt(frame));
    return frame;
}

/* The record of an allocated frame; panics, naming the caller, for anything else. */
static struct page *page_in_use(paddr_t frame, const char *operation, void *caller)
{
    char who[CALLER_NAME_MAX];
    struct page *page = pmm_page(frame);
    if (page == NULL || !is_page_aligned(frame))
        panic("%s: 0x%lx is not a frame of the pool (caller %s)", operation, frame,
              ksym_format((uint64_t)caller, who, sizeof who));
    if (page->state == PAGE_FREE)
        panic("%s: frame 0x%lx is already free (caller %s)", operation, frame,
              ksym_format((uint64_t)caller, who, sizeof who));
    if (page->state != PAGE_IN_USE)
        panic("%s: frame 0x%lx is reserved, never allocated (caller %s)", operation, frame,
              ksym_format((uint64_t)caller, who, sizeof who));
    return page;
}

static void release(struct page *page)
{
    pmm_pool.stats.used[page->use]--;
    pmm_push_free(page);
}

void pmm_free(paddr_t frame)
{
    uint64_t flags = irq_save();
    struct page *page = page_in_use(frame, "pmm_free", __builtin_return_address(0));
    assert(page->refcount == 1, "pmm_free: frame 0x%lx still has %u references", frame,
           page->refcount);
    release(page);
    irq_restore(flags);
}

void pmm_ref_checked(paddr_t frame)
{
    uint64_t flags = irq_save();
    struct page *page = page_in_use(frame, "pmm_ref", __builtin_return_address(0));
    page->refcount++;
    irq_restore(flags);
}

uint32_t pmm_unref_checked(paddr_t frame)
{
    uint64_t flags = irq_save();
    struct page *page = page_in_use(frame, "pmm_unref", __builtin_return_address(0));
    uint32_t left = --page->refcount;
    if (left == 0)
        release(page); /* the last reference: the frame is free again */
    irq_restore(flags);
    return left;
}

struct pmm_stats pmm_stats(void)
{
    return pmm_pool.stats;
}

struct pmm_stats pmm_stats_at_boot(void)
{
    return pmm_pool.boot_stats;
}

uint64_t pmm_check(void)
{
    uint64_t flags = irq_save();
    uint64_t listed = 0, free = 0, used[FRAME_USE_COUNT] = { 0 };
    for (struct page *p = pmm_pool.free_list; p != NULL; p = p->next_free) {
        assert(p->state == PAGE_FREE, "pmm_check: frame %lx on the free list in state %d",
               page_to_pfn(p), p->state);
        assert(++listed <= pmm_pool.stats.free, "pmm_check: free list longer than %lu (a cycle?)",
               pmm_pool.stats.free);
    }
    for (pfn_t pfn = 0; pfn < pmm_pool.page_count; pfn++) {
        const struct page *p = &pmm_pool.pages[pfn];
        if (p->state == PAGE_FREE)
            free++;
        else if (p->state == PAGE_IN_USE)
            used[p->use]++;
    }
    assert(listed == free && free == pmm_pool.stats.free,
           "pmm_check: %lu frames listed, %lu marked free, counter says %lu", listed, free,
           pmm_pool.stats.free);
    for (int u = 0; u < FRAME_USE_COUNT; u++)
        assert(used[u] == pmm_pool.stats.used[u], "pmm_check: use %d: %lu frames, counter %lu", u,
               used[u], pmm_pool.stats.used[u]);
    irq_restore(flags);
    return free;
}
