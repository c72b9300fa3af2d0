/*
 * kheap.c — kmalloc/kfree on slabs and whole pages.
 *
 * For each size class we keep a list of slabs that still have room. A slab that
 * fills up leaves the list; one that empties is given back to the frame
 * allocator. A slab's struct page is marked PG_SLAB with its class, so kfree can
 * find the slab of any pointer from its frame alone.
 */
#include "kheap.h"

#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "kernel_pt.h"
#include "kvmap.h"
#include "lib/string.h"
#include "pmm.h"
#include "pt.h"
#include "slab.h"

#define PG_SLAB         (1u << 0) /* struct page flag: this frame is a slab */
#define PG_LARGE_BLOCK  (1u << 1) /* struct page flag: first frame of a large block */
#define CALLER_NAME_MAX 64

static struct slab *with_room[KHEAP_CLASSES];
static struct kheap_stats stats;

static unsigned size_class(size_t size)
{
    unsigned c = 0;
    while (((size_t)SLAB_MIN_OBJECT << c) < size)
        c++;
    return c;
}

static struct slab *new_slab(unsigned c)
{
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    if (frame == PMM_NO_FRAME)
        return NULL;
    struct page *page = pmm_page(frame);
    page->flags |= PG_SLAB;
    page->kheap_info = c;
    struct slab *slab = phys_to_virt(frame);
    slab_init(slab, (size_t)SLAB_MIN_OBJECT << c);
    slab->next = with_room[c];
    with_room[c] = slab;
    stats.slabs++;
    return slab;
}

static void *alloc_small(unsigned c)
{
    uint64_t flags = irq_save();
    struct slab *slab = with_room[c] != NULL ? with_room[c] : new_slab(c);
    void *object = slab != NULL ? slab_alloc(slab) : NULL;
    if (object != NULL) {
        stats.objects[c]++;
        if (slab_full(slab))
            with_room[c] = slab->next; /* it is the head: the list's first slab */
    }
    irq_restore(flags);
    return object;
}

static void *alloc_large(size_t size)
{
    size_t pages = align_up(size, PAGE_SIZE) / PAGE_SIZE;
    vaddr_t block = kvmap_alloc(KVMAP_LARGE_BLOCKS, pages);
    if (block == 0)
        return NULL;
    paddr_t first;
    pt_translate(kernel_root(), block, &first);
    struct page *page = pmm_page(first);
    page->flags |= PG_LARGE_BLOCK;
    page->kheap_info = (uint32_t)pages;
    uint64_t flags = irq_save();
    stats.large_blocks++;
    stats.large_pages += pages;
    irq_restore(flags);
    return (void *)block;
}

void *kmalloc(size_t size)
{
    if (size <= SLAB_MAX_OBJECT)
        return alloc_small(size_class(size));
    return alloc_large(size);
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

static void unlink_slab(struct slab *slab, unsigned c)
{
    for (struct slab **link = &with_room[c]; *link != NULL; link = &(*link)->next) {
        if (*link == slab) {
            *link = slab->next;
            return;
        }
    }
}

static void __attribute__((noreturn)) bad_free(void *ptr, const char *why, void *caller)
{
    char who[CALLER_NAME_MAX];
    panic("kfree: %p %s (caller %s)", ptr, why, ksym_format((uint64_t)caller, who, sizeof who));
}

static void free_small(struct page *page, void *ptr, void *caller)
{
    unsigned c = page->kheap_info;
    struct slab *slab = (struct slab *)align_down((vaddr_t)ptr, PAGE_SIZE);
    assert(slab->magic == SLAB_MAGIC, "kfree: slab at %p has a corrupt header", (void *)slab);
    bool was_full = slab_full(slab);
    switch (slab_free(slab, ptr)) {
    case SLAB_NOT_AN_OBJECT: bad_free(ptr, "is not the start of a kmalloc object", caller);
    case SLAB_DOUBLE_FREE: bad_free(ptr, "was freed twice", caller);
    case SLAB_FREED: break;
    }
    stats.objects[c]--;
    if (was_full) {
        slab->next = with_room[c]; /* it has room again */
        with_room[c] = slab;
    }
    /* An empty slab goes back to the frame allocator, unless it is the only one
     * with room in its class: keeping one avoids a frame round trip for an
     * alloc/free pair, and lets a double free of its objects be recognised. */
    if (slab_empty(slab) && !(with_room[c] == slab && slab->next == NULL)) {
        unlink_slab(slab, c);
        stats.slabs--;
        pmm_free(virt_to_phys(slab));
    }
}

static void free_large(void *ptr, void *caller)
{
    paddr_t frame;
    if (!pt_translate(kernel_root(), (vaddr_t)ptr, &frame))
        bad_free(ptr, "is not mapped (freed twice?)", caller);
    struct page *page = pmm_page(frame);
    if (!is_page_aligned((vaddr_t)ptr) || !(page->flags & PG_LARGE_BLOCK))
        bad_free(ptr, "is not the start of a large kmalloc block", caller);
    size_t pages = page->kheap_info;
    kvmap_free(KVMAP_LARGE_BLOCKS, (vaddr_t)ptr, pages);
    stats.large_blocks--;
    stats.large_pages -= pages;
}

void kfree(void *ptr)
{
    void *caller = __builtin_return_address(0);
    vaddr_t v = (vaddr_t)ptr;
    if (ptr == NULL)
        return;
    uint64_t flags = irq_save();
    if (kvmap_contains(KVMAP_LARGE_BLOCKS, v)) {
        free_large(ptr, caller);
    } else {
        struct page *page =
            v >= DIRECT_MAP_BASE && v < KVMAP_BASE ? pmm_page(virt_to_phys(ptr)) : NULL;
        if (page != NULL && page->state == PAGE_FREE)
            bad_free(ptr, "points into a free frame (freed twice?)", caller);
        if (page == NULL || page->state != PAGE_IN_USE || !(page->flags & PG_SLAB))
            bad_free(ptr, "was not returned by kmalloc", caller);
        free_small(page, ptr, caller);
    }
    irq_restore(flags);
}

struct kheap_stats kheap_stats(void)
{
    struct kheap_stats s = stats;
    /* Usually only the head of a list can be empty, kept as its class's only slab
     * with room; but a full slab that regains room goes in front of it. */
    for (unsigned c = 0; c < KHEAP_CLASSES; c++) {
        for (struct slab *slab = with_room[c]; slab != NULL; slab = slab->next)
            s.empty_slabs += slab_empty(slab);
    }
    return s;
}
