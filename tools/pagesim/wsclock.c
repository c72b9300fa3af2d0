/*
 * wsclock.c — WSClock: Clock's circle of frames, with the working-set idea that
 * a page not used for more than tau references has left the working set.
 *
 * Virtual time is the reference count (reference t happens at time t); tau is
 * --tau T (default DEFAULT_TAU in sim.h). Each frame keeps a reference bit (set
 * by every access, the faulting one too) and the time of last use as the hand
 * last saw it: the load time at first, then the time of any sweep that found the
 * bit set. On a fault with memory full the hand sweeps at most once round:
 *
 *     ref set:                    clear it, last_use = now, move on (in use)
 *     now - last_use > tau:       the victim (old: outside the working set)
 *     otherwise:                  move on (in the working set), remembering
 *                                 the unreferenced frame with the oldest last_use
 *
 * If a whole round finds no old page, the oldest remembered one goes; if every
 * bit was set (nothing remembered), the frame where the sweep began goes, as in
 * Clock. The hand then moves past the victim. Pages are taken as clean: the
 * simulator does not model writes, so the dirty-page rule of WSClock (schedule
 * the write, move on) does not apply.
 */
#include <stdlib.h>

#include "policy.h"

struct wsclock_frame {
    uint8_t ref;
    uint32_t last_use;
};

struct wsclock {
    uint32_t hand;
    struct wsclock_frame frame[];
};

static int wsclock_init(struct sim *sim)
{
    sim->state =
        calloc(1, sizeof(struct wsclock) + sim->params.frames * sizeof(struct wsclock_frame));
    return sim->state ? 0 : -1;
}

static void wsclock_hit(struct sim *sim, uint32_t frame)
{
    struct wsclock *ws = sim->state;
    ws->frame[frame].ref = 1;
}

/* One round of the hand (see the top of the file); returns the frame to empty. */
static uint32_t wsclock_sweep(struct sim *sim)
{
    struct wsclock *ws = sim->state;
    uint32_t frames = sim->params.frames, start = ws->hand, oldest = NO_FRAME;
    for (uint32_t step = 0; step < frames; step++) {
        uint32_t f = (start + step) % frames;
        struct wsclock_frame *frame = &ws->frame[f];
        if (frame->ref) {
            frame->ref = 0;
            frame->last_use = sim->now;
        } else if (sim->now - frame->last_use > sim->params.tau) {
            return f;
        } else if (oldest == NO_FRAME || frame->last_use < ws->frame[oldest].last_use) {
            oldest = f;
        }
    }
    return oldest != NO_FRAME ? oldest : start;
}

static uint32_t wsclock_victim(struct sim *sim)
{
    struct wsclock *ws = sim->state;
    uint32_t victim = wsclock_sweep(sim);
    ws->hand = (victim + 1) % sim->params.frames;
    return victim;
}

static void wsclock_loaded(struct sim *sim, uint32_t frame)
{
    struct wsclock *ws = sim->state;
    ws->frame[frame].ref = 1;
    ws->frame[frame].last_use = sim->now;
}

static void wsclock_fini(struct sim *sim)
{
    free(sim->state);
}

static bool wsclock_referenced(const struct sim *sim, uint32_t frame)
{
    return ((const struct wsclock *)sim->state)->frame[frame].ref;
}

static uint32_t wsclock_hand(const struct sim *sim)
{
    return ((const struct wsclock *)sim->state)->hand;
}

const struct policy policy_wsclock = {
    .name = "wsclock",
    .init = wsclock_init,
    .hit = wsclock_hit,
    .victim = wsclock_victim,
    .loaded = wsclock_loaded,
    .fini = wsclock_fini,
    .referenced = wsclock_referenced,
    .hand = wsclock_hand,
};
