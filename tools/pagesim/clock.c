/*
 * clock.c — the Clock (second-chance) policy, exactly as vmlab's kernel runs it.
 *
 * The kernel implements the same rules, and an in-kernel replay of a trace must
 * fault on exactly the same references as this file, so every detail is fixed:
 *
 *   - N frames stand in a circle; the hand starts at frame 0.
 *   - Filling: while a frame is empty, a faulting page goes to the lowest empty
 *     frame (0, 1, 2, ...) with its reference bit set. The hand does not move.
 *   - A hit sets the page's reference bit (the hardware's Accessed bit). Nothing
 *     else happens: the hand does not move.
 *   - A fault with every frame full:
 *         while ref[hand] is set: clear it, hand = (hand + 1) % N
 *         the victim is frame[hand]; the new page takes that frame with ref = 1;
 *         hand = (hand + 1) % N
 *   - Every fault counts, the first touch of a page (compulsory) included.
 *
 * So a page survives one pass of the hand per reference: the hand clears its
 * bit (a second chance) and takes it only if no reference set the bit again
 * before the hand came round. With one frame, or when every page's bit is set,
 * Clock is FIFO.
 */
#include <stdlib.h>

#include "policy.h"

struct clock {
    uint32_t hand;
    unsigned char ref[]; /* ref[f]: frame f's reference bit */
};

static int clock_init(struct sim *sim)
{
    sim->state = calloc(1, sizeof(struct clock) + sim->params.frames);
    return sim->state ? 0 : -1;
}

/* A hit: only the reference bit changes. */
static void clock_hit(struct sim *sim, uint32_t frame)
{
    struct clock *clock = sim->state;
    clock->ref[frame] = 1;
}

/* The sweep: clear set bits until a clear one is under the hand; that frame goes,
 * and the hand moves past it. */
static uint32_t clock_victim(struct sim *sim)
{
    struct clock *clock = sim->state;
    uint32_t frames = sim->params.frames;
    while (clock->ref[clock->hand]) {
        clock->ref[clock->hand] = 0; /* second chance */
        clock->hand = (clock->hand + 1) % frames;
    }
    uint32_t victim = clock->hand;
    clock->hand = (clock->hand + 1) % frames;
    return victim;
}

/* The faulting access itself sets the bit of the page it loads. */
static void clock_loaded(struct sim *sim, uint32_t frame)
{
    struct clock *clock = sim->state;
    clock->ref[frame] = 1;
}

static void clock_fini(struct sim *sim)
{
    free(sim->state);
}

static bool clock_referenced(const struct sim *sim, uint32_t frame)
{
    return ((const struct clock *)sim->state)->ref[frame];
}

static uint32_t clock_hand(const struct sim *sim)
{
    return ((const struct clock *)sim->state)->hand;
}

const struct policy policy_clock = {
    .name = "clock",
    .init = clock_init,
    .hit = clock_hit,
    .victim = clock_victim,
    .loaded = clock_loaded,
    .fini = clock_fini,
    .referenced = clock_referenced,
    .hand = clock_hand,
};
