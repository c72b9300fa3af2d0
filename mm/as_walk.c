/*
 * as_walk.c — one walk over an address space's page tables and regions.
 */
#include "as_walk.h"

#include "as.h"
#include "pt.h"
#include "vma.h"

struct region_walk {
    const struct vma *vma;
    const struct as_visitor *visitor;
};

/* One entry in use of the region: a lost page's mark, a swap entry or a frame. */
static void visit_entry(void *ctx, vaddr_t va, pte_t entry)
{
    const struct region_walk *w = ctx;
    const struct as_visitor *visitor = w->visitor;
    if (pte_is_lost(entry)) {
        if (visitor->lost != NULL)
            visitor->lost(visitor->ctx, va, w->vma);
        return;
    }
    if (pte_is_swap(entry)) {
        if (visitor->swap != NULL)
            visitor->swap(visitor->ctx, va, pte_swap_slot(entry), w->vma);
        return;
    }
    if (visitor->page == NULL)
        return;
    struct mapping m = {
        .va = va,
        .frame = pte_frame(entry),
        .present = pte_present(entry),
        .writable = pte_present(entry) && pte_writable(entry),
        .accessed = pte_accessed(entry) || pte_ws_used(entry),
        .dirty = pte_dirty(entry),
        .vma = w->vma,
    };
    visitor->page(visitor->ctx, &m);
}

/* The pages of one region that hold a frame, a swap slot or a lost page's mark:
 * pt_for_each_used skips whole missing tables, so a huge, mostly untouched region
 * costs little, and descends once per page table, so a full one costs little more
 * than its entries. */
static void walk_region(struct addr_space *as, const struct vma *vma,
                        const struct as_visitor *visitor)
{
    struct region_walk w = { .vma = vma, .visitor = visitor };
    pt_for_each_used(as->root, vma->start, vma->end, visit_entry, &w);
}

static void visit_table(paddr_t frame, void *visitor)
{
    const struct as_visitor *v = visitor;
    v->table(v->ctx, frame);
}

void as_walk(struct addr_space *as, const struct as_visitor *visitor)
{
    if (visitor->table != NULL)
        pt_for_each_user_table(as->root, visit_table, (void *)visitor);
    for (struct avl_node *n = avl_first(&as->vmas); n != NULL; n = avl_next(n)) {
        const struct vma *vma = avl_entry(n, struct vma, node);
        if (visitor->page != NULL || visitor->swap != NULL || visitor->lost != NULL)
            walk_region(as, vma, visitor);
        if (visitor->object != NULL && vma->object != NULL)
            visitor->object(visitor->ctx, vma->object);
    }
}
