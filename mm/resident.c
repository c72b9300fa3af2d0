/*
 * resident.c — the circle of a resident set, linked by frame numbers.
 */
#include "resident.h"

#include "kernel/panic.h"
#include "pmm.h"

struct resident_set resident_global;

static struct page *page_of(uint32_t pfn)
{
    return &pmm_pages[pfn];
}

static uint32_t pfn_of(const struct page *page)
{
    return (uint32_t)(page - pmm_pages);
}

void resident_insert(struct resident_set *set, struct page *page)
{
    assert(page->anon.set == NULL, "resident_insert: frame 0x%lx is on a set already",
           pfn_to_paddr(pfn_of(page)));
    uint32_t pfn = pfn_of(page);
    if (set->hand == 0) {
        page->lru_prev = page->lru_next = pfn; /* a circle of one */
        set->hand = pfn;
    } else {
        /* behind the hand: between the hand's page and the one before it */
        struct page *hand = page_of(set->hand);
        struct page *before = page_of(hand->lru_prev);
        page->lru_prev = hand->lru_prev;
        page->lru_next = set->hand;
        before->lru_next = pfn;
        hand->lru_prev = pfn;
    }
    page->anon.set = set;
    set->count++;
}

void resident_remove(struct page *page)
{
    struct resident_set *set = page->anon.set;
    if (set == NULL)
        return;
    uint32_t pfn = pfn_of(page);
    if (page->lru_next == pfn) {
        set->hand = 0; /* it was alone */
    } else {
        page_of(page->lru_prev)->lru_next = page->lru_next;
        page_of(page->lru_next)->lru_prev = page->lru_prev;
        if (set->hand == pfn)
            set->hand = page->lru_next;
    }
    page->lru_prev = page->lru_next = 0;
    page->anon.set = NULL;
    set->count--;
}

struct page *resident_at_hand(const struct resident_set *set)
{
    return set->hand == 0 ? NULL : page_of(set->hand);
}

void resident_advance(struct resident_set *set)
{
    if (set->hand != 0)
        set->hand = page_of(set->hand)->lru_next;
}

struct page *resident_next(const struct page *page)
{
    return page_of(page->lru_next);
}
