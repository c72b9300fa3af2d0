/*
 * rmap.c — walking an object's regions to find the entries of one of its pages.
 */
#include "rmap.h"

#include "as.h"
#include "object.h"
#include "pt.h"
#include "vma.h"

/* Where region vma maps page index of its object, or 0 if it does not. */
static vaddr_t address_in(const struct vma *vma, uint64_t index)
{
    uint64_t pages = (vma->end - vma->start) / PAGE_SIZE;
    if (index < vma->pgoff || index - vma->pgoff >= pages)
        return 0;
    return vma->start + (index - vma->pgoff) * PAGE_SIZE;
}

void rmap_unmap_from(struct mem_object *o, uint64_t first)
{
    rmap_unmap_range(o, first, UINT64_MAX);
}

void rmap_unmap_range(struct mem_object *o, uint64_t first, uint64_t end)
{
    for (struct vma *vma = o->mappers; vma != NULL; vma = vma->next_mapper) {
        uint64_t pages = (vma->end - vma->start) / PAGE_SIZE;
        if (vma->pgoff + pages <= first || vma->pgoff >= end)
            continue; /* wholly before or after the range */
        uint64_t from = first > vma->pgoff ? first - vma->pgoff : 0;
        uint64_t to = end - vma->pgoff < pages ? end - vma->pgoff : pages;
        as_unmap_range(vma->as, vma->start + from * PAGE_SIZE, vma->start + to * PAGE_SIZE);
    }
}

bool rmap_collect_dirty(struct mem_object *o, uint64_t index, paddr_t frame)
{
    bool dirty = false;
    for (struct vma *vma = o->mappers; vma != NULL; vma = vma->next_mapper) {
        vaddr_t va = (vma->flags & VMA_SHARED) ? address_in(vma, index) : 0;
        if (va != 0)
            dirty |= pt_clear_dirty(vma->as->root, va, frame);
    }
    return dirty;
}

bool rmap_collect_accessed(struct mem_object *o, uint64_t index, paddr_t frame)
{
    bool accessed = false;
    for (struct vma *vma = o->mappers; vma != NULL; vma = vma->next_mapper) {
        vaddr_t va = address_in(vma, index);
        if (va != 0)
            accessed |= pt_clear_accessed(vma->as->root, va, frame);
    }
    return accessed;
}

void rmap_unmap_page(struct mem_object *o, uint64_t index, paddr_t frame)
{
    for (struct vma *vma = o->mappers; vma != NULL; vma = vma->next_mapper) {
        vaddr_t va = address_in(vma, index);
        pte_t entry = va != 0 ? as_entry(vma->as, va) : 0;
        if (pte_holds_frame(entry) && pte_frame(entry) == frame)
            as_unmap_range(vma->as, va, va + PAGE_SIZE);
    }
}

unsigned rmap_count_mappings(struct mem_object *o, uint64_t index, paddr_t frame)
{
    unsigned count = 0;
    for (struct vma *vma = o->mappers; vma != NULL; vma = vma->next_mapper) {
        vaddr_t va = address_in(vma, index);
        pte_t entry = va != 0 ? as_entry(vma->as, va) : 0;
        count += pte_holds_frame(entry) && pte_frame(entry) == frame;
    }
    return count;
}

bool rmap_is_locked(struct mem_object *o, uint64_t index)
{
    for (struct vma *vma = o->mappers; vma != NULL; vma = vma->next_mapper)
        if ((vma->flags & VMA_LOCKED) && address_in(vma, index) != 0)
            return true;
    return false;
}
