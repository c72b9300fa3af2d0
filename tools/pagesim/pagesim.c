/*
 * pagesim.c — pagesim: page-replacement policies on a page-reference trace.
 *
 *   pagesim --frames N | --frames-list 3,4,5  [--policy fifo,clock,...]
 *           [--aging-interval K] [--tau T] [--ratio] TRACE
 *       one line per frame count: "frames 4  fifo 10  clock 9 ... opt 6";
 *       --ratio prints each count divided by OPT's instead
 *   pagesim --trace-steps --frames N [--policy fifo,clock] TRACE
 *       the frames after every reference, per policy (README.md's worked example)
 *   pagesim --markdown --frames-list 8,32 TRACE...
 *       README.md's table: OPT's faults and every policy's ratio to them
 *
 * README.md explains the policies and the trace forms.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAX_FRAME_COUNTS 64
#define MAX_POLICIES     16
#define MAX_TRACES       32

enum mode { MODE_FAULTS, MODE_RATIO, MODE_STEPS, MODE_MARKDOWN };

struct options {
    enum mode mode;
    uint32_t frames[MAX_FRAME_COUNTS];
    uint32_t nframes;
    const struct policy *policies[MAX_POLICIES + 1];
    struct sim_params params;
    char **traces;
    int ntraces;
};

static void usage(void)
{
    fprintf(stderr,
            "usage: pagesim (--frames N | --frames-list N,N,...) [--policy P,P,...]\n"
            "               [--aging-interval K] [--tau T] [--ratio | --trace-steps | --markdown]\n"
            "               TRACE...\n"
            "policies: fifo clock lru aging wsclock opt (default: all)\n");
    exit(2);
}

/* A positive decimal number that fits in 32 bits, or exit with usage. */
static uint32_t parse_count(const char *text, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || end == text || *end || value == 0 || value > UINT32_MAX || text[0] == '-') {
        fprintf(stderr, "pagesim: %s: not a positive number: %s\n", what, text);
        exit(2);
    }
    return (uint32_t)value;
}

/* "3,4,5" into options->frames. */
static void parse_frame_list(char *list, struct options *options)
{
    options->nframes = 0;
    for (char *item = strtok(list, ","); item; item = strtok(NULL, ",")) {
        if (options->nframes == MAX_FRAME_COUNTS) {
            fprintf(stderr, "pagesim: at most %d frame counts\n", MAX_FRAME_COUNTS);
            exit(2);
        }
        options->frames[options->nframes++] = parse_count(item, "--frames-list");
    }
}

/* "fifo,opt" into options->policies (NULL-terminated). */
static void parse_policy_list(char *list, struct options *options)
{
    int n = 0;
    for (char *item = strtok(list, ","); item; item = strtok(NULL, ",")) {
        const struct policy *policy = policy_find(item);
        if (!policy || n == MAX_POLICIES) {
            fprintf(stderr, "pagesim: no policy called %s\n", item);
            exit(2);
        }
        options->policies[n++] = policy;
    }
    options->policies[n] = NULL;
}

/* The value after option argv[*i], or exit with usage. */
static char *option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        usage();
    return argv[++*i];
}

static void parse_options(int argc, char **argv, struct options *options)
{
    int n = 0;
    for (; all_policies[n]; n++)
        options->policies[n] = all_policies[n];
    options->policies[n] = NULL;
    options->params = sim_default_params(0);
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *option = argv[i];
        if (strcmp(option, "--frames") == 0 || strcmp(option, "--frames-list") == 0)
            parse_frame_list(option_value(argc, argv, &i), options);
        else if (strcmp(option, "--policy") == 0)
            parse_policy_list(option_value(argc, argv, &i), options);
        else if (strcmp(option, "--aging-interval") == 0)
            options->params.aging_interval = parse_count(option_value(argc, argv, &i), option);
        else if (strcmp(option, "--tau") == 0)
            options->params.tau = parse_count(option_value(argc, argv, &i), option);
        else if (strcmp(option, "--ratio") == 0)
            options->mode = MODE_RATIO;
        else if (strcmp(option, "--trace-steps") == 0)
            options->mode = MODE_STEPS;
        else if (strcmp(option, "--markdown") == 0)
            options->mode = MODE_MARKDOWN;
        else
            usage();
    }
    options->traces = argv + i;
    options->ntraces = argc - i;
    if (options->nframes == 0 || options->ntraces < 1 || options->ntraces > MAX_TRACES ||
        (options->mode != MODE_MARKDOWN && options->ntraces != 1))
        usage();
}

/* The printed name of a trace file: its last path component, extension dropped. */
static char *trace_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *name = strdup(slash ? slash + 1 : path);
    char *dot = name ? strrchr(name, '.') : NULL;
    if (dot)
        *dot = '\0';
    return name;
}

/* Run the chosen mode over the loaded traces. 0, or -1 (out of memory). */
static int run_mode(const struct options *options, struct trace *traces)
{
    struct report_run run = {
        .policies = options->policies,
        .frames = options->frames,
        .nframes = options->nframes,
        .params = options->params,
    };
    if (options->mode == MODE_FAULTS || options->mode == MODE_RATIO)
        return report_faults(stdout, &traces[0], &run, options->mode == MODE_RATIO);
    if (options->mode == MODE_STEPS) {
        for (int i = 0; options->policies[i]; i++) {
            struct sim_params params = options->params;
            params.frames = options->frames[0];
            if ((i > 0 && printf("\n") < 0) ||
                report_steps(stdout, &traces[0], options->policies[i], params) != 0)
                return -1;
        }
        return 0;
    }
    char *names[MAX_TRACES];
    int status = 0;
    for (int t = 0; t < options->ntraces; t++)
        status |= (names[t] = trace_name(options->traces[t])) ? 0 : -1;
    if (status == 0)
        status = report_table(stdout, (const char *const *)names, traces, options->ntraces, &run);
    for (int t = 0; t < options->ntraces; t++)
        free(names[t]);
    return status;
}

int main(int argc, char **argv)
{
    struct options options = { 0 };
    struct trace traces[MAX_TRACES];
    char why[200];
    parse_options(argc, argv, &options);
    for (int t = 0; t < options.ntraces; t++) {
        if (trace_load(options.traces[t], &traces[t], why, sizeof why) != 0) {
            fprintf(stderr, "pagesim: %s: %s\n", options.traces[t], why);
            return 1;
        }
    }
    int status = run_mode(&options, traces);
    for (int t = 0; t < options.ntraces; t++)
        trace_free(&traces[t]);
    if (status != 0)
        fprintf(stderr, "pagesim: out of memory\n");
    return status == 0 ? 0 : 1;
}
