/*
 * test_pagesim.c — the page-replacement simulator (tools/pagesim/) on known
 * answers, hand-computed cases, the properties every trace must have, and the
 * files that must agree with it (the committed traces, the binary traces made
 * for the in-kernel replay, tools/pagesim/README.md's example and table).
 *
 * The hand cases are written as the frames after each reference, as
 * `pagesim --trace-steps` prints them: "> " before the hand's frame, "*" after a
 * set reference bit.
 */
#undef snprintf
#undef vsnprintf

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "tools/pagesim/report.h"
#include "tools/pagesim/synth.h"

#define TRACES      "tests/pagesim/traces/"
#define BIN_TRACES  "build/pagesim/traces/"
#define PAGESIM     "build/tools/pagesim/pagesim"
#define PAGESIM_DOC "tools/pagesim/README.md"

/* Every committed trace; the tests that say "every trace" use these. */
static const char *const trace_names[] = {
    "belady", "textbook",    "seq-scan",      "hot-scan",   "random",
    "loop",   "lackey-sort", "lackey-matmul", "lackey-cpp", NULL,
};

static struct trace load(const char *name)
{
    char path[256], why[200];
    struct trace trace;
    snprintf(path, sizeof path, TRACES "%s.txt", name);
    if (!CHECK(trace_load(path, &trace, why, sizeof why) == 0, "%s: %s", path, why))
        abort();
    return trace;
}

static struct trace from_list(const uint64_t *pages, uint32_t count)
{
    struct trace trace;
    if (trace_from_numbers(pages, count, &trace) != 0)
        abort();
    return trace;
}

static uint64_t faults(const struct policy *policy, const struct trace *trace, uint32_t frames)
{
    return sim_run(policy, trace, sim_default_params(frames));
}

/* A whole file, or a memory stream, as one malloc'd string. */
static char *read_whole(FILE *in)
{
    size_t size = 0, capacity = 4096;
    char *text = malloc(capacity);
    for (size_t got; (got = fread(text + size, 1, capacity - size - 1, in)) > 0;) {
        size += got;
        if (capacity - size == 1)
            text = realloc(text, capacity *= 2);
    }
    text[size] = '\0';
    return text;
}

/* What report_steps prints for `pages` under `policy`. */
static char *steps_of(const struct policy *policy, struct sim_params params, const uint64_t *pages,
                      uint32_t count)
{
    struct trace trace = from_list(pages, count);
    char *text;
    size_t size;
    FILE *out = open_memstream(&text, &size);
    CHECK_EQ(report_steps(out, &trace, policy, params), 0);
    fclose(out);
    trace_free(&trace);
    return text;
}

/* ---- known answers ---- */

TEST(pagesim_belady_anomaly_fifo_faults_more_with_more_frames)
{
    struct trace trace = load("belady");
    CHECK_EQ(trace.count, 12);
    CHECK_EQ(faults(&policy_fifo, &trace, 3), 9);
    CHECK_EQ(faults(&policy_fifo, &trace, 4), 10);
    CHECK_EQ(faults(&policy_opt, &trace, 3), 7);
    CHECK_EQ(faults(&policy_opt, &trace, 4), 6);
    CHECK_EQ(faults(&policy_lru, &trace, 3), 10); /* LRU: no anomaly (a stack algorithm) */
    CHECK_EQ(faults(&policy_lru, &trace, 4), 8);
    trace_free(&trace);
}

TEST(pagesim_textbook_string_three_frames)
{
    struct trace trace = load("textbook");
    CHECK_EQ(faults(&policy_fifo, &trace, 3), 15);
    CHECK_EQ(faults(&policy_lru, &trace, 3), 12);
    CHECK_EQ(faults(&policy_opt, &trace, 3), 9);
    CHECK_EQ(faults(&policy_clock, &trace, 3), 14); /* README.md's worked example, by hand */
    trace_free(&trace);
}

/* ---- hand-computed cases ---- */

TEST(pagesim_clock_by_hand_second_chance)
{
    /* 4 finds every bit set: the hand clears all three and comes back to frame 0.
     * 5 finds frame 1's bit set (2 was just used) and takes frame 2. */
    static const uint64_t pages[] = { 1, 2, 3, 1, 4, 2, 5, 1 };
    char *got = steps_of(&policy_clock, sim_default_params(3), pages, 8);
    CHECK_STR(got, "clock, 3 frames (> the hand, * reference bit set)\n"
                   "    1  page 1  >1* .  .   fault\n"
                   "    2  page 2  >1* 2* .   fault\n"
                   "    3  page 3  >1* 2* 3*  fault\n"
                   "    4  page 1  >1* 2* 3*  hit\n"
                   "    5  page 4   4*>2  3   fault\n"
                   "    6  page 2   4*>2* 3   hit\n"
                   "    7  page 5  >4* 2  5*  fault\n"
                   "    8  page 1   4  1*>5*  fault\n"
                   "faults 6\n");
    free(got);
}

TEST(pagesim_clock_with_one_frame_is_fifo)
{
    for (int t = 0; trace_names[t]; t++) {
        struct trace trace = load(trace_names[t]);
        CHECK(faults(&policy_clock, &trace, 1) == faults(&policy_fifo, &trace, 1), "%s",
              trace_names[t]);
        trace_free(&trace);
    }
}

TEST(pagesim_aging_by_hand)
{
    /* Ticks before references 2 and 4 (interval 2). At the third reference (C),
     * A's bit was set after the tick and B's was not: B goes, though both have
     * counter 0x80. At the fourth (B), C's counter is 0x80 and A's 0xc0: C goes. */
    static const uint64_t pages[] = { 1, 2, 1, 3, 2 };
    struct sim_params params = sim_default_params(2);
    params.aging_interval = 2;
    char *got = steps_of(&policy_aging, params, pages, 5);
    CHECK_STR(got, "aging, 2 frames (> the hand, * reference bit set)\n"
                   "    1  page 1   1* .   fault\n"
                   "    2  page 2   1* 2*  fault\n"
                   "    3  page 1   1* 2   hit\n"
                   "    4  page 3   1* 3*  fault\n"
                   "    5  page 2   1  2*  fault\n"
                   "faults 4\n");
    free(got);
}

TEST(pagesim_wsclock_by_hand)
{
    /* tau 1. Reference 3 (page 3): both bits set, nothing old: the hand's frame 0
     * goes. Reference 4 (page 1): frame 1 is unreferenced but only 1 reference
     * old (not > tau), frame 0's bit is set: the oldest unreferenced, frame 1,
     * goes. Reference 6 (page 4): frame 0 (page 3) last seen at 3, now 5: old. */
    static const uint64_t pages[] = { 1, 2, 3, 1, 1, 4 };
    struct sim_params params = sim_default_params(2);
    params.tau = 1;
    char *got = steps_of(&policy_wsclock, params, pages, 6);
    CHECK_STR(got, "wsclock, 2 frames (> the hand, * reference bit set)\n"
                   "    1  page 1  >1* .   fault\n"
                   "    2  page 2  >1* 2*  fault\n"
                   "    3  page 3   3*>2   fault\n"
                   "    4  page 1  >3  1*  fault\n"
                   "    5  page 1  >3  1*  hit\n"
                   "    6  page 4   4*>1*  fault\n"
                   "faults 5\n");
    free(got);
}

/* ---- properties on every trace ---- */

TEST(pagesim_opt_never_faults_more_than_any_policy)
{
    static const uint32_t frames[] = { 1, 2, 3, 4, 8, 16, 32, 64 };
    for (int t = 0; trace_names[t]; t++) {
        struct trace trace = load(trace_names[t]);
        for (size_t n = 0; n < sizeof frames / sizeof frames[0]; n++) {
            uint64_t opt = faults(&policy_opt, &trace, frames[n]);
            for (int p = 0; all_policies[p]; p++) {
                uint64_t other = faults(all_policies[p], &trace, frames[n]);
                CHECK(opt <= other, "%s, %u frames: opt %llu > %s %llu", trace_names[t], frames[n],
                      (unsigned long long)opt, all_policies[p]->name, (unsigned long long)other);
            }
        }
        trace_free(&trace);
    }
}

TEST(pagesim_lru_and_opt_never_fault_more_with_more_frames)
{
    for (int t = 0; trace_names[t]; t++) {
        struct trace trace = load(trace_names[t]);
        uint64_t lru_before = faults(&policy_lru, &trace, 1);
        uint64_t opt_before = faults(&policy_opt, &trace, 1);
        for (uint32_t frames = 2; frames <= 72; frames++) {
            uint64_t lru = faults(&policy_lru, &trace, frames);
            uint64_t opt = faults(&policy_opt, &trace, frames);
            CHECK(lru <= lru_before, "%s: lru %llu with %u frames, %llu with one fewer",
                  trace_names[t], (unsigned long long)lru, frames, (unsigned long long)lru_before);
            CHECK(opt <= opt_before, "%s: opt with %u frames", trace_names[t], frames);
            lru_before = lru, opt_before = opt;
        }
        /* with a frame per page, only the first touch of each page faults */
        for (int p = 0; all_policies[p]; p++)
            CHECK(faults(all_policies[p], &trace, trace.npages) == trace.npages, "%s: %s",
                  trace_names[t], all_policies[p]->name);
        trace_free(&trace);
    }
}

/* The naive definitions: memory as a list of pages, searched every time. */
enum naive { NAIVE_FIFO, NAIVE_LRU, NAIVE_OPT };

static uint64_t naive_faults(enum naive kind, const struct trace *trace, uint32_t frames)
{
    uint32_t page[128], stamp[128], used = 0; /* stamp: load time (FIFO) or last use (LRU) */
    uint64_t faults = 0;
    for (uint32_t i = 0; i < trace->count; i++) {
        uint32_t p = trace->ref[i], f = 0;
        while (f < used && page[f] != p)
            f++;
        if (f < used) {
            if (kind == NAIVE_LRU)
                stamp[f] = i;
            continue;
        }
        faults++;
        if (used < frames) {
            f = used++;
        } else {
            uint32_t best = 0, best_key = 0;
            for (f = 0; f < used; f++) {
                uint32_t key = UINT32_MAX - stamp[f]; /* older: larger */
                if (kind == NAIVE_OPT) {
                    key = i + 1;
                    while (key < trace->count && trace->ref[key] != page[f])
                        key++;
                }
                if (f == 0 || key > best_key)
                    best = f, best_key = key;
            }
            f = best;
        }
        page[f] = p;
        stamp[f] = i;
    }
    return faults;
}

TEST(pagesim_fifo_lru_opt_agree_with_naive_definitions)
{
    static const uint32_t frames[] = { 1, 2, 3, 5, 8, 13, 30, 64 };
    for (int t = 0; trace_names[t]; t++) {
        struct trace whole = load(trace_names[t]);
        uint64_t prefix[3000];
        uint32_t count = whole.count < 3000 ? whole.count : 3000;
        for (uint32_t i = 0; i < count; i++)
            prefix[i] = whole.number[whole.ref[i]];
        struct trace trace = from_list(prefix, count);
        for (size_t n = 0; n < sizeof frames / sizeof frames[0]; n++) {
            CHECK(faults(&policy_fifo, &trace, frames[n]) ==
                      naive_faults(NAIVE_FIFO, &trace, frames[n]),
                  "%s fifo %u", trace_names[t], frames[n]);
            CHECK(faults(&policy_lru, &trace, frames[n]) ==
                      naive_faults(NAIVE_LRU, &trace, frames[n]),
                  "%s lru %u", trace_names[t], frames[n]);
            CHECK(faults(&policy_opt, &trace, frames[n]) ==
                      naive_faults(NAIVE_OPT, &trace, frames[n]),
                  "%s opt %u", trace_names[t], frames[n]);
        }
        trace_free(&trace);
        trace_free(&whole);
    }
}

/* ---- the trace files ---- */

TEST(pagesim_text_form_hex_decimal_comments)
{
    char path[] = "/tmp/pagesim-test-XXXXXX", why[200];
    int fd = mkstemp(path);
    FILE *file = fdopen(fd, "w");
    fprintf(file, "# a comment\n\n10\n0x10  # hex\n  0XA\n16\n");
    fclose(file);
    struct trace trace;
    CHECK_EQ(trace_load(path, &trace, why, sizeof why), 0);
    CHECK_EQ(trace.count, 4);
    CHECK_EQ(trace.npages, 2); /* 10 and 0xA are one page, 0x10 and 16 another */
    CHECK_EQ(trace.ref[0], trace.ref[2]);
    CHECK_EQ(trace.ref[1], trace.ref[3]);
    CHECK_EQ(trace.number[trace.ref[1]], 16);
    trace_free(&trace);

    file = fopen(path, "w");
    fprintf(file, "1\n2\n-3\n");
    fclose(file);
    CHECK_EQ(trace_load(path, &trace, why, sizeof why), -1);
    CHECK_STR(why, "line 3: not a page number: -3");
    remove(path);
}

TEST(pagesim_synthetic_traces_are_the_generators)
{
    for (int i = 0; synth_names[i]; i++) {
        char path[256], *made;
        size_t size;
        FILE *out = open_memstream(&made, &size);
        CHECK_EQ(synth_write(synth_names[i], out), 0);
        fclose(out);
        snprintf(path, sizeof path, TRACES "%s.txt", synth_names[i]);
        FILE *in = fopen(path, "r");
        if (!CHECK(in != NULL, "%s is missing", path))
            continue;
        char *committed = read_whole(in);
        fclose(in);
        CHECK(strcmp(made, committed) == 0, "%s differs from `gen %s`", path, synth_names[i]);
        free(made);
        free(committed);
    }
}

TEST(pagesim_binary_traces_hold_the_text_traces)
{
    for (int t = 0; trace_names[t]; t++) {
        char path[256], why[200];
        struct trace text = load(trace_names[t]), binary;
        snprintf(path, sizeof path, BIN_TRACES "%s.bin", trace_names[t]);
        if (!CHECK(trace_load(path, &binary, why, sizeof why) == 0, "%s", why))
            continue;
        CHECK_EQ(binary.count, text.count);
        for (uint32_t i = 0; i < text.count && i < binary.count; i++)
            if (!CHECK(binary.number[binary.ref[i]] == text.number[text.ref[i]], "%s ref %u", path,
                       i))
                break;
        trace_free(&binary);
        trace_free(&text);
    }
}

TEST(pagesim_binary_form_header_and_errors)
{
    static const uint64_t pages[] = { 5, 7, 5 };
    static const unsigned char expected[] = { 'P', 'G', 'T', 'R', 1, 0, 0, 0, 3, 0, 0, 0, 8, 0,
                                              0,   0,   5,   0,   0, 0, 7, 0, 0, 0, 5, 0, 0, 0 };
    struct trace trace = from_list(pages, 3);
    char path[] = "/tmp/pagesim-test-XXXXXX", why[200];
    FILE *file = fdopen(mkstemp(path), "w+b");
    CHECK_EQ(trace_write_binary(&trace, file), 0);
    rewind(file);
    unsigned char bytes[64];
    CHECK_EQ(fread(bytes, 1, sizeof bytes, file), sizeof expected);
    CHECK(memcmp(bytes, expected, sizeof expected) == 0, "the bytes of the binary form");
    fclose(file);
    trace_free(&trace);

    bytes[12] = 7; /* page limit 7: page 7 is out of range */
    file = fopen(path, "wb");
    fwrite(bytes, 1, sizeof expected, file);
    fclose(file);
    CHECK_EQ(trace_load(path, &trace, why, sizeof why), -1);
    CHECK_STR(why, "binary trace: reference 1 is page 7, limit 7");

    bytes[12] = 8; /* cut short: 2 of 3 references */
    file = fopen(path, "wb");
    fwrite(bytes, 1, sizeof expected - 4, file);
    fclose(file);
    CHECK_EQ(trace_load(path, &trace, why, sizeof why), -1);
    CHECK_STR(why, "binary trace: 2 of 3 references");
    remove(path);
}

/* ---- the command line and the README ---- */

/* The standard output of a shell command. */
static char *output_of(const char *command)
{
    FILE *pipe = popen(command, "r");
    char *text = read_whole(pipe);
    CHECK_EQ(pclose(pipe), 0);
    return text;
}

TEST(pagesim_command_line_output)
{
    char *got = output_of(PAGESIM " --frames-list 3,4 " TRACES "belady.txt");
    CHECK_STR(got, "frames 3  fifo 9  clock 9  lru 10  aging 10  wsclock 9  opt 7\n"
                   "frames 4  fifo 10  clock 10  lru 8  aging 10  wsclock 10  opt 6\n");
    free(got);
    got = output_of(PAGESIM " --frames 3 --policy fifo,lru,opt --ratio " TRACES "textbook.txt");
    CHECK_STR(got, "frames 3  fifo 1.67  lru 1.33  opt 1.00\n");
    free(got);
    got = output_of(PAGESIM " --frames 4 --policy opt " BIN_TRACES "belady.bin");
    CHECK_STR(got, "frames 4  opt 6\n");
    free(got);
}

/* The README's block after the line "<!-- pagesim ARGS -->": the lines up to the
 * next blank line, or the inside of a ``` fence. NULL if there is no such line. */
static char *readme_block(const char *readme, const char *args)
{
    char marker[512];
    snprintf(marker, sizeof marker, "<!-- pagesim %s -->\n", args);
    const char *start = strstr(readme, marker);
    if (!start)
        return NULL;
    start += strlen(marker);
    bool fenced = strncmp(start, "```\n", 4) == 0;
    if (fenced)
        start += 4;
    const char *end = strstr(start, fenced ? "```\n" : "\n\n");
    if (!end)
        end = start + strlen(start);
    else if (!fenced)
        end++;
    return strndup(start, (size_t)(end - start));
}

/* Each README block made by pagesim: the command named in its marker, run now. */
TEST(pagesim_readme_example_and_table_are_current)
{
    static const char *const blocks[] = {
        "--trace-steps --frames 3 --policy fifo,clock " TRACES "textbook.txt",
        "--markdown --frames-list 8,32 " TRACES "seq-scan.txt " TRACES "hot-scan.txt " TRACES
        "random.txt " TRACES "loop.txt " TRACES "lackey-sort.txt " TRACES
        "lackey-matmul.txt " TRACES "lackey-cpp.txt",
    };
    FILE *in = fopen(PAGESIM_DOC, "r");
    if (!CHECK(in != NULL, "no " PAGESIM_DOC))
        return;
    char *readme = read_whole(in);
    fclose(in);
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        char command[1024];
        char *block = readme_block(readme, blocks[i]);
        if (!CHECK(block != NULL, "no <!-- pagesim %s --> in " PAGESIM_DOC, blocks[i]))
            continue;
        snprintf(command, sizeof command, PAGESIM " %s", blocks[i]);
        char *now = output_of(command);
        CHECK(strcmp(block, now) == 0,
              PAGESIM_DOC " is out of date: replace the block under <!-- pagesim %s --> with "
                          "the output of %s",
              blocks[i], command);
        free(now);
        free(block);
    }
    free(readme);
}
