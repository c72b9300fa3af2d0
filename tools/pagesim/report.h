/*
 * report.h — what pagesim prints: fault counts, ratios to OPT, the frames after
 * each reference, and the README's table. Every form is one line per result,
 * words and numbers separated by spaces, so scripts (make bench) can parse it.
 */
#ifndef PAGESIM_REPORT_H
#define PAGESIM_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "policy.h"

/* A NULL-terminated list of policies and the frame counts to run them with. */
struct report_run {
    const struct policy *const *policies;
    const uint32_t *frames;
    uint32_t nframes;
    struct sim_params params; /* aging interval and tau; frames is set per run */
};

/* One line per frame count: "frames 4  fifo 10  clock 9 ... opt 6", or with
 * `ratio` each count divided by OPT's, "frames 4  fifo 1.67 ... opt 1.00"
 * (two decimals). 0, or -1 when out of memory. */
int report_faults(FILE *out, const struct trace *trace, const struct report_run *run, bool ratio);

/* The frames after every reference of `trace` under `policy`, one line each
 * ("> " marks the hand, "*" a set reference bit), then the fault count. 0 or -1. */
int report_steps(FILE *out, const struct trace *trace, const struct policy *policy,
                 struct sim_params params);

/* A Markdown table: for each trace and frame count, OPT's faults and every other
 * policy's faults as a multiple of OPT's. names[i] labels traces[i]. 0 or -1. */
int report_table(FILE *out, const char *const *names, const struct trace *traces, int ntraces,
                 const struct report_run *run);

#endif
