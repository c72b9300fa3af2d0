/*
 * kheap.h — kmalloc and kfree: the kernel's heap for objects of any size.
 *
 *   up to 1024 bytes   a slab of that size class (16, 32, ..., 1024): O(1)
 *   larger             whole pages in the kernel virtual area, with a guard page
 *                      below, unmapped again on kfree (a use after free faults)
 *
 * kfree(NULL) does nothing. Freeing a pointer kmalloc never returned, a pointer
 * into the middle of an object, or an object twice panics with the pointer and
 * the caller.
 */
#ifndef MM_KHEAP_H
#define MM_KHEAP_H

#include <stddef.h>
#include <stdint.h>

/* At least size bytes, aligned to 16 (to its size class for small objects);
 * contents undefined. NULL if out of memory. */
void *kmalloc(size_t size);

/* kmalloc, zero-filled. */
void *kzalloc(size_t size);

void kfree(void *ptr);

#define KHEAP_CLASSES 7 /* 16 << 0 ... 16 << 6 = 1024 */

struct kheap_stats {
    uint64_t objects[KHEAP_CLASSES]; /* small objects in use, per size class */
    uint64_t slabs;                  /* pages holding small objects */
    uint64_t empty_slabs;            /* of those, empty ones kept for reuse */
    uint64_t large_blocks;
    uint64_t large_pages;
};

struct kheap_stats kheap_stats(void);

#endif
