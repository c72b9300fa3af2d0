/*
 * shm_swap.h — shared anonymous memory going out to swap.
 *
 * A MAP_SHARED|MAP_ANONYMOUS region's pages belong to its object (mm/object.c)
 * and live in the page cache; they exist nowhere else, so reclaim never drops
 * them: with swap on, it writes them to slots the object records by index
 * (a file whose blocks live in swap, as Linux's shmem). The way back in is the
 * page cache's: a miss finds the slot recorded (page_cache_get).
 */
#ifndef MM_SHM_SWAP_H
#define MM_SHM_SWAP_H

#include <stdbool.h>
#include <stdint.h>

/* Write pages of shared anonymous memory (swap-backed objects) to swap and free
 * their frames, oldest first, up to wanted; 0 without swap (they exist nowhere
 * else). Direct reclaim may call it too: no file system is involved. Only at a
 * safe point, as page_cache_reclaim_mapped (mm/page_cache.h) (it unmaps them). May sleep.
 * Returns the frames freed. */
uint64_t shm_swap_out(uint64_t wanted);

struct page;

/* Write this one page of shared anonymous memory to swap and free its frame
 * (madvise(MADV_PAGEOUT)), whatever its accessed bits say; the caller has checked
 * that only page-table entries hold it and none is locked. True if it went. May
 * sleep. */
bool shm_swap_out_page(struct page *page);

#endif
