/*
 * vma.c — the region tree of an address space.
 */
#include "vma.h"

#include "as.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kheap.h"
#include "pte.h"
#include "shared_anon.h"

static struct vma *vma_of(struct avl_node *node)
{
    return node != NULL ? avl_entry(node, struct vma, node) : NULL;
}

/* Regions never overlap, so ordering by start orders them completely. */
static int compare_starts(const struct avl_node *a, const struct avl_node *b)
{
    vaddr_t x = vma_of((struct avl_node *)a)->start, y = vma_of((struct avl_node *)b)->start;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* For lookups by address: a region "matches" the address it contains; an address
 * comes before a region that starts above it and after one that ends at or below it. */
static int compare_address(const void *key, const struct avl_node *node)
{
    vaddr_t va = *(const vaddr_t *)key;
    const struct vma *vma = vma_of((struct avl_node *)node);
    return va < vma->start ? -1 : va >= vma->end ? 1 : 0;
}

struct vma *vma_find(struct addr_space *as, vaddr_t va)
{
    return vma_of(avl_find(&as->vmas, &va, compare_address));
}

struct vma *vma_find_after(struct addr_space *as, vaddr_t va)
{
    return vma_of(avl_lower_bound(&as->vmas, &va, compare_address));
}

struct vma *vma_find_intersection(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    struct vma *vma = vma_find_after(as, start);
    return vma != NULL && vma->start < end ? vma : NULL;
}

struct vma *vma_prev(struct vma *vma)
{
    return vma_of(avl_prev(&vma->node));
}

struct vma *vma_next(struct vma *vma)
{
    return vma_of(avl_next(&vma->node));
}

struct vma *vma_create(struct addr_space *as, vaddr_t start, vaddr_t end, uint32_t prot,
                       uint32_t flags)
{
    assert(start < end && is_page_aligned(start) && is_page_aligned(end),
           "vma_create: bad range 0x%lx-0x%lx", start, end);
    if (vma_find_intersection(as, start, end) != NULL)
        return NULL; /* would overlap */
    if (as->regions > VMA_MAX_COUNT)
        return NULL; /* Linux's mmap checks "more than the limit" */
    struct vma *vma = kzalloc(sizeof *vma);
    if (vma == NULL)
        return NULL;
    *vma = (struct vma){ .start = start, .end = end, .prot = prot, .flags = flags };
    if (flags & VMA_SHARED) {
        vma->shared = shared_anon_create((end - start) / PAGE_SIZE);
        if (vma->shared == NULL) {
            kfree(vma);
            return NULL;
        }
    }
    bool inserted = avl_insert(&as->vmas, &vma->node, compare_starts);
    assert(inserted, "vma_create: a region already starts at 0x%lx", start);
    as->regions++;
    return vma;
}

/* A region like `like` (rights, kind, shared object) covering [start, end). */
static struct vma *insert_like(struct addr_space *as, const struct vma *like, vaddr_t start,
                               vaddr_t end, size_t shared_first)
{
    struct vma *vma = kzalloc(sizeof *vma);
    if (vma == NULL)
        return NULL;
    *vma = (struct vma){ .start = start,
                         .end = end,
                         .prot = like->prot,
                         .flags = like->flags,
                         .shared = like->shared,
                         .shared_first = shared_first };
    if (vma->shared != NULL)
        shared_anon_get(vma->shared);
    bool inserted = avl_insert(&as->vmas, &vma->node, compare_starts);
    assert(inserted, "vma: a region already starts at 0x%lx", start);
    as->regions++;
    return vma;
}

struct vma *vma_copy(struct addr_space *to, const struct vma *region)
{
    return insert_like(to, region, region->start, region->end, region->shared_first);
}

struct vma *vma_create_like(struct addr_space *as, const struct vma *like, vaddr_t like_at,
                            vaddr_t start, vaddr_t end)
{
    assert(start < end && is_page_aligned(start) && is_page_aligned(end) &&
               like_at >= like->start && like_at < like->end,
           "vma_create_like: 0x%lx-0x%lx like 0x%lx in 0x%lx-0x%lx", start, end, like_at,
           like->start, like->end);
    if (vma_find_intersection(as, start, end) != NULL || as->regions >= VMA_MAX_COUNT)
        return NULL;
    size_t first = like->shared_first + (like_at - like->start) / PAGE_SIZE;
    return insert_like(as, like, start, end, first);
}

void vma_set_range(struct addr_space *as, struct vma *vma, vaddr_t start, vaddr_t end)
{
    (void)as; /* the order by start cannot change: regions do not overlap */
    assert(start < end && is_page_aligned(start) && is_page_aligned(end),
           "vma_set_range: bad range 0x%lx-0x%lx", start, end);
    vma->start = start;
    vma->end = end;
}

struct vma *vma_split(struct addr_space *as, struct vma *vma, vaddr_t addr)
{
    assert(addr > vma->start && addr < vma->end && is_page_aligned(addr),
           "vma_split: 0x%lx not inside 0x%lx-0x%lx", addr, vma->start, vma->end);
    if (as->regions >= VMA_MAX_COUNT)
        return NULL; /* Linux's split checks "as many as the limit" */
    vaddr_t end = vma->end;
    vma->end = addr; /* shrink first, so that the upper part does not overlap */
    /* the upper part uses the same shared object, if any, from further in */
    struct vma *upper =
        insert_like(as, vma, addr, end, vma->shared_first + (addr - vma->start) / PAGE_SIZE);
    if (upper == NULL)
        vma->end = end;
    return upper;
}

int vma_cut(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    struct vma *vma = vma_find(as, start);
    if (vma != NULL && vma->start < start && vma_split(as, vma, start) == NULL)
        return -ENOMEM;
    vma = vma_find(as, end - 1);
    if (vma != NULL && vma->end > end && vma_split(as, vma, end) == NULL)
        return -ENOMEM;
    return 0;
}

static bool alike(const struct vma *a, const struct vma *b)
{
    return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
           !(a->flags & VMA_GROWSDOWN) && a->shared == b->shared &&
           (a->shared == NULL ||
            a->shared_first + (a->end - a->start) / PAGE_SIZE == b->shared_first);
}

struct vma *vma_merge_neighbours(struct addr_space *as, struct vma *vma)
{
    struct vma *next = vma_next(vma), *prev = vma_prev(vma);
    if (next != NULL && alike(vma, next)) {
        vaddr_t end = next->end;
        vma_destroy(as, next);
        vma->end = end;
    }
    if (prev != NULL && alike(prev, vma)) {
        vaddr_t end = vma->end;
        vma_destroy(as, vma);
        prev->end = end;
        vma = prev;
    }
    return vma;
}

void vma_destroy(struct addr_space *as, struct vma *vma)
{
    avl_remove(&as->vmas, &vma->node);
    as->regions--;
    if (vma->shared != NULL)
        shared_anon_put(vma->shared);
    kfree(vma);
}

void vma_destroy_all(struct addr_space *as)
{
    struct avl_node *node;
    while ((node = avl_first(&as->vmas)) != NULL)
        vma_destroy(as, vma_of(node));
}

uint64_t vma_pte_flags(const struct vma *vma)
{
    return PTE_USER | ((vma->prot & VMA_WRITE) ? PTE_WRITABLE : 0) |
           ((vma->prot & VMA_EXEC) ? 0 : PTE_NX);
}
