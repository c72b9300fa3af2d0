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
 * flushed from the TLB, or the parent could go on writing through a stale
 * writable entry into a frame the child now shares. The copying itself is a
 * page-table operation: pt_clone_range, one table at a time.
 */
#include "fork.h"

#include "as.h"
#include "pmm.h"
#include "pt.h"
#include "vma.h"

struct addr_space *as_fork(struct addr_space *parent)
{
    struct addr_space *child = as_create();
    if (child == NULL)
        return NULL;
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    child->limits = parent->limits; /* a child inherits its parent's resource limits */
    as_set_program(child, parent->program);
    as_copy_layout(child, parent);
    for (struct avl_node *n = avl_first(&parent->vmas); n != NULL; n = avl_next(n)) {
        const struct vma *vma = avl_entry(n, struct vma, node);
        bool private = !(vma->flags & VMA_SHARED);
        struct vma *copy = vma_copy(child, vma);
        if (copy != NULL)
            copy->flags &= ~VMA_LOCKED; /* memory locks are not inherited (fork(2)) */
        if (copy == NULL ||
            pt_clone_range(parent->root, child->root, vma->start, vma->end, private) < 0) {
            as_put(child);
            return NULL;
        }
    }
    child->rss = child->max_rss = parent->rss; /* the very same pages */
    child->swap_pages = parent->swap_pages;    /* and the same slots */
    return child;
}
