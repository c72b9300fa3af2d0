/*
 * regions.c — copying a process's regions and counting their pages (regions.h).
 */
#include "regions.h"

#include "kernel/errno.h"
#include "kernel/fs/file_pages.h"
#include "kernel/fs/inode.h"
#include "kernel/proc.h"
#include "lib/string.h"
#include "mm/as.h"
#include "mm/as_walk.h"
#include "mm/fault.h"
#include "mm/kheap.h"
#include "mm/object.h"
#include "mm/page_cache.h"
#include "mm/pmm.h"
#include "mm/swap_slots.h"
#include "mm/vma.h"

/* The device numbers in a mount's st_dev (stat_makedev's encoding). */
static uint32_t dev_major(uint64_t dev)
{
    return (uint32_t)((dev >> 8) & 0xfff);
}

static uint32_t dev_minor(uint64_t dev)
{
    return (uint32_t)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

/* What names an anonymous region: the heap is the one holding the break (as
 * Linux decides: it starts at or below brk and ends at or above brk_start), the
 * stack the one that grows down. */
static enum region_name anonymous_name(const struct addr_space *as, const struct vma *vma)
{
    if (vma->flags & VMA_GROWSDOWN)
        return NAME_STACK;
    if (as->brk > as->brk_start && vma->start <= as->brk && vma->end >= as->brk_start)
        return NAME_HEAP;
    return NAME_NONE;
}

/* One region's record: its range, rights, and what it maps. */
static void describe(const struct addr_space *as, const struct vma *vma, struct region *r)
{
    *r = (struct region){
        .start = vma->start, .end = vma->end, .prot = vma->prot, .flags = vma->flags
    };
    struct inode *file = file_pages_inode(vma->object);
    if (vma->object != NULL)
        r->offset = vma->pgoff * PAGE_SIZE;
    if (file != NULL) {
        r->name = NAME_FILE;
        r->file = inode_ref(file);
        r->major = dev_major(file->mount->dev);
        r->minor = dev_minor(file->mount->dev);
        r->ino = file->ino;
    } else if (vma->object != NULL && vma->object == as->program) {
        r->name = NAME_PROGRAM; /* a boot module: in memory, on no device */
    } else if (vma->object != NULL) {
        r->name = NAME_SHARED;
        r->minor = 1; /* Linux's shmem device, 00:01 */
    } else {
        r->name = anonymous_name(as, vma);
    }
}

/* How many page-table entries map m's frame: its reference count, less the page
 * cache's own reference when the frame is an object's page (sys_vmstat.c counts
 * the same way). */
static uint32_t frame_mappers(const struct mapping *m)
{
    const struct page *page = pmm_page(m->frame);
    bool cached = page->object != NULL || swap_cache_slot_of(m->frame) != SWAP_NO_SLOT;
    uint32_t mappers = cached && page->refcount > 1 ? page->refcount - 1 : page->refcount;
    return mappers > 0 ? mappers : 1;
}

/* The walk's state: the record of the region being walked. */
struct counting {
    struct region *list;
    size_t count, at;
};

/* One page holding a frame, counted as Linux's smaps_account counts it: RSS
 * whole, PSS as its share (PAGE_SIZE / mappers), shared when another entry maps
 * the frame too, dirty when the CPU wrote through the entry, the page cache
 * holds it dirty, or it is anonymous (it exists nowhere else). The zero page is
 * nobody's: left out, as from RSS. */
/* A swapped-out page of the region being walked: Swap, and SwapPss (the slot
 * shared by every entry naming it, as Pss shares a frame). */
static void count_swapped(void *ctx, vaddr_t va, uint64_t slot, const struct vma *vma)
{
    struct counting *c = ctx;
    (void)vma;
    while (c->at < c->count && c->list[c->at].end <= va)
        c->at++;
    if (c->at == c->count)
        return;
    struct region_usage *u = &c->list[c->at].usage;
    uint32_t sharers = swap_slot_users(slot);
    u->swap += PAGE_SIZE;
    u->swap_pss += ((uint64_t)PAGE_SIZE << PSS_SHIFT) / (sharers > 0 ? sharers : 1);
}

static void count_page(void *ctx, const struct mapping *m)
{
    struct counting *c = ctx;
    while (c->at < c->count && c->list[c->at].end <= m->va)
        c->at++;
    if (c->at == c->count || m->frame == zero_page_frame())
        return;
    struct region_usage *u = &c->list[c->at].usage;
    const struct page *page = pmm_page(m->frame);
    bool anonymous = page->object == NULL;
    bool dirty = anonymous || m->dirty || (page->flags & PG_DIRTY);
    uint32_t mappers = frame_mappers(m);
    uint64_t share = ((uint64_t)PAGE_SIZE << PSS_SHIFT) / mappers;
    u->rss += PAGE_SIZE;
    u->pss += share;
    if (c->list[c->at].flags & VMA_LOCKED)
        u->locked += share;
    u->pss_dirty += dirty ? share : 0;
    if (anonymous)
        u->pss_anon += share;
    else if (page->object->ops->keep_pages)
        u->pss_shmem += share; /* shared anonymous memory: Linux's shmem */
    else
        u->pss_file += share; /* a file's page, or a boot module's */
    uint64_t *bucket = mappers > 1 ? (dirty ? &u->shared_dirty : &u->shared_clean)
                                   : (dirty ? &u->private_dirty : &u->private_clean);
    *bucket += PAGE_SIZE;
    /* Referenced, like Linux's smaps: used since anyone last took the A bit (the
     * entry's A or PTE_WS_USED), or since the page was last weighed by a policy
     * (PG_REFERENCED: the working-set sampler took its A bit) */
    bool referenced = m->accessed || (page->flags & PG_REFERENCED);
    u->referenced += referenced ? PAGE_SIZE : 0;
    u->anonymous += anonymous ? PAGE_SIZE : 0;
}

/* Pages of a MAP_SHARED|MAP_ANONYMOUS region that are out are in its object's
 * slots, not in swap entries: Swap counts them (Linux's smaps does the same for
 * shmem, without SwapPss; VmSwap, which counts swap entries, leaves them out). */
static void count_object_swap(struct addr_space *as, struct regions *r)
{
    size_t i = 0;
    for (struct vma *vma = vma_find_after(as, 0); vma != NULL && i < r->count;
         vma = vma_next(vma), i++) {
        if (vma->object == NULL || vma->object->ops->slot_of == NULL)
            continue;
        uint64_t pages = (vma->end - vma->start) / PAGE_SIZE;
        r->list[i].usage.swap += object_swapped_in(vma->object, vma->pgoff, pages) * PAGE_SIZE;
    }
}

int regions_collect(struct proc *p, bool count_pages, struct regions *r)
{
    *r = (struct regions){ 0 };
    struct addr_space *as = p->as;
    if (as == NULL || as->regions == 0)
        return 0;
    r->list = kzalloc(as->regions * sizeof *r->list);
    if (r->list == NULL)
        return -ENOMEM;
    for (struct vma *vma = vma_find_after(as, 0); vma != NULL; vma = vma_next(vma))
        describe(as, vma, &r->list[r->count++]);
    if (as->layout.path != NULL) {
        size_t n = strlen(as->layout.path->text) + 1;
        r->program_path = kmalloc(n);
        if (r->program_path != NULL)
            memcpy(r->program_path, as->layout.path->text, n);
    }
    if (count_pages) {
        struct counting c = { r->list, r->count, 0 };
        struct as_visitor visitor = { .page = count_page, .swap = count_swapped, .ctx = &c };
        as_walk(as, &visitor);
        count_object_swap(as, r);
    }
    return 0;
}

void regions_free(struct regions *r)
{
    for (size_t i = 0; i < r->count; i++)
        inode_put(r->list[i].file);
    kfree(r->list);
    kfree(r->program_path);
    *r = (struct regions){ 0 };
}
