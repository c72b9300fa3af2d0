/*
 * trace.h — a page-reference trace: the pages a program touched, in order.
 *
 * Two file forms (README.md, "Traces"; replay-format.md for the binary one):
 *   text:   one page number per line, decimal or 0x hex; '#' starts a comment;
 *   binary: the header "PGTR", version, count, page limit, then count uint32
 *           page numbers, all little-endian (what the in-kernel replay reads).
 *
 * Loaded, the pages are renumbered densely in order of first use (ids 0, 1, ...),
 * so the policies can keep per-page arrays. No policy looks at a page's number,
 * only at whether two references name the same page, so fault counts do not
 * change; `number` keeps each id's page number for printing.
 */
#ifndef PAGESIM_TRACE_H
#define PAGESIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACE_BIN_MAGIC   "PGTR"
#define TRACE_BIN_VERSION 1u
#define TRACE_BIN_HEADER  16u /* magic, version, count, page limit: 4 bytes each */

struct trace {
    uint32_t count;   /* references */
    uint32_t *ref;    /* ref[i]: the dense id of the i-th reference's page */
    uint32_t npages;  /* distinct pages (ids 0 .. npages-1) */
    uint64_t *number; /* number[id]: the page number as the file wrote it */
};

/* Load a text or binary trace file (told apart by the magic). 0, or -1 with a
 * one-line reason in why (size why_size). */
int trace_load(const char *path, struct trace *trace, char *why, size_t why_size);

/* Build a trace from page numbers in memory (tests, the generator). 0 or -1 (memory). */
int trace_from_numbers(const uint64_t *numbers, uint32_t count, struct trace *trace);

/* Write the trace's page numbers (not ids) in the binary form. 0, or -1 when a
 * number does not fit in 32 bits or writing fails. */
int trace_write_binary(const struct trace *trace, FILE *out);

/* Release what trace_load or trace_from_numbers allocated. */
void trace_free(struct trace *trace);

#endif
