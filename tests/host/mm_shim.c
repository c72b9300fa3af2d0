/*
 * mm_shim.c — stand-ins for what mm/'s region code calls below it, so that
 * vma.c, place.c, brk.c, mmap.c and mremap.c run in the host tests (test_vma*).
 *
 * On the host an address space has regions but never any pages: nothing ever
 * faults them in. So the page-table walk finds nothing present, unmapping a
 * range has nothing to drop, and every call that only makes sense for a present
 * page stops the test (a region operation that reaches one is a bug here). The
 * kernel heap is the C library's, so ASan sees every use of a freed region.
 */
#include <stdlib.h>

#include "kernel/panic.h"
#include "mm/as.h"
#include "mm/fault.h"
#include "mm/kheap.h"
#include "mm/page_cache.h"
#include "mm/pageout.h"
#include "mm/pt.h"
#include "mm/swap_slots.h"

void *kmalloc(size_t size)
{
    return malloc(size);
}

void *kzalloc(size_t size)
{
    return calloc(1, size);
}

void kfree(void *ptr)
{
    free(ptr);
}

/* No pages: nothing to unmap. */
void as_unmap_range(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    (void)as;
    (void)start;
    (void)end;
}

bool pt_next_present(paddr_t root, vaddr_t from, vaddr_t end, vaddr_t *found)
{
    (void)root;
    (void)from;
    (void)end;
    (void)found;
    return false;
}

bool pt_next_used(paddr_t root, vaddr_t from, vaddr_t end, vaddr_t *found)
{
    return pt_next_present(root, from, end, found); /* no swap entries either */
}

int pt_map_swap(paddr_t root, vaddr_t va, pte_t swap_entry)
{
    (void)root;
    panic("mm_shim: pt_map_swap(0x%lx, 0x%lx) with no pages present", va, swap_entry);
}

void swap_slot_dup(uint64_t slot)
{
    panic("mm_shim: swap_slot_dup(%lu) with no swap", slot);
}

void swap_slot_put(uint64_t slot)
{
    panic("mm_shim: swap_slot_put(%lu) with no swap", slot);
}

pte_t *pt_lookup(paddr_t root, vaddr_t va)
{
    (void)root;
    panic("mm_shim: pt_lookup(0x%lx) with no pages present", va);
}

int pt_map(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags)
{
    (void)root;
    panic("mm_shim: pt_map(0x%lx, frame 0x%lx, flags 0x%lx) with no pages present", va, pa, flags);
}

pte_t pt_unmap(paddr_t root, vaddr_t va)
{
    (void)root;
    panic("mm_shim: pt_unmap(0x%lx) with no pages present", va);
}

bool pt_protect(paddr_t root, vaddr_t va, uint64_t flags)
{
    (void)root;
    panic("mm_shim: pt_protect(0x%lx, 0x%lx) with no pages present", va, flags);
}

bool pt_protect_none(paddr_t root, vaddr_t va)
{
    (void)root;
    panic("mm_shim: pt_protect_none(0x%lx) with no pages present", va);
}

paddr_t zero_page_frame(void)
{
    panic("mm_shim: zero_page_frame with no pages present");
}

struct fault_outcome mm_handle_fault(struct addr_space *as, const struct fault_info *fault,
                                     struct vm_counters *counters)
{
    (void)as;
    (void)counters;
    panic("mm_shim: a fault at 0x%lx: the host tests fault nothing in (no MAP_POPULATE)",
          fault->address);
}

/* No pages: an object has none to drop or read ahead. */
void page_cache_drop_all(struct mem_object *o)
{
    (void)o;
}

void page_cache_read_ahead(struct mem_object *o, uint64_t first, uint64_t count)
{
    (void)o;
    (void)first;
    (void)count;
}

void page_cache_punch_hole(struct mem_object *o, uint64_t first, uint64_t end)
{
    (void)o;
    (void)first;
    (void)end;
}

/* No pages: none to page out. */
void mm_pageout(struct addr_space *as, vaddr_t from, vaddr_t to)
{
    (void)as;
    (void)from;
    (void)to;
}

/* No pages: none to make cold. */
void mm_cold(struct addr_space *as, vaddr_t from, vaddr_t to)
{
    (void)as;
    (void)from;
    (void)to;
}
