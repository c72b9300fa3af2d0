/*
 * synth.c — recipes for the synthetic traces (synth.h). Each shows one behaviour
 * a lecture on replacement talks about; README.md's table has their results.
 */
#include "synth.h"

#include <stdint.h>
#include <string.h>

/* A fixed-seed xorshift64 generator: the same "random" pages on every run. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static void put(FILE *out, uint32_t page)
{
    fprintf(out, "%u\n", page);
}

/* Belady's anomaly: FIFO faults 9 times with 3 frames, 10 times with 4. */
static void make_belady(FILE *out)
{
    static const uint32_t pages[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
    fprintf(out, "# Belady's anomaly: FIFO 9 faults with 3 frames, 10 with 4 (OPT 7 and 6)\n");
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        put(out, pages[i]);
}

/* The textbook string (Silberschatz et al., Operating System Concepts). */
static void make_textbook(FILE *out)
{
    static const uint32_t pages[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1 };
    fprintf(out, "# the textbook reference string: with 3 frames FIFO 15, LRU 12, OPT 9 faults\n");
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        put(out, pages[i]);
}

/* A scan larger than memory: LRU, FIFO and Clock fault on every reference. */
static void make_seq_scan(FILE *out)
{
    fprintf(out, "# sequential scan: pages 0..99 read in order, 20 times (2000 refs)\n");
    for (int pass = 0; pass < 20; pass++)
        for (uint32_t page = 0; page < 100; page++)
            put(out, page);
}

/* A hot set of 8 pages used all the time, and a scan over 400 cold pages that
 * pushes the hot pages out of FIFO (recency-blind) but not of LRU-like policies. */
static void make_hot_scan(FILE *out)
{
    uint64_t seed = 15;
    fprintf(out, "# hot set plus scan: 3 references to hot pages 0..7 (random, seed 15), then the\n"
                 "# next page of a scan over pages 100..499; 8000 refs\n");
    for (uint32_t i = 0; i < 2000; i++) {
        for (int j = 0; j < 3; j++)
            put(out, (uint32_t)(next_random(&seed) % 8));
        put(out, 100 + i % 400);
    }
}

/* Uniform random references: no locality, every policy near the same. */
static void make_random(FILE *out)
{
    uint64_t seed = 1;
    fprintf(out, "# uniform random: 5000 references to pages 0..63 (xorshift64, seed 1)\n");
    for (int i = 0; i < 5000; i++)
        put(out, (uint32_t)(next_random(&seed) % 64));
}

/* Loops: four phases, each running round a loop of 20 pages 30 times; the
 * working set moves from one phase to the next. */
static void make_loop(FILE *out)
{
    fprintf(out, "# loops: 4 phases, each going round pages 20k..20k+19 30 times (2400 refs)\n");
    for (uint32_t phase = 0; phase < 4; phase++)
        for (int round = 0; round < 30; round++)
            for (uint32_t page = 0; page < 20; page++)
                put(out, phase * 20 + page);
}

static const struct {
    const char *name;
    void (*make)(FILE *out);
} recipes[] = {
    { "belady", make_belady },     { "textbook", make_textbook }, { "seq-scan", make_seq_scan },
    { "hot-scan", make_hot_scan }, { "random", make_random },     { "loop", make_loop },
};

const char *const synth_names[] = {
    "belady", "textbook", "seq-scan", "hot-scan", "random", "loop", NULL,
};

int synth_write(const char *name, FILE *out)
{
    for (size_t i = 0; i < sizeof recipes / sizeof recipes[0]; i++) {
        if (strcmp(recipes[i].name, name) == 0) {
            fprintf(out, "# made by tools/pagesim/gen %s\n", name);
            recipes[i].make(out);
            return fflush(out) == 0 && !ferror(out) ? 0 : -1;
        }
    }
    return -1;
}
