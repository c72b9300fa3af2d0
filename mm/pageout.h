/*
 * pageout.h — madvise(MADV_PAGEOUT and MADV_COLD): a range's pages out now, or
 * first in line to go (pageout.c).
 */
#ifndef MM_PAGEOUT_H
#define MM_PAGEOUT_H

#include "addr.h"

struct addr_space;

/* Write the private anonymous pages of [from, to) that only this mapping maps
 * to swap and free their frames, as reclaim would; the others stay. Nothing if
 * no swap area is on; stops when it is full. The range lies in one region that
 * is not locked. May sleep. */
void mm_pageout(struct addr_space *as, vaddr_t from, vaddr_t to);

/* The same pages made to look unused to the replacement policy (Linux's
 * deactivation: to the inactive list, referenced bits cleared), so that reclaim
 * takes them before pages used since; nothing leaves now. The same rules. */
void mm_cold(struct addr_space *as, vaddr_t from, vaddr_t to);

#endif
