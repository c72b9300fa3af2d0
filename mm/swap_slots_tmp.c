/*
 * swap_slots_tmp.c — TEMPORARY stand-in for mm/swap_slots.c (branch swapdev only),
 * so the device side builds before the slots land on main. Deleted once they do.
 * It records the area and counts its usable slots; it never swaps anything.
 */
#include "kernel/errno.h"
#include "swap.h"

static struct swap_io area_io;
static uint64_t area_slots;
static bool area_active;

int swap_area_enable(const struct swap_io *io, uint64_t pages, const uint32_t *bad, uint32_t nbad)
{
    (void)bad;
    if (area_active)
        return -EBUSY;
    if (pages < 2)
        return -EINVAL;
    area_io = *io;
    area_slots = pages - 1 - nbad;
    area_active = true;
    return 0;
}

int swap_area_disable(void)
{
    if (!area_active)
        return -EINVAL;
    area_active = false;
    area_slots = 0;
    return 0;
}

bool swap_area_active(void)
{
    return area_active;
}

struct swap_stats swap_stats(void)
{
    return (struct swap_stats){ .slots = area_slots };
}
