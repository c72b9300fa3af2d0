/*
 * brk.c — growing and shrinking the heap region.
 *
 * The heap is one region, [brk_start, page-rounded brk). Moving the break only
 * changes that region: memory appears when touched (demand-zero), and is given
 * back when the break moves down, so a later grow reads zeros again.
 */
#include "brk.h"

#include "as.h"
#include "vma.h"

static struct vma *heap_region(struct addr_space *as)
{
    struct vma *vma = vma_find(as, as->brk_start);
    return vma != NULL && (vma->flags & VMA_HEAP) ? vma : NULL;
}

/* Room to grow the heap's pages to new_end: nothing else mapped there, and one
 * page to spare below the next region, as Linux requires. */
static bool room_to_grow(struct addr_space *as, vaddr_t old_end, vaddr_t new_end)
{
    struct vma *next = vma_find_after(as, old_end);
    return new_end <= USER_SPACE_END && (next == NULL || new_end + PAGE_SIZE <= next->start);
}

vaddr_t as_brk(struct addr_space *as, vaddr_t requested)
{
    if (requested < as->brk_start)
        return as->brk;
    vaddr_t old_end = align_up(as->brk, PAGE_SIZE), new_end = align_up(requested, PAGE_SIZE);
    struct vma *heap = heap_region(as);
    if (new_end > old_end) {
        if (!room_to_grow(as, old_end, new_end))
            return as->brk;
        if (heap != NULL)
            vma_set_range(as, heap, heap->start, new_end);
        else if (vma_create(as, as->brk_start, new_end, VMA_READ | VMA_WRITE, VMA_HEAP) == NULL)
            return as->brk;
    } else if (new_end < old_end) {
        as_unmap_range(as, new_end, old_end);
        if (new_end == as->brk_start)
            vma_destroy(as, heap);
        else
            vma_set_range(as, heap, heap->start, new_end);
    }
    as->brk = requested;
    return requested;
}
