/*
 * replace_clock.c — the clock (second-chance) algorithm.
 *
 * The hand goes round the resident set. A page whose accessed bit is set was
 * used since the hand last passed: it gets a second chance (the bit is cleared)
 * and the hand moves on. The first page found unused is the victim. If every
 * page was used, the hand comes round to where it started, finds the bits it
 * cleared, and takes that page: FIFO, when everything is hot.
 *
 * tools/pagesim's clock is the same algorithm step for step, so the faults of a
 * trace replayed here equal the simulator's (tests/boot/replay.sh).
 */
#include "replace.h"

#include <stddef.h>

#include "resident.h"

static struct page *choose(struct resident_set *set)
{
    for (uint64_t looked = 0; looked <= set->count; looked++) {
        struct page *page = resident_at_hand(set);
        if (page == NULL || !replace_test_and_clear_used(page))
            return page;
        resident_advance(set); /* a second chance */
    }
    return resident_at_hand(set); /* not reached: one round clears every bit */
}

const struct replacement_policy replace_clock = { .name = "clock", .choose = choose };
