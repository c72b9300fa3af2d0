/*
 * kvmap.h — the kernel virtual area: page-backed blocks with guard pages.
 *
 * Some kernel memory must be virtually contiguous without being physically
 * contiguous, and should fault when overrun: kernel stacks, and kmalloc blocks of
 * more than a page. Each block gets fresh frames mapped at consecutive pages of a
 * reserved virtual range, with one unmapped *guard page* just below it. A stack
 * grows down, so running off its end touches its guard page and faults at once
 * instead of silently overwriting whatever lies below.
 *
 *   KVMAP_BASE:                 kernel stacks   (KSTACK_AREA_SIZE)
 *   KVMAP_BASE + stack area:    large kmalloc blocks
 */
#ifndef MM_KVMAP_H
#define MM_KVMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

enum kvmap_area_id {
    KVMAP_STACKS,
    KVMAP_LARGE_BLOCKS,
    KVMAP_AREA_COUNT,
};

#define KSTACK_PAGES 4 /* 16 KiB kernel stacks */
#define KSTACK_SIZE  (KSTACK_PAGES * PAGE_SIZE)

/* Map pages fresh frames (zeroed, FRAME_KERNEL) in the area, above a guard page.
 * Returns the lowest mapped address, or 0 if out of frames or virtual space. */
vaddr_t kvmap_alloc(enum kvmap_area_id area, size_t pages);

/* Unmap a block returned by kvmap_alloc and free its frames. */
void kvmap_free(enum kvmap_area_id area, vaddr_t start, size_t pages);

/* Page tables the kernel virtual area has now (one per 2 MiB that any block ever
 * used): made on demand by kvmap_alloc and kept for good, like all of the kernel
 * half's, so a run whose stacks or large blocks reach farther than before has
 * more -- kernel memory that is not a leak (the end-of-run memory check counts
 * them as free). */
uint64_t kvmap_table_frames(void);

/* A kernel stack: returns its top (the initial stack pointer), 0 if out of memory. */
vaddr_t kstack_create(void);
void kstack_destroy(vaddr_t top);

/* If va is a guard page of a live block, the name of its area ("kernel stack",
 * "large kmalloc block"); otherwise NULL. */
const char *kvmap_guard_owner(vaddr_t va);

/* True if va lies in the given area. */
bool kvmap_contains(enum kvmap_area_id area, vaddr_t va);

/* The name of the area va lies in, or NULL if outside the kernel virtual area. */
const char *kvmap_area_name(vaddr_t va);

#endif
