/*
 * sim.h — one policy managing N frames over one trace: the memory the policies
 * share, and the loop that feeds them references.
 *
 * Every policy sees the same machine. A reference to a resident page is a hit
 * (the policy's `hit` hook runs: set a reference bit, move to the front of a
 * list...). Any other reference is a fault, counted; the page goes to the lowest
 * empty frame while there is one (frames fill 0, 1, 2, ... in order), and once
 * memory is full the policy's `victim` hook names the frame to empty. Either way
 * the policy's `loaded` hook then runs for the frame that now holds the page.
 */
#ifndef PAGESIM_SIM_H
#define PAGESIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

#define NO_PAGE  UINT32_MAX /* frame_page[f] of an empty frame */
#define NO_FRAME UINT32_MAX /* page_frame[p] of a page not in memory */

#define DEFAULT_AGING_INTERVAL 8u  /* aging: references between two counter shifts */
#define DEFAULT_TAU            64u /* WSClock: working-set window, in references */

struct sim_params {
    uint32_t frames;         /* physical frames the process may use, >= 1 */
    uint32_t aging_interval; /* aging: shift the counters every this many references */
    uint32_t tau;            /* WSClock: a page unused for more than tau references is old */
};

struct policy;

struct sim {
    const struct trace *trace;
    const struct policy *policy;
    struct sim_params params;
    uint32_t now;         /* the index of the reference being handled (virtual time) */
    uint32_t *frame_page; /* frame_page[f]: the page id in frame f, or NO_PAGE */
    uint32_t *page_frame; /* page_frame[p]: the frame holding page id p, or NO_FRAME */
    uint32_t used;        /* frames filled so far (0 .. used-1 hold pages) */
    uint64_t faults;
    void *state; /* the policy's own bookkeeping */
};

/* The parameters with every default filled in, for `frames` frames. */
struct sim_params sim_default_params(uint32_t frames);

/* Prepare `sim` to run `policy` over `trace`. 0, or -1 when out of memory. */
int sim_start(struct sim *sim, const struct policy *policy, const struct trace *trace,
              struct sim_params params);

/* Handle reference number sim->now and advance to the next one. True on a hit. */
bool sim_step(struct sim *sim);

/* Release what sim_start allocated. */
void sim_finish(struct sim *sim);

/* Every reference of the trace: the number of faults, or UINT64_MAX when out of memory. */
uint64_t sim_run(const struct policy *policy, const struct trace *trace, struct sim_params params);

#endif
