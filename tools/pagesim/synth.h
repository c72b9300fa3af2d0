/*
 * synth.h — the synthetic traces of tests/pagesim/traces/, each made by a fixed
 * recipe (and a fixed seed where it is random), so `gen` remakes them byte for
 * byte and a test checks the committed files against it.
 */
#ifndef PAGESIM_SYNTH_H
#define PAGESIM_SYNTH_H

#include <stdio.h>

/* The names of the synthetic traces, NULL-terminated ("belady", "seq-scan", ...). */
extern const char *const synth_names[];

/* Write trace `name` in the text form (with a comment saying how it was made).
 * 0, or -1 when there is no such trace or writing fails. */
int synth_write(const char *name, FILE *out);

#endif
