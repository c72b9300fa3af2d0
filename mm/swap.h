/*
 * swap.h — swap space: where anonymous pages go when memory is short.
 *
 * A swap area is a disk (Linux's format, made by mkswap: kernel/swap/) cut into
 * page-sized *slots*. Slot 0 holds the area's header and is never used; the
 * header's bad pages are never used either. When reclaim (mm/reclaim.h) takes a
 * page of anonymous memory away from the programs using it, it writes the page
 * to a free slot and leaves in each page-table entry that mapped it a *swap
 * entry* naming the slot (mm/pte.h); the next touch faults and reads it back.
 *
 * mm/ knows no block devices: the device side (kernel/swap/swapon.c) hands in a
 * struct swap_io that moves one page between a frame and a slot.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <stdbool.h>
#include <stdint.h>

/* How to move pages to and from the area: count consecutive slots from slot, to
 * or from count * 4096 bytes of kernel memory. Both may sleep (disk I/O) and
 * return 0 or -EIO. Reclaim writes pages it takes together in one run, and a
 * swap-in reads the slots after the one it needs too (read-ahead): one request
 * to the disk instead of many. */
struct swap_io {
    int (*read_pages)(void *dev, uint64_t slot, uint32_t count, void *pages);
    int (*write_pages)(void *dev, uint64_t slot, uint32_t count, const void *pages);
    void *dev;
};

/* Start swapping to an area of `pages` pages: slots 1 .. pages - 1, but not the
 * nbad slots listed in bad (the header's bad-page list; numbers of 0 or beyond
 * the area are ignored). 0, -EBUSY (an area is active already: one at a time),
 * -EINVAL (fewer than 2 pages), -ENOMEM. */
int swap_area_enable(const struct swap_io *io, uint64_t pages, const uint32_t *bad, uint32_t nbad);

/* swapoff: bring every swapped-out page back into memory, then forget the area.
 * May sleep for a long time (it reads every used slot). 0, -EINVAL (no area),
 * -ENOMEM (not enough memory to hold them all: the area stays active, with the
 * pages that did not fit still in it). */
int swap_area_disable(void);

bool swap_area_active(void);

/* Frames the active area's bookkeeping takes (its slot array, 8 bytes a slot):
 * kernel memory that comes and goes with swapon and swapoff, not a leak (the
 * end-of-run memory check counts it as free). */
uint64_t swap_area_kernel_frames(void);

/* What swap holds and has done (/proc/meminfo, /proc/vmstat, /proc/swaps). */
struct swap_stats {
    uint64_t slots;        /* usable slots of the active area (0: none) */
    uint64_t used;         /* slots holding a page (named by entries or cached) */
    uint64_t cached;       /* swap cache: slots whose page is also in a frame */
    uint64_t pswpin;       /* pages read from swap, ever */
    uint64_t pswpout;      /* pages written to swap, ever */
    uint64_t read_errors;  /* reads that failed (the process touching it got SIGBUS) */
    uint64_t write_errors; /* writes that failed (the page stayed in memory) */
};
struct swap_stats swap_stats(void);

#endif
