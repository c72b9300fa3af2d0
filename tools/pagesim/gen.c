/*
 * gen.c — makes pagesim's trace files.
 *
 *   gen NAME            a synthetic trace (synth.c) on standard output
 *   gen all DIR         every synthetic trace, as DIR/NAME.txt
 *   gen bin IN OUT      a text trace IN in the binary form OUT (replay-format.md),
 *                       for the in-kernel replay
 */
#include <stdlib.h>
#include <string.h>

#include "synth.h"
#include "trace.h"

/* Every synthetic trace into dir/NAME.txt. 0 or 1. */
static int write_all(const char *dir)
{
    for (int i = 0; synth_names[i]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.txt", dir, synth_names[i]);
        FILE *out = fopen(path, "w");
        if (!out || synth_write(synth_names[i], out) != 0 || fclose(out) != 0) {
            perror(path);
            return 1;
        }
    }
    return 0;
}

/* The trace in `in` (either form) written to `out` in the binary form. 0 or 1. */
static int convert_to_binary(const char *in, const char *out)
{
    struct trace trace;
    char why[200];
    if (trace_load(in, &trace, why, sizeof why) != 0) {
        fprintf(stderr, "gen: %s\n", why);
        return 1;
    }
    FILE *file = fopen(out, "wb");
    int status = file && trace_write_binary(&trace, file) == 0 ? 0 : 1;
    if (file && fclose(file) != 0)
        status = 1;
    if (status)
        fprintf(stderr, "gen: %s: cannot write (or a page number is over 32 bits)\n", out);
    trace_free(&trace);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "all") == 0)
        return write_all(argv[2]);
    if (argc == 4 && strcmp(argv[1], "bin") == 0)
        return convert_to_binary(argv[2], argv[3]);
    if (argc == 2 && synth_write(argv[1], stdout) == 0)
        return 0;
    fprintf(stderr, "usage: gen NAME | gen all DIR | gen bin IN.txt OUT.bin\nnames:");
    for (int i = 0; synth_names[i]; i++)
        fprintf(stderr, " %s", synth_names[i]);
    fprintf(stderr, "\n");
    return 2;
}
