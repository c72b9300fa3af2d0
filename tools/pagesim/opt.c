/*
 * opt.c — Belady's optimal policy (OPT, MIN): the page whose next use lies
 * farthest in the future leaves, or one never used again.
 *
 * No kernel can run it (it reads the future), but on a recorded trace it gives the
 * fewest faults any policy can have, the yardstick the others are measured by
 * (pagesim --ratio). Before the run, one backward pass over the trace finds, for
 * every reference i, the index of the next reference to the same page (next_use[i];
 * NEVER if none). Each frame then remembers when its page is next needed, updated
 * on every reference, and a fault takes the frame with the largest such time:
 * O(frames) per fault. Ties (pages never used again) go to the lowest frame.
 */
#include <stdlib.h>

#include "policy.h"

#define NEVER UINT32_MAX

struct opt {
    uint32_t *next_use;   /* next_use[i]: the next reference to ref[i]'s page */
    uint32_t *frame_next; /* frame_next[f]: when frame f's page is next needed */
};

/* next_use for the whole trace, from the end backwards: last[p] holds the
 * earliest reference to page p after the current position. */
static int opt_compute_next_use(const struct trace *trace, uint32_t *next_use)
{
    uint32_t *last = malloc((trace->npages ? trace->npages : 1) * sizeof *last);
    if (!last)
        return -1;
    for (uint32_t p = 0; p < trace->npages; p++)
        last[p] = NEVER;
    for (uint32_t i = trace->count; i-- > 0;) {
        next_use[i] = last[trace->ref[i]];
        last[trace->ref[i]] = i;
    }
    free(last);
    return 0;
}

static int opt_init(struct sim *sim)
{
    struct opt *opt = calloc(1, sizeof *opt);
    sim->state = opt;
    if (!opt)
        return -1;
    opt->next_use = malloc((sim->trace->count ? sim->trace->count : 1) * sizeof *opt->next_use);
    opt->frame_next = malloc(sim->params.frames * sizeof *opt->frame_next);
    if (!opt->next_use || !opt->frame_next)
        return -1;
    return opt_compute_next_use(sim->trace, opt->next_use);
}

/* Every reference (hit or load) tells when this frame's page is needed next. */
static void opt_hit(struct sim *sim, uint32_t frame)
{
    struct opt *opt = sim->state;
    opt->frame_next[frame] = opt->next_use[sim->now];
}

static uint32_t opt_victim(struct sim *sim)
{
    struct opt *opt = sim->state;
    uint32_t victim = 0;
    for (uint32_t f = 1; f < sim->params.frames; f++)
        if (opt->frame_next[f] > opt->frame_next[victim])
            victim = f;
    return victim;
}

static void opt_fini(struct sim *sim)
{
    struct opt *opt = sim->state;
    if (opt) {
        free(opt->next_use);
        free(opt->frame_next);
    }
    free(opt);
}

const struct policy policy_opt = {
    .name = "opt",
    .init = opt_init,
    .hit = opt_hit,
    .victim = opt_victim,
    .loaded = opt_hit,
    .fini = opt_fini,
};
