/*
 * replace_fifo.c — first in, first out: the page loaded longest ago goes.
 *
 * New pages enter the resident set just behind the hand, so the hand always
 * points at the oldest. FIFO ignores use entirely, which is why it can do worse
 * with more frames (Belady's anomaly: tools/pagesim shows it).
 */
#include "replace.h"

#include <stddef.h>

#include "resident.h"

static struct page *choose(struct resident_set *set)
{
    return resident_at_hand(set);
}

const struct replacement_policy replace_fifo = { .name = "fifo", .choose = choose };
