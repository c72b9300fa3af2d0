/*
 * fork.c — as_fork: a new address space that shares every frame of the old one.
 *
 * For each present page of the parent:
 *   MAP_SHARED region -> the child maps the same frame with the same rights;
 *   private page      -> both map the frame read-only, even if it was writable:
 *                        the first write on either side faults, and only then is
 *                        the page copied (mm/fault.c, copy_on_write).
 * Each new mapping takes a reference on the frame, so the reference count says
 * how many address spaces share it. The parent's entries made read-only are
 * flushed from the TLB (pt_protect), or the parent could go on writing through a
 * stale writable entry into a frame the child now shares.
 */
#include "fork.h"

#include "as.h"
#include "pmm.h"
#include "pt.h"
#include "vma.h"

/* Share every present page of one region with the child. 0 or -ENOMEM. */
static int share_pages(struct addr_space *parent, struct addr_space *child, const struct vma *vma)
{
    for (vaddr_t va = vma->start; pt_next_present(parent->root, va, vma->end, &va); va += PAGE_SIZE) {
        pte_t entry = *pt_lookup(parent->root, va);
        uint64_t flags = pte_flags(entry) & (PTE_WRITABLE | PTE_NX);
        if (!(vma->flags & VMA_SHARED) && pte_present(entry) && pte_writable(entry)) {
            flags &= ~PTE_WRITABLE;
            pt_protect(parent->root, va, pte_flags(entry) & ~PTE_WRITABLE & ~PTE_PRESENT);
        }
        pmm_ref(pte_frame(entry));
        if (as_map_frame(child, va, pte_frame(entry), flags) != 0) {
            pmm_unref(pte_frame(entry));
            return -1;
        }
        if (!pte_present(entry))
            pt_protect_none(child->root, va); /* a PROT_NONE page stays one */
    }
    return 0;
}

struct addr_space *as_fork(struct addr_space *parent)
{
    struct addr_space *child = as_create();
    if (child == NULL)
        return NULL;
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    for (struct avl_node *n = avl_first(&parent->vmas); n != NULL; n = avl_next(n)) {
        const struct vma *vma = avl_entry(n, struct vma, node);
        if (vma_copy(child, vma) == NULL || share_pages(parent, child, vma) != 0) {
            as_put(child);
            return NULL;
        }
    }
    return child;
}
