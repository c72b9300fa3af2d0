/*
 * report.c — pagesim's output forms (report.h).
 */
#include "report.h"

#include <inttypes.h>

/* Faults of every policy of `run` with `frames` frames, into faults[] (same order). */
static int run_policies(const struct trace *trace, const struct report_run *run, uint32_t frames,
                        uint64_t *faults)
{
    struct sim_params params = run->params;
    params.frames = frames;
    for (int i = 0; run->policies[i]; i++) {
        faults[i] = sim_run(run->policies[i], trace, params);
        if (faults[i] == UINT64_MAX)
            return -1;
    }
    return 0;
}

/* faults / opt_faults; a trace with no faults at all has ratio 1. */
static double ratio_to(uint64_t faults, uint64_t opt_faults)
{
    return opt_faults ? (double)faults / (double)opt_faults : 1.0;
}

int report_faults(FILE *out, const struct trace *trace, const struct report_run *run, bool ratio)
{
    uint64_t faults[16], opt_faults = 0;
    for (uint32_t n = 0; n < run->nframes; n++) {
        if (run_policies(trace, run, run->frames[n], faults) != 0)
            return -1;
        if (ratio)
            opt_faults = sim_run(&policy_opt, trace, sim_default_params(run->frames[n]));
        fprintf(out, "frames %" PRIu32, run->frames[n]);
        for (int i = 0; run->policies[i]; i++) {
            if (ratio)
                fprintf(out, "  %s %.2f", run->policies[i]->name, ratio_to(faults[i], opt_faults));
            else
                fprintf(out, "  %s %" PRIu64, run->policies[i]->name, faults[i]);
        }
        fprintf(out, "\n");
    }
    return 0;
}

/* The widest page number of the trace, in decimal digits. */
static int page_width(const struct trace *trace)
{
    int width = 1;
    for (uint32_t id = 0; id < trace->npages; id++) {
        int digits = 1;
        for (uint64_t n = trace->number[id]; n >= 10; n /= 10)
            digits++;
        if (digits > width)
            width = digits;
    }
    return width;
}

/* One frame as "[>]page[*]": the hand before it, its reference bit after it. */
static void print_frame(FILE *out, const struct sim *sim, uint32_t frame, int width)
{
    const struct policy *policy = sim->policy;
    bool hand = policy->hand && policy->hand(sim) == frame;
    uint32_t page = sim->frame_page[frame];
    fputc(hand ? '>' : ' ', out);
    if (page == NO_PAGE)
        fprintf(out, "%*s", width, ".");
    else
        fprintf(out, "%*" PRIu64, width, sim->trace->number[page]);
    fputc(policy->referenced && page != NO_PAGE && policy->referenced(sim, frame) ? '*' : ' ', out);
}

int report_steps(FILE *out, const struct trace *trace, const struct policy *policy,
                 struct sim_params params)
{
    struct sim sim;
    if (sim_start(&sim, policy, trace, params) != 0)
        return -1;
    int width = page_width(trace);
    fprintf(out, "%s, %" PRIu32 " frames (> the hand, * reference bit set)\n", policy->name,
            params.frames);
    while (sim.now < trace->count) {
        uint32_t at = sim.now;
        bool hit = sim_step(&sim);
        fprintf(out, "%5" PRIu32 "  page %*" PRIu64 "  ", at + 1, width,
                trace->number[trace->ref[at]]);
        for (uint32_t f = 0; f < params.frames; f++)
            print_frame(out, &sim, f, width);
        fprintf(out, "  %s\n", hit ? "hit" : "fault");
    }
    fprintf(out, "faults %" PRIu64 "\n", sim.faults);
    sim_finish(&sim);
    return 0;
}

/* The table's heading: OPT's faults, then one column per other policy. */
static void print_table_head(FILE *out, const struct report_run *run)
{
    fprintf(out, "| trace | refs | pages | frames | opt faults |");
    for (int i = 0; run->policies[i]; i++)
        if (run->policies[i] != &policy_opt)
            fprintf(out, " %s |", run->policies[i]->name);
    fprintf(out, "\n| --- | ---: | ---: | ---: | ---: |");
    for (int i = 0; run->policies[i]; i++)
        if (run->policies[i] != &policy_opt)
            fprintf(out, " ---: |");
    fprintf(out, "\n");
}

int report_table(FILE *out, const char *const *names, const struct trace *traces, int ntraces,
                 const struct report_run *run)
{
    uint64_t faults[16];
    print_table_head(out, run);
    for (int t = 0; t < ntraces; t++) {
        for (uint32_t n = 0; n < run->nframes; n++) {
            const struct trace *trace = &traces[t];
            if (run_policies(trace, run, run->frames[n], faults) != 0)
                return -1;
            uint64_t opt_faults = sim_run(&policy_opt, trace, sim_default_params(run->frames[n]));
            fprintf(out, "| %s | %" PRIu32 " | %" PRIu32 " | %" PRIu32 " | %" PRIu64 " |", names[t],
                    trace->count, trace->npages, run->frames[n], opt_faults);
            for (int i = 0; run->policies[i]; i++)
                if (run->policies[i] != &policy_opt)
                    fprintf(out, " %.2f |", ratio_to(faults[i], opt_faults));
            fprintf(out, "\n");
        }
    }
    return 0;
}
