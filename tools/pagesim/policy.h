/*
 * policy.h — the interface every replacement policy implements, one file each.
 *
 * sim.c (the machine) calls these hooks; a policy decides only which frame to
 * empty when memory is full, and keeps whatever bookkeeping that needs (reference
 * bits, a hand, a recency list, counters, next uses) in sim->state.
 */
#ifndef PAGESIM_POLICY_H
#define PAGESIM_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

#define NO_HAND UINT32_MAX

struct policy {
    const char *name; /* as on the command line: "fifo", "clock", ... */
    /* Allocate sim->state for sim->params.frames frames. 0, or -1 (out of memory). */
    int (*init)(struct sim *sim);
    /* The reference sim->now hit the page in `frame`. */
    void (*hit)(struct sim *sim, uint32_t frame);
    /* Memory is full and reference sim->now faulted: the frame whose page must go. */
    uint32_t (*victim)(struct sim *sim);
    /* The page of reference sim->now was just placed in `frame`. */
    void (*loaded)(struct sim *sim, uint32_t frame);
    /* Free sim->state. */
    void (*fini)(struct sim *sim);
    /* For --trace-steps (optional): whether a frame's reference bit is set... */
    bool (*referenced)(const struct sim *sim, uint32_t frame);
    /* ...and where the hand points (NO_HAND when the policy has none). */
    uint32_t (*hand)(const struct sim *sim);
};

extern const struct policy policy_fifo, policy_clock, policy_lru, policy_aging, policy_wsclock,
    policy_opt;

/* Every policy, in the order the output lists them; NULL-terminated. */
extern const struct policy *const all_policies[];

/* The policy called `name`, or NULL. */
const struct policy *policy_find(const char *name);

#endif
