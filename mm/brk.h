/*
 * brk.h — the program break: the end of the heap, moved by brk().
 */
#ifndef MM_BRK_H
#define MM_BRK_H

#include "addr.h"

struct addr_space;

/* Linux's brk: move the break to requested and return it; on failure return the
 * break unchanged (below the initial break or beyond user space; growing onto
 * another region or to within a page of it, or past RLIMIT_DATA or RLIMIT_AS;
 * shrinking where nothing is mapped).
 * Growing maps nothing (pages appear on first touch); shrinking unmaps
 * [new break, old break), rounded up to pages, like munmap. */
vaddr_t as_brk(struct addr_space *as, vaddr_t requested);

#endif
