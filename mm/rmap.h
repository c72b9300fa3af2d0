/*
 * rmap.h — the reverse map of a memory object: from a page of the object to every
 * page-table entry that maps it.
 *
 * A page table answers "which frame is at this address?"; truncate and write-back
 * need the opposite, "which entries map page i of this file?". Like Linux's
 * i_mmap, each object keeps the list of regions mapping it (object_add_mapper);
 * region r maps page i at r->start + (i - r->pgoff) pages, if i lies in its
 * range, in the address space r->as. So no per-page list is needed: the page's
 * index says where to look in each region.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct mem_object;

/* Remove from every region mapping o the entries of pages first and beyond, the
 * private copies made from them included (truncate: they are past the end now). */
void rmap_unmap_from(struct mem_object *o, uint64_t first);

/* Remove from every region mapping o the entries of pages [first, end), the
 * private copies made from them included (a hole punched in o: MADV_REMOVE). */
void rmap_unmap_range(struct mem_object *o, uint64_t first, uint64_t end);

/* Clear the D bit of every MAP_SHARED entry mapping frame as page index of o
 * (invalidating the TLB entry, so the CPU sets it again on the next store). True
 * if any was set: the page was written through a mapping since the last look. */
bool rmap_collect_dirty(struct mem_object *o, uint64_t index, paddr_t frame);

/* Remove every entry mapping frame as page index of o (reclaim of a clean page:
 * the next touch faults it in again). Frees page tables left empty, so it may
 * only run where nobody holds a page-table entry or pointer: page_cache.h's
 * page_cache_reclaim_mapped says where. */
void rmap_unmap_page(struct mem_object *o, uint64_t index, paddr_t frame);

/* Clear the A (accessed) bit of every entry mapping frame as page index of o. True
 * if any was set: the page was used since the last look (reclaim's second chance). */
bool rmap_collect_accessed(struct mem_object *o, uint64_t index, paddr_t frame);

/* How many page-table entries map frame as page index of o (for reports). */
unsigned rmap_count_mappings(struct mem_object *o, uint64_t index, paddr_t frame);

/* Does a locked region (mlock, MAP_LOCKED) map page index of o? Its page then
 * never leaves memory (reclaim of shared anonymous pages asks). */
bool rmap_is_locked(struct mem_object *o, uint64_t index);

#endif
