/*
 * as_walk.h — visiting everything an address space holds, for those who must
 * recount it: the invariant check (mm/check.c) and the frame map
 * (kernel/framemap.c).
 *
 * The reverse maps (mm/rmap.h, mm/anon_rmap.h) answer "who maps frame N?" for
 * reclaim; a recount must not trust them, so it asks the other way round: walk
 * every address space and note each frame (and swap slot) met. as_walk is that
 * one walk; the visitors decide what to note. It reads the page tables and
 * changes nothing.
 */
#ifndef MM_AS_WALK_H
#define MM_AS_WALK_H

#include <stdbool.h>

#include "addr.h"

struct addr_space;
struct mem_object;
struct vma;

/* One page-table entry that holds a frame. */
struct mapping {
    vaddr_t va;            /* the page */
    paddr_t frame;         /* the frame it holds */
    bool present;          /* false: PROT_NONE, the frame kept out of reach */
    bool writable;         /* the entry allows writes now */
    bool accessed;         /* A, or PTE_WS_USED: used since a policy took A (smaps) */
    bool dirty;            /* the CPU's D bit in the entry (for /proc's smaps) */
    const struct vma *vma; /* the region the page lies in */
};

/* What to call for each thing met; any may be NULL. ctx is passed to each. */
struct as_visitor {
    void (*page)(void *ctx, const struct mapping *m);  /* each entry holding a frame */
    void (*swap)(void *ctx, vaddr_t va, uint64_t slot, /* each swap entry */
                 const struct vma *vma);
    void (*lost)(void *ctx, vaddr_t va, const struct vma *vma); /* each lost page's mark */
    void (*table)(void *ctx, paddr_t frame);                    /* each user page-table frame */
    void (*object)(void *ctx, const struct mem_object *o);      /* each region's object, once
                                                                   per region pointing at it */
    void *ctx;
};

/* Visit as: its page tables (the root first), then region by region, in address
 * order, the pages that hold a frame, name a swap slot or are lost (mm/pte.h),
 * and the region's shared object. */
void as_walk(struct addr_space *as, const struct as_visitor *visitor);

#endif
