/*
 * check.h — the memory invariant check.
 *
 * Recount, from the page tables, how many references each frame should have, and
 * compare with what the frame allocator says:
 *   every user frame's refcount == the page-table entries mapping it
 *                                  + 1 if it is in the page cache (a file's page,
 *                                    shared anonymous memory)
 *   the zero page's refcount     == its mappings + 1 (the kernel's own)
 *   free + used == the pool; the free list is sound (pmm_check)
 * Any difference is a leak or a use-after-free waiting to happen.
 */
#ifndef MM_CHECK_H
#define MM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct addr_space;

/* Reserve, once, the memory the checks need (4 bytes per frame), so that a check
 * made while memory is exhausted still runs. False if there is not enough now. */
bool mm_check_reserve(void);

/* Check with every live address space given (each once). Prints each mismatch
 * (at most a few) and returns true if there was none. */
bool mm_check_references(struct addr_space *const *spaces, size_t count);

#endif
