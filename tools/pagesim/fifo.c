/*
 * fifo.c — First In, First Out: the page loaded longest ago leaves.
 *
 * Frames fill in order 0, 1, ..., N-1 and a victim's frame takes the new page, so
 * the load order is simply the frame order, circularly: a hand at the oldest frame
 * is all FIFO needs. It never looks at references, which is why adding frames can
 * make it fault more (Belady's anomaly: 1 2 3 4 1 2 5 1 2 3 4 5 faults 9 times
 * with 3 frames, 10 times with 4).
 */
#include <stdlib.h>

#include "policy.h"

struct fifo {
    uint32_t hand; /* the frame loaded longest ago */
};

static int fifo_init(struct sim *sim)
{
    sim->state = calloc(1, sizeof(struct fifo));
    return sim->state ? 0 : -1;
}

static void fifo_hit(struct sim *sim, uint32_t frame)
{
    (void)sim, (void)frame; /* FIFO ignores references */
}

/* The oldest frame goes; the one after it is now the oldest. */
static uint32_t fifo_victim(struct sim *sim)
{
    struct fifo *fifo = sim->state;
    uint32_t victim = fifo->hand;
    fifo->hand = (fifo->hand + 1) % sim->params.frames;
    return victim;
}

static void fifo_loaded(struct sim *sim, uint32_t frame)
{
    (void)sim, (void)frame;
}

static void fifo_fini(struct sim *sim)
{
    free(sim->state);
}

static uint32_t fifo_hand(const struct sim *sim)
{
    return ((const struct fifo *)sim->state)->hand;
}

const struct policy policy_fifo = {
    .name = "fifo",
    .init = fifo_init,
    .hit = fifo_hit,
    .victim = fifo_victim,
    .loaded = fifo_loaded,
    .fini = fifo_fini,
    .hand = fifo_hand,
};
