/*
 * pageout.h — madvise(MADV_PAGEOUT and MADV_COLD): a range's pages out now, or
 * first in line to go (pageout.c).
 */
#ifndef MM_PAGEOUT_H
#define MM_PAGEOUT_H

#include "addr.h"

struct addr_space;

/* Take the pages of [from, to) that only this mapping maps out of memory now, as
 * reclaim would: private anonymous pages and shared anonymous memory to swap (not
 * without a swap area, nor once it is full), clean file pages dropped; dirty file
 * pages and the others stay. The range lies in one region that is not locked.
 * May sleep. */
void mm_pageout(struct addr_space *as, vaddr_t from, vaddr_t to);

/* The private anonymous pages of [from, to) that only this mapping maps made to
 * look unused to the replacement policy (Linux's deactivation: to the inactive
 * list, referenced bits cleared), so that reclaim takes them before pages used
 * since; nothing leaves now. (File pages and shared anonymous memory are left as
 * they are: Linux deactivates those too.) */
void mm_cold(struct addr_space *as, vaddr_t from, vaddr_t to);

#endif
