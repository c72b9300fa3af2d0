/*
 * replace_wsclock.c — WSClock (Carr and Hennessy, 1981): Clock's circle with
 * Denning's working set.
 *
 * A page belongs to its process's working set if it was used in the last tau of
 * time. Each page keeps the time of its last use as the hand saw it
 * (page->anon.last_use, milliseconds since boot: replace_now_ms). The hand goes
 * round from where it stopped:
 *
 *   A bit set           used since the last look: clear it, last_use = now,
 *                       move on (the page is in the working set)
 *   now - last_use > tau  not used for longer than tau: left the working set,
 *                       the victim
 *   otherwise           unused but recent: move on, remembering the one with
 *                       the oldest last_use
 *
 * If a whole round finds no page older than tau, the oldest unused page goes;
 * if every page was used (all bits were set), the page where the round began
 * goes, as Clock would take it. The hand is left at the victim, so the new page
 * takes its place in the circle.
 *
 * The textbook version also looks at the dirty bit: a dirty old page is
 * scheduled for writing and passed over, a clean one taken at once. An
 * anonymous page has no copy anywhere until reclaim writes it (or the copy in
 * its slot went stale), so here every victim is written to swap: there is no
 * clean page to prefer.
 *
 * Time is real time, so replays with WSClock are not repeatable to the fault
 * (tests print them, they do not compare them). Switching to WSClock at run
 * time is safe: a page whose last_use was never set looks as old as boot, so it
 * is taken early unless its A bit shows it in use.
 */
#include "replace.h"

#include <stddef.h>

#include "pmm.h"
#include "resident.h"

/* Move the hand of set round to page (which is on set). */
static void hand_to(struct resident_set *set, const struct page *page)
{
    while (resident_at_hand(set) != page)
        resident_advance(set);
}

static bool older_than_tau(const struct page *page, uint32_t now)
{
    return now - page->anon.last_use > replace_wsclock_tau_ms();
}

static struct page *choose(struct resident_set *set)
{
    struct page *start = resident_at_hand(set);
    if (start == NULL)
        return NULL;
    uint32_t now = (uint32_t)replace_now_ms();
    struct page *oldest = NULL;
    for (uint64_t looked = 0; looked < set->count; looked++) {
        struct page *page = resident_at_hand(set);
        if (replace_test_and_clear_used(page))
            page->anon.last_use = now; /* in the working set */
        else if (older_than_tau(page, now))
            return page; /* out of the working set: left at the hand */
        else if (oldest == NULL || page->anon.last_use < oldest->anon.last_use)
            oldest = page;
        resident_advance(set);
    }
    struct page *victim = oldest != NULL ? oldest : start;
    hand_to(set, victim);
    return victim;
}

const struct replacement_policy replace_wsclock = { .name = "wsclock", .choose = choose };
