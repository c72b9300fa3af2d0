/*
 * shared_anon.h — the memory behind a MAP_SHARED anonymous mapping.
 *
 * After fork, a shared region must show the same bytes in parent and child, even
 * for pages neither had touched before the fork. So the frames of a shared region
 * belong to an object both regions point at, not to either page table: a fault
 * finds the page's frame in the object (or puts a fresh one there), and maps it.
 * The object holds one reference on each of its frames; each mapping another.
 */
#ifndef MM_SHARED_ANON_H
#define MM_SHARED_ANON_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct shared_anon {
    uint32_t refcount; /* regions pointing here */
    size_t pages;
    paddr_t frames[]; /* frames[i]: page i, or 0 if never touched */
};

/* An object for pages pages, all untouched; NULL if out of memory. */
struct shared_anon *shared_anon_create(size_t pages);

void shared_anon_get(struct shared_anon *object);

/* Drop a reference; the last one frees the object and its frames. */
void shared_anon_put(struct shared_anon *object);

/* The frame of page index, allocating a zeroed one on first use; PMM_NO_FRAME
 * if out of memory. */
paddr_t shared_anon_frame(struct shared_anon *object, size_t index);

#endif
