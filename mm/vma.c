/*
 * vma.c — the region tree of an address space.
 */
#include "vma.h"

#include "as.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kheap.h"
#include "pte.h"
#include "object.h"

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

/* The regions grew (or shrank) by delta bytes: VmSize, and VmPeak if it is a new
 * high (as Linux's hiwater_vm). */
static void account(struct addr_space *as, int64_t delta)
{
    as->total_vm += (uint64_t)delta;
    if (as->total_vm > as->peak_vm)
        as->peak_vm = as->total_vm;
}

static int64_t size_of(vaddr_t start, vaddr_t end)
{
    return (int64_t)(end - start);
}

/* Put a new region in the tree and, if it maps an object, on its list. */
static void add(struct addr_space *as, struct vma *vma)
{
    vma->as = as;
    account(as, size_of(vma->start, vma->end));
    bool inserted = avl_insert(&as->vmas, &vma->node, compare_starts);
    assert(inserted, "vma: a region already starts at 0x%lx", vma->start);
    as->regions++;
    if (vma->object != NULL)
        object_add_mapper(vma->object, vma);
}

struct vma *vma_create_mapping(struct addr_space *as, vaddr_t start, vaddr_t end, uint32_t prot,
                               uint32_t flags, struct mem_object *object, uint64_t pgoff)
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
    *vma = (struct vma){
        .start = start, .end = end, .prot = prot, .flags = flags, .object = object, .pgoff = pgoff
    };
    if (object != NULL)
        object_get(object);
    add(as, vma);
    return vma;
}

struct vma *vma_create(struct addr_space *as, vaddr_t start, vaddr_t end, uint32_t prot,
                       uint32_t flags)
{
    if (!(flags & VMA_SHARED))
        return vma_create_mapping(as, start, end, prot, flags, NULL, 0);
    struct mem_object *object = object_create_shared_anon(end - start);
    if (object == NULL)
        return NULL;
    struct vma *vma = vma_create_mapping(as, start, end, prot, flags, object, 0);
    object_put(object); /* the region's user is the only one now */
    return vma;
}

/* A region like `like` (rights, kind, object) covering [start, end). */
static struct vma *insert_like(struct addr_space *as, const struct vma *like, vaddr_t start,
                               vaddr_t end, uint64_t pgoff)
{
    struct vma *vma = kzalloc(sizeof *vma);
    if (vma == NULL)
        return NULL;
    *vma = (struct vma){ .start = start,
                         .end = end,
                         .prot = like->prot,
                         .flags = like->flags,
                         .object = like->object,
                         .pgoff = pgoff };
    if (vma->object != NULL)
        object_get(vma->object);
    add(as, vma);
    return vma;
}

struct vma *vma_copy(struct addr_space *to, const struct vma *region)
{
    return insert_like(to, region, region->start, region->end, region->pgoff);
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
    uint64_t first = like->pgoff + (like_at - like->start) / PAGE_SIZE;
    return insert_like(as, like, start, end, first);
}

void vma_set_range(struct addr_space *as, struct vma *vma, vaddr_t start, vaddr_t end)
{
    /* the order by start cannot change: regions do not overlap */
    assert(start < end && is_page_aligned(start) && is_page_aligned(end),
           "vma_set_range: bad range 0x%lx-0x%lx", start, end);
    account(as, size_of(start, end) - size_of(vma->start, vma->end));
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
    account(as, -size_of(addr, end));
    /* the upper part maps the same object, if any, from further in */
    struct vma *upper =
        insert_like(as, vma, addr, end, vma->pgoff + (addr - vma->start) / PAGE_SIZE);
    if (upper == NULL) {
        vma->end = end;
        account(as, size_of(addr, end));
    }
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
           !(a->flags & VMA_GROWSDOWN) && a->object == b->object &&
           (a->object == NULL || a->pgoff + (a->end - a->start) / PAGE_SIZE == b->pgoff);
}

struct vma *vma_merge_neighbours(struct addr_space *as, struct vma *vma)
{
    struct vma *next = vma_next(vma), *prev = vma_prev(vma);
    if (next != NULL && alike(vma, next)) {
        vaddr_t end = next->end;
        vma_destroy(as, next);
        account(as, size_of(vma->end, end));
        vma->end = end;
    }
    if (prev != NULL && alike(prev, vma)) {
        vaddr_t end = vma->end;
        vma_destroy(as, vma);
        account(as, size_of(prev->end, end));
        prev->end = end;
        vma = prev;
    }
    return vma;
}

void vma_destroy(struct addr_space *as, struct vma *vma)
{
    avl_remove(&as->vmas, &vma->node);
    as->regions--;
    account(as, -size_of(vma->start, vma->end));
    if (vma->object != NULL) {
        object_remove_mapper(vma->object, vma);
        object_put(vma->object);
    }
    kfree(vma);
}

void vma_destroy_all(struct addr_space *as)
{
    struct avl_node *node;
    while ((node = avl_first(&as->vmas)) != NULL)
        vma_destroy(as, vma_of(node));
}

struct vma *vma_detach_all(struct addr_space *as)
{
    struct vma *detached = NULL;
    struct avl_node *node;
    while ((node = avl_first(&as->vmas)) != NULL) {
        struct vma *vma = vma_of(node);
        avl_remove(&as->vmas, node);
        as->regions--;
        account(as, -size_of(vma->start, vma->end));
        if (vma->object != NULL)
            object_remove_mapper(vma->object, vma);
        vma->next_mapper = detached;
        detached = vma;
    }
    return detached;
}

void vma_release(struct vma *detached)
{
    while (detached != NULL) {
        struct vma *next = detached->next_mapper;
        if (detached->object != NULL)
            object_put(detached->object);
        kfree(detached);
        detached = next;
    }
}

uint64_t vma_pte_flags(const struct vma *vma)
{
    return PTE_USER | ((vma->prot & VMA_WRITE) ? PTE_WRITABLE : 0) |
           ((vma->prot & VMA_EXEC) ? 0 : PTE_NX);
}
