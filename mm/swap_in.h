/*
 * swap_in.h — bringing a swapped-out page back: the fault handler's swap-in step
 * (mm/fault.c), also used by swapoff for every page still in the area.
 */
#ifndef MM_SWAP_IN_H
#define MM_SWAP_IN_H

#include <stdbool.h>

#include "addr.h"

struct addr_space;
struct vma;

/* The entry of page in as names a swap slot: map the slot's page there again, from
 * the swap cache or read from the slot (*major then true). The entry gets the
 * rights its region has once the page is in (the read sleeps: they may change),
 * read-only while the page is still shared (other entries name the slot, or map
 * the same frame): a write then copies, as after fork. Read-only too after a read
 * (!write) that keeps the page in the swap cache as a clean copy: the first write
 * faults and lets the slot go (swap_slots.h). as may be another
 * process's (swapoff): if it is gone by then, nothing is done. 0; -EAGAIN (the
 * entry, the region or the address space changed while this slept: look again);
 * -ENOMEM; -EIO (the slot could not be read: the page is lost). May sleep. */
int swap_in_page(struct addr_space *as, vaddr_t page, bool write, bool *major);

/* Swap read-ahead's counters (/proc/vmstat) and its window now. */
struct swap_readahead_stats {
    uint64_t pages;  /* read ahead, ever (swap_ra) */
    uint64_t hits;   /* of those, found in the swap cache by a fault (swap_ra_hit) */
    uint32_t window; /* pages the last major fault read, its own included */
};
struct swap_readahead_stats swap_readahead_stats(void);

#endif
