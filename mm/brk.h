/*
 * brk.h — the program break: the end of the heap, moved by brk().
 */
#ifndef MM_BRK_H
#define MM_BRK_H

#include "addr.h"

struct addr_space;

/* Linux's brk: move the break to requested and return it; on failure (below the
 * initial break, or colliding with another region) return the break unchanged.
 * Growing maps nothing (pages appear on first touch); shrinking frees the pages
 * and page tables beyond the new break. */
vaddr_t as_brk(struct addr_space *as, vaddr_t requested);

#endif
