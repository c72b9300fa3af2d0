/*
 * aging.c — Not Frequently Used with aging: an 8-bit history per page, built from
 * the reference bit, and the page with the smallest history leaves.
 *
 * Each frame has a reference bit, set by every access (the faulting one too), as
 * the hardware sets a page's Accessed bit, and an 8-bit counter. Every
 * aging_interval references (a "clock tick"; default DEFAULT_AGING_INTERVAL in
 * sim.h, --aging-interval K) every counter shifts right by one and the reference
 * bit enters at the top (bit 7), then the bit is cleared:
 *
 *     counter = (counter >> 1) | (ref << 7);   ref = 0;
 *
 * so a counter reads as "referenced in the last tick, the one before, ...", most
 * recent first, and compares like a number. The tick happens before reference
 * number t is handled whenever t is a positive multiple of the interval.
 *
 * The victim has the smallest (ref, counter) pair, the reference bit counting
 * above the counter's 8 bits: a page referenced since the last tick is younger
 * than any page that was not, even if its counter is still 0 (a page just loaded).
 * Ties go to the page loaded longest ago. Eight bits of history is all it keeps:
 * two pages unreferenced for 8 ticks look the same, unlike exact LRU.
 */
#include <stdlib.h>

#include "policy.h"

#define AGING_BITS 8

struct aging_frame {
    uint8_t counter;
    uint8_t ref;
    uint32_t loaded_at; /* the reference that brought the page in: breaks ties */
};

struct aging {
    uint32_t last_tick; /* the reference before which the counters last shifted */
    struct aging_frame frame[];
};

static int aging_init(struct sim *sim)
{
    sim->state = calloc(1, sizeof(struct aging) + sim->params.frames * sizeof(struct aging_frame));
    return sim->state ? 0 : -1;
}

/* The clock tick: if one is due before reference sim->now (and has not happened
 * yet), shift every counter and move the reference bits into them. */
static void aging_tick_if_due(struct sim *sim)
{
    struct aging *aging = sim->state;
    uint32_t interval = sim->params.aging_interval ? sim->params.aging_interval : 1;
    if (sim->now == 0 || sim->now % interval != 0 || aging->last_tick == sim->now)
        return;
    aging->last_tick = sim->now;
    for (uint32_t f = 0; f < sim->used; f++) {
        struct aging_frame *frame = &aging->frame[f];
        frame->counter = (uint8_t)((frame->counter >> 1) | (frame->ref << (AGING_BITS - 1)));
        frame->ref = 0;
    }
}

static void aging_hit(struct sim *sim, uint32_t frame)
{
    struct aging *aging = sim->state;
    aging_tick_if_due(sim);
    aging->frame[frame].ref = 1;
}

/* The age of a frame as one number: the reference bit above the counter. */
static uint32_t aging_key(const struct aging_frame *frame)
{
    return (uint32_t)frame->ref << AGING_BITS | frame->counter;
}

/* The frame with the smallest key; of equal keys, the one loaded first. */
static uint32_t aging_victim(struct sim *sim)
{
    struct aging *aging = sim->state;
    aging_tick_if_due(sim);
    uint32_t victim = 0;
    for (uint32_t f = 1; f < sim->params.frames; f++) {
        const struct aging_frame *frame = &aging->frame[f], *best = &aging->frame[victim];
        if (aging_key(frame) < aging_key(best) ||
            (aging_key(frame) == aging_key(best) && frame->loaded_at < best->loaded_at))
            victim = f;
    }
    return victim;
}

/* A new page starts with no history and its reference bit set. */
static void aging_loaded(struct sim *sim, uint32_t frame)
{
    struct aging *aging = sim->state;
    aging_tick_if_due(sim);
    aging->frame[frame].counter = 0;
    aging->frame[frame].ref = 1;
    aging->frame[frame].loaded_at = sim->now;
}

static void aging_fini(struct sim *sim)
{
    free(sim->state);
}

static bool aging_referenced(const struct sim *sim, uint32_t frame)
{
    return ((const struct aging *)sim->state)->frame[frame].ref;
}

const struct policy policy_aging = {
    .name = "aging",
    .init = aging_init,
    .hit = aging_hit,
    .victim = aging_victim,
    .loaded = aging_loaded,
    .fini = aging_fini,
    .referenced = aging_referenced,
};
