/*
 * limits.h — resource limits on an address space: how big it may grow.
 *
 * A process's limits (setrlimit) belong to the kernel's process record, but the
 * memory code enforces them, so the kernel copies the three that concern memory
 * into the address space (struct as_limits, in as.h) whenever they change:
 *
 *   RLIMIT_AS     every region's pages together (Linux's total_vm)    -> mmap, brk,
 *                                                                        mremap, stack: ENOMEM
 *   RLIMIT_DATA   private writable regions, the stack excepted        -> mmap, brk,
 *                 (Linux's data_vm: the heap, .data/.bss, malloc's)      mremap: ENOMEM
 *   RLIMIT_STACK  the stack region's size                             -> stack growth:
 *                                                                        SIGSEGV
 *
 * Counting walks the regions, so it is done only when a limit is set.
 */
#ifndef MM_LIMITS_H
#define MM_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct addr_space;

#define AS_NO_LIMIT UINT64_MAX /* RLIM_INFINITY */

/* The limits, in bytes. Until the kernel sets them (enforced), nothing is checked. */
struct as_limits {
    bool enforced;
    uint64_t total_bytes; /* RLIMIT_AS */
    uint64_t data_bytes;  /* RLIMIT_DATA */
    uint64_t stack_bytes; /* RLIMIT_STACK */
};

/* May [start, end) become a region (replacing whatever lies there now, as MAP_FIXED
 * does) without passing RLIMIT_AS, nor RLIMIT_DATA if is_data (private and writable)? */
bool as_may_map(struct addr_space *as, vaddr_t start, vaddr_t end, bool is_data);

/* May the address space grow by bytes more (a region growing in place or moving
 * to a bigger place), as as_may_map asks? */
bool as_may_grow(struct addr_space *as, uint64_t bytes, bool is_data);

/* The largest size the stack region may reach: RLIMIT_STACK, but never more than
 * the room the layout keeps for it (USER_STACK_LIMIT). */
uint64_t as_stack_limit(const struct addr_space *as);

#endif
