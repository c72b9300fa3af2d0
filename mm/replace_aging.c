/*
 * replace_aging.c — NFU with aging: an 8-bit history of use per page.
 *
 * Tanenbaum's "aging" approximation of LRU (Modern Operating Systems, 3.4.7):
 * each page keeps a counter (page->anon.age). At every choice, every page of the
 * set is aged: the counter moves one bit right and the accessed bit comes in at
 * the top,
 *
 *        age = age >> 1 | A << 7        (A then cleared)
 *
 * so a page used at the last look has 1xxxxxxx, one used only three looks ago
 * 0001xxxx. The page with the smallest counter is the one least recently used,
 * as far as eight looks can tell; it is the victim. Among equal counters the
 * first from the hand wins: the hand stays at the page loaded longest ago (new
 * pages go in behind it and aging never moves it), so ties go to the oldest.
 *
 * The cost is honest LRU's weakness made visible: every choice visits every
 * page of the set (O(pages), each visit a walk of the reverse map to test and
 * clear the A bits), where Clock usually stops after a few. Real kernels age on a
 * timer instead, in the background; here aging happens only when a page must go,
 * so "a look" means "a choice". (tools/pagesim's aging looks every K references
 * instead, a clock the kernel does not have: its counts are close, not equal.)
 *
 * A victim reclaim cannot take now (the kernel holds it) is chosen again at the
 * next ask, after one more aging of everyone: rare, and bounded by reclaim's tries.
 *
 * Switching to aging at run time is safe: counters start at 0 for a page never
 * aged, which only makes it an early victim until one look has seen its A bit.
 */
#include "replace.h"

#include <stddef.h>

#include "pmm.h"
#include "resident.h"

/* One look at page: shift its history and record whether it was used. */
static void age_page(struct page *page)
{
    uint8_t used = replace_test_and_clear_used(page) ? 1 : 0;
    page->anon.age = (uint8_t)(page->anon.age >> 1 | used << 7);
}

static struct page *choose(struct resident_set *set)
{
    struct page *first = resident_at_hand(set);
    if (first == NULL)
        return NULL;
    struct page *victim = first;
    struct page *page = first;
    do {
        age_page(page);
        if (page->anon.age < victim->anon.age)
            victim = page; /* strictly smaller: ties stay with the older page */
        page = resident_next(page);
    } while (page != first);
    return victim;
}

const struct replacement_policy replace_aging = { .name = "aging", .choose = choose };
