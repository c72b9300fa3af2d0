/*
 * vma.h — regions of an address space (virtual memory areas).
 *
 * A process's memory is a set of non-overlapping regions, each a page-aligned
 * range [start, end) with one protection and one kind: a program segment, the
 * heap, the stack, an mmap. The page tables say which pages are present *now*;
 * the regions say which pages *may* be, and with what rights. A page fault is
 * resolved by looking up the region of the faulting address (mm/fault.c).
 *
 * The regions are kept in a balanced tree ordered by address (lib/avl.h), so
 * finding the region of an address is O(log n) however many there are.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "lib/avl.h"

/* Protection bits, with Linux's PROT_* values. */
#define VMA_READ  0x1u
#define VMA_WRITE 0x2u
#define VMA_EXEC  0x4u

/* Kinds. */
#define VMA_GROWSDOWN 0x1u /* the stack: a fault just below it extends it */
#define VMA_SHARED    0x2u /* MAP_SHARED: stores reach the object; stays shared across fork */
#define VMA_LOCKED    0x8u /* mlock, MAP_LOCKED: pages present, never reclaimed (mm/mlock.h) */
#define VMA_NO_WRITE                                                                               \
    0x4u /* MAP_SHARED of a file open read-only: mprotect cannot add                               \
            PROT_WRITE (EACCES), as on Linux */

/* The most regions an address space may have: Linux's default vm.max_map_count.
 * Each costs kernel memory and time in every walk over them (fork, munmap), so
 * one program alternating the rights of single pages cannot take all of memory:
 * beyond it, mmap, mprotect, munmap, mremap and brk fail with ENOMEM. As in Linux,
 * a new region may still be made with exactly VMA_MAX_COUNT of them, a split not
 * (vma_create, vma_split, vma_create_like); fork copies them all (vma_copy). */
#define VMA_MAX_COUNT 65530

struct addr_space;

struct mem_object;

/* A region maps an object (mm/object.h) at a page offset, or nothing (private
 * anonymous memory). With VMA_SHARED its pages are the object's own frames; without,
 * the object's pages are mapped read-only and copied on the first write. */
struct vma {
    vaddr_t start, end;        /* [start, end), page-aligned */
    uint32_t prot;             /* VMA_READ | VMA_WRITE | VMA_EXEC */
    uint32_t flags;            /* VMA_GROWSDOWN | VMA_SHARED */
    struct mem_object *object; /* where its pages come from; NULL: anonymous, private */
    uint64_t pgoff;            /* the object's page at vma->start */
    struct addr_space *as;     /* the address space it belongs to (for the reverse map) */
    struct vma *next_mapper, *prev_mapper; /* the object's list of regions (mm/rmap.h) */
    struct avl_node node;
};

/* The region containing va, or NULL. */
struct vma *vma_find(struct addr_space *as, vaddr_t va);

/* The first region that ends above va (it may start above va too), or NULL. */
struct vma *vma_find_after(struct addr_space *as, vaddr_t va);

/* The first region that overlaps [start, end), or NULL if the range is free
 * (Linux's find_vma_intersection). */
struct vma *vma_find_intersection(struct addr_space *as, vaddr_t start, vaddr_t end);

/* The region before / after this one, in address order, or NULL. */
struct vma *vma_prev(struct vma *vma);
struct vma *vma_next(struct vma *vma);

/* Add a region; NULL if out of memory, if the address space has VMA_MAX_COUNT
 * regions already, or if it would overlap another. A shared region gets its own
 * shared anonymous object. */
struct vma *vma_create(struct addr_space *as, vaddr_t start, vaddr_t end, uint32_t prot,
                       uint32_t flags);

/* Add a region mapping object from its page pgoff on (a file, a program); the
 * region takes a user of the object (object_get). NULL as for vma_create. */
struct vma *vma_create_mapping(struct addr_space *as, vaddr_t start, vaddr_t end, uint32_t prot,
                               uint32_t flags, struct mem_object *object, uint64_t pgoff);

/* A region with like's rights and kind over [start, end) (page-aligned): a copy
 * of like's mapping as seen from the address like_at inside it, so a shared
 * region's copy shows the object's pages from like_at's page onward. NULL if out of
 * memory or if it would overlap another region. */
struct vma *vma_create_like(struct addr_space *as, const struct vma *like, vaddr_t like_at,
                            vaddr_t start, vaddr_t end);

/* Change where a region starts or ends (it must not come to overlap another:
 * the caller checks). Used to grow the stack, and a mapping in place (mremap). */
void vma_set_range(struct addr_space *as, struct vma *vma, vaddr_t start, vaddr_t end);

/* Cut a region in two at addr (page-aligned, strictly inside it); returns the
 * upper part, or NULL if out of memory or regions (VMA_MAX_COUNT). */
struct vma *vma_split(struct addr_space *as, struct vma *vma, vaddr_t addr);

/* Split the regions that straddle start or end (page-aligned), so that every
 * region lies wholly inside [start, end) or wholly outside. 0, or -ENOMEM with
 * the splits made so far left in place (harmless: the regions are the same). */
int vma_cut(struct addr_space *as, vaddr_t start, vaddr_t end);

/* Merge vma with its neighbours where they touch and are alike (same rights and
 * kind), as Linux does; returns the region that now contains vma's range. */
struct vma *vma_merge_neighbours(struct addr_space *as, struct vma *vma);

/* A copy of region in another address space (fork): same range, rights, kind
 * and object. NULL if out of memory. */
struct vma *vma_copy(struct addr_space *to, const struct vma *region);

/* Remove and free one region (its pages are the caller's business). */
void vma_destroy(struct addr_space *as, struct vma *vma);

/* Remove and free every region. */
void vma_destroy_all(struct addr_space *as);

/* Take every region out of the address space and off its object's reverse map,
 * without letting go of the objects yet: returns them as a list (through
 * next_mapper) for vma_release. Nothing here sleeps. */
struct vma *vma_detach_all(struct addr_space *as);

/* Drop the detached regions' users of their objects and free the records. The
 * last user of a file may sleep (an unlinked file is freed on the disk). */
void vma_release(struct vma *detached);

/* PTE permission flags for pages of this region (user, writable, no-execute). */
uint64_t vma_pte_flags(const struct vma *vma);

#endif
