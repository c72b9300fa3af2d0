/*
 * page_out.c — where a page that holds no frame is (page_out.h).
 */
#include "page_out.h"

#include "as.h"
#include "object.h"
#include "pte.h"
#include "swap_slots.h"
#include "vma.h"

/* A page of shared anonymous memory with an empty entry: what its object's slot
 * map says of it. */
static enum page_out object_page_out(const struct vma *vma, vaddr_t va)
{
    const struct mem_object *o = vma->object;
    uint64_t index = vma->pgoff + (va - vma->start) / PAGE_SIZE;
    if (o->ops->slot_of(o, index) != SWAP_NO_SLOT)
        return PAGE_OUT_SWAPPED;
    return object_page_lost(o, index) ? PAGE_OUT_LOST : PAGE_OUT_NONE;
}

enum page_out page_out_state(struct addr_space *as, const struct vma *vma, vaddr_t va)
{
    pte_t entry = as_entry(as, va);
    if (pte_is_swap(entry))
        return PAGE_OUT_SWAPPED;
    if (pte_is_lost(entry))
        return PAGE_OUT_LOST;
    if (pte_in_use(entry) || vma->object == NULL || vma->object->ops->slot_of == NULL)
        return PAGE_OUT_NONE; /* a frame; or memory whose entries would say so */
    return object_page_out(vma, va);
}
