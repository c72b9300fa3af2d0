/*
 * swap_slots.h — the slots of the swap area and the swap cache (inside mm/).
 *
 * Each slot has two kinds of users:
 *   - page-table entries naming it (swap entries, mm/pte.h): `users`;
 *   - the *swap cache*: the frame that holds the slot's page right now, if any.
 * A page is in the swap cache while it is being written out, while it is being
 * read in, and after it was read in while other entries still name the slot: a
 * page that fork shared and reclaim swapped out is read once, and the second
 * process to touch it finds the frame here instead of reading again. It also stays
 * there after the last entry went, as a *clean copy*, while it is mapped read-only
 * and so still equals what the slot holds: evicted again, it is not written again.
 * The first write to it (a copy-on-write fault) lets the slot go, as does swap
 * getting more than half full, swapoff, or a full area needing slots.
 * A slot is free when no entry names it and no frame caches it (Linux keeps the
 * same two facts in swap_map: a count and SWAP_HAS_CACHE).
 */
#ifndef MM_SWAP_SLOTS_H
#define MM_SWAP_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "swap.h"

#define SWAP_NO_SLOT 0 /* slot 0 is the area's header: never a page's */

/* struct page's flags for an anonymous frame (values of their own, so that a
 * flag read under the wrong owner stands out in gdb). */
#define PG_SWAP_IO        0x10  /* being written to or read from its slot: wait for it */
#define PG_SWAP_ERROR     0x20  /* its write to the slot failed: the frame is the only copy */
#define PG_SWAP_READAHEAD 0x100 /* read ahead, not yet found by a fault (mm/swap_in.c) */
#define PG_SWAP_READ                                                                               \
    0x40 /* with PG_SWAP_IO: being read in by a fault, which holds a                               \
            reference of its own until it maps the frame */

/* A free slot, now used by nobody yet (the caller caches a frame in it or names
 * it in an entry at once), or SWAP_NO_SLOT if the area is full or absent. Slots
 * are handed out in order from where the last search ended, so pages reclaimed
 * together go to neighbouring slots (sequential writes). */
uint64_t swap_slot_alloc(void);

/* A free slot with one user already: a swap-backed object's (mm/object.c, shared
 * anonymous memory), which records it by page index instead of in an entry and
 * lets it go with swap_slot_put. SWAP_NO_SLOT if the area is full or absent. */
uint64_t swap_slot_alloc_held(void);

/* One more / one less page-table entry names slot (fork copies an entry; an
 * entry goes: unmap, exit, swap-in). The last user of a slot with no cached
 * frame frees it; a cached frame goes too, unless it stays as a clean copy
 * (swap_cache_may_keep_clean: mapped, and may). */
void swap_slot_dup(uint64_t slot);
void swap_slot_put(uint64_t slot);

/* swap_slot_put for a slot a write to failed: if that was its last use, the slot
 * is never handed out again (the disk failed to hold it once), as a failed
 * slot of a private anonymous page (swap_cache_remove). */
void swap_slot_put_failed(uint64_t slot);

/* Entries naming slot. */
uint32_t swap_slot_users(uint64_t slot);

/* The swap cache: the frame holding slot's page (PMM_NO_FRAME: none). */
paddr_t swap_cache_frame(uint64_t slot);

/* Put frame in the cache as slot's page: the cache takes a reference on it
 * (pmm_ref) and the frame's struct page records the slot. */
void swap_cache_add(uint64_t slot, paddr_t frame);

/* Take frame out of the cache (dropping the cache's reference: the frame is freed
 * if nobody else holds it); its slot is freed too if no entry names it -- or
 * never used again, if writing the page to it failed (PG_SWAP_ERROR). */
void swap_cache_remove(paddr_t frame);

/* If frame is in the swap cache for a slot no entry names any more, and no I/O is
 * under way on it, take it out (swap_cache_remove). True if it did. Whoever ends
 * I/O on a cached frame calls it: a slot's last entry may go meanwhile. */
bool swap_cache_drop_if_unneeded(paddr_t frame);

/* May frame, once no entry names its slot, stay in the swap cache as a clean copy?
 * Not while swap is more than half full (Linux's vm_swap_full), during swapoff, or
 * after its write failed (the frame is the only copy). Whoever keeps it maps it
 * read-only; whoever makes an entry of it writable first calls
 * swap_cache_drop_if_unneeded. */
bool swap_cache_may_keep_clean(paddr_t frame);

/* Take every such frame out of the cache (swapoff, before it lets the area go; a
 * full area, for slots). */
void swap_cache_drop_unneeded_all(void);

/* The slot a frame's page is cached for (SWAP_NO_SLOT: not in the swap cache). */
uint64_t swap_cache_slot_of(paddr_t frame);

/* A cached frame with I/O under way (PG_SWAP_IO), or PMM_NO_FRAME (swapoff waits
 * for each before it lets the area go). */
paddr_t swap_cache_first_busy(void);

/* Most slots moved in one request (64 KiB, the disk's largest request). */
#define SWAP_CLUSTER 16

/* The device's side, for reclaim and the fault handler: the pages of frames[0..
 * count) to or from slots [slot, slot + count) (count <= SWAP_CLUSTER), in one
 * request when memory for a bounce buffer can be had, else page by page.
 * 0 or -EIO. May sleep. */
int swap_read_slots(uint64_t slot, uint32_t count, const paddr_t *frames);
int swap_write_slots(uint64_t slot, uint32_t count, const paddr_t *frames);

/* Write a batch of count (<= SWAP_CLUSTER) pages: frames[i] to slots[i], for each i
 * with must_write[i] (must_write NULL: all), one request per run of consecutive
 * slots; a run that fails is tried again page by page, so that one bad sector does
 * not keep the others' pages in memory. written[i]: slots[i] holds frames[i] now
 * (true for a page not to be written). May sleep. */
void swap_write_batch(const uint64_t *slots, const paddr_t *frames, const bool *must_write,
                      unsigned count, bool *written);

/* Is slot a slot in use (named by entries) whose page is in no frame? (read-ahead
 * reads such neighbours of a slot a fault needs; never a slot an object holds,
 * swap_slot_alloc_held: shared anonymous memory reads its own pages, by index) */
bool swap_slot_needs_reading(uint64_t slot);

/* Visit every slot in use: users and cached frame (the invariant check). */
void swap_for_each_used(void (*visit)(void *ctx, uint64_t slot, uint32_t users, paddr_t cached),
                        void *ctx);

/* Slots of the active area, the header and bad ones included (0: none). */
uint64_t swap_area_pages(void);

/* Slots in use now (named or cached): the invariant check's baseline. */
uint64_t swap_slots_in_use(void);

#endif
