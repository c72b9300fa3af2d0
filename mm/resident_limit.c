/*
 * resident_limit.c — one range of an address space with a resident set of its
 * own (resident_limit.h).
 */
#include "resident_limit.h"

#include <stddef.h>

#include "anon_rmap.h"
#include "as.h"
#include "fault.h"
#include "kernel/errno.h"
#include "kheap.h"
#include "layout.h"
#include "pmm.h"
#include "pte.h"
#include "reclaim.h"
#include "replace.h"
#include "swap.h"
#include "vma.h"

/* Is every page of [start, end) inside some region of as? */
static bool range_mapped(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    vaddr_t at = start;
    for (struct vma *r = vma_find(as, at); r != NULL && at < end; r = vma_next(r)) {
        if (r->start > at)
            return false; /* a hole */
        at = r->end;
    }
    return at >= end;
}

/* Every page still on the set joins the machine's set (others map it: fork). */
static void give_back_pages(struct resident_set *set)
{
    struct page *page;
    while ((page = resident_at_hand(set)) != NULL) {
        resident_remove(page);
        resident_insert(&resident_global, page);
    }
}

void resident_limit_release(struct addr_space *as)
{
    if (as->resident_limit == NULL)
        return;
    give_back_pages(&as->resident_limit->set);
    kfree(as->resident_limit);
    as->resident_limit = NULL;
}

int resident_limit_set(struct addr_space *as, vaddr_t start, uint64_t len, uint64_t frames)
{
    if (frames == 0) {
        resident_limit_release(as);
        return 0;
    }
    if ((start & (PAGE_SIZE - 1)) != 0 || len == 0 || start >= USER_SPACE_END ||
        len > USER_SPACE_END - start)
        return -EINVAL;
    vaddr_t end = align_up(start + len, PAGE_SIZE);
    if (!range_mapped(as, start, end))
        return -ENOMEM;
    if (!swap_area_active())
        return -ENOSPC;
    if (as->resident_limit != NULL)
        return -EBUSY;
    struct resident_limit *limit = kzalloc(sizeof *limit);
    if (limit == NULL)
        return -ENOMEM;
    limit->start = start;
    limit->end = end;
    limit->set.limit = frames;
    limit->set.owner = as->root;
    as->resident_limit = limit;
    return 0;
}

/* The limited range holding va, or NULL. */
static struct resident_limit *limit_of(struct addr_space *as, vaddr_t va)
{
    struct resident_limit *limit = as->resident_limit;
    return limit != NULL && va >= limit->start && va < limit->end ? limit : NULL;
}

bool resident_limit_applies(struct addr_space *as, const struct vma *vma,
                            const struct fault_info *f)
{
    if (limit_of(as, f->address) == NULL || vma->object != NULL)
        return false; /* only private anonymous memory has pages to swap */
    pte_t entry = as_entry(as, align_down(f->address, PAGE_SIZE));
    if (pte_is_swap(entry))
        return true; /* swap-in */
    if (pte_is_lost(entry))
        return false; /* SIGBUS: nothing comes in */
    bool write = f->access == FAULT_WRITE;
    if (!pte_holds_frame(entry))
        return write; /* demand-zero (a read maps the shared zero page: no frame) */
    return write && pte_present(entry) && pte_frame(entry) == zero_page_frame();
}

bool resident_limit_make_room(struct addr_space *as)
{
    struct resident_limit *limit = as->resident_limit;
    struct resident_set *set = &limit->set;
    for (uint64_t tries = 2 * set->count + 1; set->count >= set->limit && tries > 0; tries--) {
        struct page *victim = replace_policy()->choose(set);
        if (victim == NULL)
            return false;
        enum swap_out_result result = reclaim_swap_out(victim);
        if (result == SWAP_OUT_FREED) {
            limit->evictions++;
            return true;
        }
        if (result == SWAP_OUT_NO_SLOT)
            return false; /* swap is full: the set grows past its limit */
        if (victim->anon.set == set && resident_at_hand(set) == victim)
            resident_advance(set); /* the kernel holds it right now: the next one */
    }
    return false; /* not full, or nothing could go: the set grows past its limit */
}

void resident_limit_took(struct addr_space *as, vaddr_t va)
{
    struct resident_limit *limit = limit_of(as, va);
    pte_t entry = as_entry(as, align_down(va, PAGE_SIZE));
    if (limit == NULL || !pte_present(entry))
        return; /* -EAGAIN: the fault comes again */
    struct page *page = anon_page_of(pte_frame(entry));
    if (page == NULL || page->anon.set != &resident_global)
        return;
    /* first_mapping put it on the machine's set; it is ours, behind our hand */
    resident_remove(page);
    resident_insert(&limit->set, page);
    limit->faults++;
}
