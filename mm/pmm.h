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
 *
 * Reference counts change only in process context (system calls, page faults):
 * no interrupt handler shares or releases frames, and the kernel is not
 * preemptive, so on one CPU the inline fast paths below need no lock.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "kernel/bootinfo.h"
#include "lib/avl.h"

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

struct anon_map;
struct resident_set;

/* What an anonymous user frame (not a page-cache frame) keeps for reclaim:
 * the reverse map (mm/anon_rmap.h), the resident set it is on (mm/resident.h)
 * and, while it is in the swap cache, its slot (mm/swap_slots.h). */
struct anon_page {
    struct anon_map *maps;    /* every page-table entry mapping it (NULL: none) */
    struct resident_set *set; /* the resident set it is on (NULL: none) */
    uint32_t swap_slot;       /* in the swap cache for this slot (0: not) */
    uint8_t age;              /* the aging policy's counter of recent use */
    uint32_t last_use;        /* WSClock: the tick of its last observed use */
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
        uint64_t index;         /* a cached page: the object's page it holds */
    };
    /* A frame of the page cache (mm/page_cache.h) says whose page it holds: the
     * object, and the index above. The object finds it by index in a tree of
     * these nodes; reclaim finds it, oldest first, on the cache's list, linked by
     * frame numbers (0: none) to keep the record at 64 bytes, as Linux's is. */
    struct mem_object *object; /* NULL: not a cached page (anonymous, kernel) */
    union {
        struct avl_node cache_node; /* a cached page: its place in the object's tree */
        struct anon_page anon;      /* an anonymous user frame: who maps it, its slot */
    };
    uint32_t lru_prev, lru_next; /* pfns: the page cache's list, or a resident set's */
};
_Static_assert(sizeof(struct page) == 64, "struct page grew past 64 bytes");

/* A flag for any user frame, whoever owns it: the CPU used the page since the
 * replacement policy (or the page cache's reclaim) last looked, known from an A
 * bit the working-set sampler cleared first (mm/workingset.h). Whoever tests the
 * A bits of a page tests and clears this flag too; pmm_free clears it. (Linux's
 * PG_referenced plays the same part.) Owners' own flags stay below it. */
#define PG_REFERENCED 0x80

struct pmm_stats {
    uint64_t total; /* frames the allocator manages: free + used */
    uint64_t free;
    uint64_t used[FRAME_USE_COUNT];
};

#define PMM_NO_FRAME 0 /* frame 0 is never in the pool (the first MiB is left out) */

/* Build the pool from the boot memory map: every usable frame except the first
 * MiB, [kernel_start, kernel_end), the boot modules, the boot information and the
 * page array itself. Prints the resulting totals. */
void pmm_init(const struct boot_info *info, paddr_t kernel_start, paddr_t kernel_end);

/* A zeroed frame with refcount 1, or PMM_NO_FRAME when memory is exhausted --
 * after asking the reclaimer (pmm_set_reclaimer) to free some, once. */
paddr_t pmm_alloc(enum frame_use use);

/* Who gives frames back when none are free: the page cache drops clean pages
 * nobody maps (mm/page_cache.c). Returns the frames it freed (0 where it may not
 * run: in an interrupt handler). Called from pmm_alloc, never re-entered. */
typedef uint64_t (*pmm_reclaimer_fn)(uint64_t wanted);
void pmm_set_reclaimer(pmm_reclaimer_fn reclaimer);

/* Who hears that an allocation found no frame, even after the reclaimer, and how
 * many frames the request wanted (1 from pmm_alloc; a run of them from kvmap's
 * large blocks). The caller gets PMM_NO_FRAME and fails with -ENOMEM, but the
 * kernel notes the shortage on the process whose system call asked; at the end
 * of the call, where nothing is held, it reclaims or calls the OOM killer and
 * runs the call again (kernel/oom.h), as Linux's allocator does inside the
 * allocation itself. Not called in an interrupt handler's allocations. */
typedef void (*pmm_shortage_fn)(uint64_t frames_wanted);
void pmm_set_shortage_hook(pmm_shortage_fn hook);

/* Tell the hook that a request for frames_wanted frames found none free. */
void pmm_note_shortage(uint64_t frames_wanted);

/* Drop the only reference to frame and return it to the pool. Panics (naming the
 * frame and the caller) if it is not an allocated frame with refcount 1. */
void pmm_free(paddr_t frame);

/* The checked versions of pmm_ref and pmm_unref below: they panic, naming the
 * frame and the caller, on a frame that is not allocated. */
void pmm_ref_checked(paddr_t frame);
uint32_t pmm_unref_checked(paddr_t frame);

/* The page array, for the two fast paths below. */
extern struct page *pmm_pages;
extern pfn_t pmm_page_count;

/* Add a reference to an allocated frame (a second mapping shares it). fork and
 * exit do this once per page, so the common case is inline; anything unusual
 * goes to the checked version. */
static inline void pmm_ref(paddr_t frame)
{
    pfn_t pfn = paddr_to_pfn(frame);
    if (pfn < pmm_page_count && pmm_pages[pfn].state == PAGE_IN_USE && is_page_aligned(frame))
        pmm_pages[pfn].refcount++;
    else
        pmm_ref_checked(frame);
}

/* Drop a reference; frees the frame when it was the last. Returns the references
 * left. (Inline for the common case, as pmm_ref.) */
static inline uint32_t pmm_unref(paddr_t frame)
{
    pfn_t pfn = paddr_to_pfn(frame);
    if (pfn < pmm_page_count && pmm_pages[pfn].state == PAGE_IN_USE &&
        pmm_pages[pfn].refcount > 1 && is_page_aligned(frame))
        return --pmm_pages[pfn].refcount;
    return pmm_unref_checked(frame); /* the last reference, or a bad frame */
}

/* The record of a frame; NULL if the address is beyond the page array. */
struct page *pmm_page(paddr_t frame);

struct pmm_stats pmm_stats(void);

/* The totals right after pmm_init, before anything else allocated. */
struct pmm_stats pmm_stats_at_boot(void);

/* Recount the free list and the page array and compare with the counters;
 * panics on a mismatch. Returns the number of free frames counted. */
uint64_t pmm_check(void);

#endif
