/*
 * sim.c — the machine every policy runs on (sim.h explains the rules).
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"

const struct policy *const all_policies[] = {
    &policy_fifo, &policy_clock, &policy_lru, &policy_aging, &policy_wsclock, &policy_opt, NULL,
};

const struct policy *policy_find(const char *name)
{
    for (int i = 0; all_policies[i]; i++)
        if (strcmp(all_policies[i]->name, name) == 0)
            return all_policies[i];
    return NULL;
}

struct sim_params sim_default_params(uint32_t frames)
{
    struct sim_params params = {
        .frames = frames,
        .aging_interval = DEFAULT_AGING_INTERVAL,
        .tau = DEFAULT_TAU,
    };
    return params;
}

int sim_start(struct sim *sim, const struct policy *policy, const struct trace *trace,
              struct sim_params params)
{
    memset(sim, 0, sizeof *sim);
    sim->trace = trace;
    sim->policy = policy;
    sim->params = params;
    sim->frame_page = malloc(params.frames * sizeof *sim->frame_page);
    sim->page_frame = malloc((trace->npages ? trace->npages : 1) * sizeof *sim->page_frame);
    if (!sim->frame_page || !sim->page_frame || policy->init(sim) != 0) {
        if (sim->frame_page && sim->page_frame)
            policy->fini(sim); /* init may have allocated part of its state */
        free(sim->frame_page);
        free(sim->page_frame);
        return -1;
    }
    memset(sim->frame_page, 0xff, params.frames * sizeof *sim->frame_page);
    memset(sim->page_frame, 0xff, trace->npages * sizeof *sim->page_frame);
    return 0;
}

/* A fault: the frame the page goes to. Empty frames are used first, lowest first;
 * only a full memory asks the policy for a victim, whose page then leaves. */
static uint32_t frame_for_fault(struct sim *sim)
{
    if (sim->used < sim->params.frames)
        return sim->used++;
    uint32_t frame = sim->policy->victim(sim);
    sim->page_frame[sim->frame_page[frame]] = NO_FRAME;
    return frame;
}

bool sim_step(struct sim *sim)
{
    uint32_t page = sim->trace->ref[sim->now];
    uint32_t frame = sim->page_frame[page];
    bool hit = frame != NO_FRAME;
    if (hit) {
        sim->policy->hit(sim, frame);
    } else {
        sim->faults++;
        frame = frame_for_fault(sim);
        sim->frame_page[frame] = page;
        sim->page_frame[page] = frame;
        sim->policy->loaded(sim, frame);
    }
    sim->now++;
    return hit;
}

void sim_finish(struct sim *sim)
{
    sim->policy->fini(sim);
    free(sim->frame_page);
    free(sim->page_frame);
    sim->frame_page = sim->page_frame = NULL;
}

uint64_t sim_run(const struct policy *policy, const struct trace *trace, struct sim_params params)
{
    struct sim sim;
    if (sim_start(&sim, policy, trace, params) != 0)
        return UINT64_MAX;
    while (sim.now < trace->count)
        sim_step(&sim);
    uint64_t faults = sim.faults;
    sim_finish(&sim);
    return faults;
}
