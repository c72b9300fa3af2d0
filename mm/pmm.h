/*
 * pmm.h — the physical memory manager: who owns each 4 KiB frame of RAM.
 *
 * Every frame of physical memory has one `struct page` describing it. Free frames
 * sit on a list, so taking or returning one is O(1). A frame in use has a
 * reference count: how many owners (mappings, later) share it; it goes back to the
 * free list when the last reference is dropped.
 *
 * Frames are zeroed by pmm_alloc, on the way out: no frame ever reaches a new
 * owner (a page table, a user program) with someone else's old data in it.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "kernel/bootinfo.h"

/* What an allocated frame is used for; the counters are kept per use. */
enum frame_use {
    FRAME_KERNEL,     /* kernel data: heap, stacks */
    FRAME_PAGE_TABLE, /* a PML4, PDPT, PD or PT */
    FRAME_USER,       /* memory of user programs */
    FRAME_USE_COUNT,
};

enum page_state {
    PAGE_RESERVED, /* not ours to hand out: holes, firmware, kernel image, modules,
                      the boot information, the page array */
    PAGE_FREE,     /* on the free list */
    PAGE_IN_USE,   /* allocated; see use and refcount */
};

struct page {
    uint32_t refcount; /* owners sharing the frame; 0 unless in use */
    uint8_t state;     /* enum page_state */
    uint8_t use;       /* enum frame_use, while in use */
    uint16_t flags;    /* for the module that owns the frame (e.g. kheap's PG_SLAB) */
    union {
        struct page *next_free; /* PAGE_FREE: the next free frame */
        uint32_t table_used;    /* FRAME_PAGE_TABLE: entries present (mm/pt.c) */
        uint32_t kheap_info;    /* kheap: a slab's size class, a large block's pages */
    };
    void *owner;        /* reverse map: who maps this frame (address spaces, later) */
    uint64_t swap_slot; /* where the contents went when swapped out (later) */
};

struct pmm_stats {
    uint64_t total;            /* frames the allocator manages: free + used */
    uint64_t free;
    uint64_t used[FRAME_USE_COUNT];
};

#define PMM_NO_FRAME 0 /* frame 0 is never in the pool (the first MiB is left out) */

/* Build the pool from the boot memory map: every usable frame except the first
 * MiB, [kernel_start, kernel_end), the boot modules, the boot information and the
 * page array itself. Prints the resulting totals. */
void pmm_init(const struct boot_info *info, paddr_t kernel_start, paddr_t kernel_end);

/* A zeroed frame with refcount 1, or PMM_NO_FRAME when memory is exhausted. */
paddr_t pmm_alloc(enum frame_use use);

/* Drop the only reference to frame and return it to the pool. Panics (naming the
 * frame and the caller) if it is not an allocated frame with refcount 1. */
void pmm_free(paddr_t frame);

/* Add a reference to an allocated frame (a second mapping shares it). */
void pmm_ref(paddr_t frame);

/* Drop a reference; frees the frame when it was the last. Returns the references
 * left. */
uint32_t pmm_unref(paddr_t frame);

/* The record of a frame; NULL if the address is beyond the page array. */
struct page *pmm_page(paddr_t frame);

struct pmm_stats pmm_stats(void);

/* The totals right after pmm_init, before anything else allocated. */
struct pmm_stats pmm_stats_at_boot(void);

/* Recount the free list and the page array and compare with the counters;
 * panics on a mismatch. Returns the number of free frames counted. */
uint64_t pmm_check(void);

#endif
