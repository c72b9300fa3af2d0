/*
 * anon_rmap.c — keeping each anonymous frame's list of the entries mapping it.
 */
#include "anon_rmap.h"

#include "kernel/errno.h"
#include "kernel/panic.h"
#include "pmm.h"
#include "resident.h"
#include "swap_slots.h"

/* fork and exit add and remove one record per page, so the steps they take are
 * inlined even at -Og: under QEMU's software CPU a call and its return cost about
 * as much as the step itself. */
#define PER_PAGE_STEP static inline __attribute__((always_inline))

/* ---- where the records come from ----
 *
 * A fork of a process with 16 MiB of memory adds 4096 records and the child's
 * exit removes them again, one per page. Through kmalloc each cost a size-class
 * search, interrupts off and on, a bitmap and a poisoning memset: fork + exit ran
 * 4.8 times as many instructions as without the reverse map (2.1 with this pool;
 * tests/boot/fork-cost.sh). So the records have their own pool:
 * whole frames cut into 24-byte records, the first two of which are the header
 * (its free records, how many are in use, its place on the list of frames with
 * room). Taking or giving a record is a push or pop on its frame's list. A frame
 * whose last record comes back goes straight back to the frame allocator, so the
 * free-frame count stays exact (the end-of-run check compares it). */

struct record_frame {
    struct record_frame *prev, *next; /* on the list of frames with free records */
    struct anon_map *free;            /* this frame's free records */
    uint32_t in_use;
};

/* the header takes the first two record slots; 168 records of 24 bytes follow */
#define HEADER_RECORDS                                                                             \
    ((sizeof(struct record_frame) + sizeof(struct anon_map) - 1) / sizeof(struct anon_map))
#define RECORDS_PER_FRAME (PAGE_SIZE / sizeof(struct anon_map) - HEADER_RECORDS)

static struct record_frame *with_room; /* frames with a free record; the first is used first */
static uint64_t record_frames;         /* frames the pool holds (gdb: p record_frames) */

PER_PAGE_STEP void room_link(struct record_frame *f)
{
    f->prev = NULL;
    f->next = with_room;
    if (with_room != NULL)
        with_room->prev = f;
    with_room = f;
}

PER_PAGE_STEP void room_unlink(struct record_frame *f)
{
    if (f->prev != NULL)
        f->prev->next = f->next;
    else
        with_room = f->next;
    if (f->next != NULL)
        f->next->prev = f->prev;
}

/* A new frame of free records on the list with room, or NULL (no memory). */
static struct record_frame *new_record_frame(void)
{
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    if (frame == PMM_NO_FRAME)
        return NULL;
    struct record_frame *f = phys_to_virt(frame);
    struct anon_map *records = (struct anon_map *)f;
    f->free = NULL;
    f->in_use = 0;
    for (size_t i = HEADER_RECORDS + RECORDS_PER_FRAME; i-- > HEADER_RECORDS;) {
        records[i].next = f->free;
        f->free = &records[i];
    }
    room_link(f);
    record_frames++;
    return f;
}

/* A record from the pool, or NULL when no frame is left for a new batch. */
PER_PAGE_STEP struct anon_map *record_alloc(void)
{
    struct record_frame *f = with_room != NULL ? with_room : new_record_frame();
    if (f == NULL)
        return NULL;
    struct anon_map *map = f->free;
    f->free = map->next;
    if (++f->in_use == RECORDS_PER_FRAME)
        room_unlink(f); /* full: the next record comes from another frame */
    return map;
}

/* Give map back; its frame goes back to the frame allocator when it was the last. */
PER_PAGE_STEP void record_free(struct anon_map *map)
{
    struct record_frame *f = (struct record_frame *)align_down((uint64_t)map, PAGE_SIZE);
    assert(f->in_use > 0 && f->in_use <= RECORDS_PER_FRAME,
           "anon_rmap: record %p freed, its frame counts %u in use", (void *)map, f->in_use);
    if (f->in_use == RECORDS_PER_FRAME)
        room_link(f); /* it has room again */
    map->next = f->free;
    f->free = map;
    if (--f->in_use == 0) {
        room_unlink(f);
        record_frames--;
        pmm_free(virt_to_phys(f));
    }
}

/* anon_page_of, for the per-page paths. (The zero page is a kernel frame.) */
PER_PAGE_STEP struct page *anonymous_page(paddr_t frame)
{
    pfn_t pfn = paddr_to_pfn(frame);
    struct page *page = pfn < pmm_page_count ? &pmm_pages[pfn] : NULL;
    if (page == NULL || page->state != PAGE_IN_USE || page->use != FRAME_USER ||
        page->object != NULL)
        return NULL;
    return page;
}

struct page *anon_page_of(paddr_t frame)
{
    return anonymous_page(frame);
}

/* The first entry of page gets it onto the machine's resident set (unless a
 * region's local set took it already: mm/reclaim.c). */
static void first_mapping(struct page *page)
{
    if (page->anon.set == NULL)
        resident_insert(&resident_global, page);
}

/* The last entry went: nothing maps the page, so reclaim has nothing to take
 * from anyone; it leaves its resident set. A copy kept in the swap cache is
 * dropped too (its slot still holds the same bytes, if any entry still names
 * it): unless it is being written or read right now (PG_SWAP_IO), when the I/O's
 * owner decides, or its write failed (PG_SWAP_ERROR): then the frame is the only
 * copy, kept until no entry names the slot. */
static void last_mapping_gone(struct page *page, paddr_t frame)
{
    resident_remove(page);
    if (page->anon.swap_slot != SWAP_NO_SLOT && !(page->flags & (PG_SWAP_IO | PG_SWAP_ERROR)))
        swap_cache_remove(frame);
}

/* An entry of root stopped mapping page, and others still map it. If root's
 * address space owns the local set the page is on and maps the page nowhere
 * else, the page is no longer the owner's (fork's children map it): it must
 * not fill the owner's N frames nor be chosen by its policy, so it joins the
 * machine's set, as all pages of a set do when its owner exits
 * (resident_limit_release). */
PER_PAGE_STEP void owner_may_have_left(struct page *page, paddr_t root)
{
    struct resident_set *set = page->anon.set;
    if (set == NULL || set->owner != root)
        return; /* (resident_global's owner is 0, never a root) */
    for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next)
        if (map->root == root)
            return;
    resident_remove(page);
    resident_insert(&resident_global, page);
}

int anon_rmap_add(paddr_t frame, paddr_t root, vaddr_t va)
{
    struct page *page = anonymous_page(frame);
    if (page == NULL)
        return 0; /* not anonymous: a file page is found through its object */
    struct anon_map *map = record_alloc();
    if (map == NULL)
        return -ENOMEM;
    *map = (struct anon_map){ .next = page->anon.maps, .root = root, .va = va };
    page->anon.maps = map;
    if (map->next == NULL)
        first_mapping(page);
    return 0;
}

/* Unlink and return the record of (root, va) from page's list (NULL: none). */
PER_PAGE_STEP struct anon_map *unlink(struct page *page, paddr_t root, vaddr_t va)
{
    for (struct anon_map **link = &page->anon.maps; *link != NULL; link = &(*link)->next) {
        struct anon_map *map = *link;
        if (map->root == root && map->va == va) {
            *link = map->next;
            return map;
        }
    }
    return NULL;
}

void anon_rmap_remove(paddr_t frame, paddr_t root, vaddr_t va)
{
    struct page *page = anonymous_page(frame);
    if (page == NULL)
        return;
    struct anon_map *map = unlink(page, root, va);
    assert(map != NULL, "anon_rmap_remove: frame 0x%lx has no record of %p in root 0x%lx", frame,
           (void *)va, root);
    record_free(map);
    if (page->anon.maps == NULL)
        last_mapping_gone(page, frame);
    else
        owner_may_have_left(page, root);
}

int anon_rmap_replace(paddr_t from, paddr_t to, paddr_t root, vaddr_t va)
{
    struct page *old = anon_page_of(from);
    struct page *new = anon_page_of(to);
    if (old == NULL || new == NULL) {
        /* nothing to move: record the new mapping first (it may fail), then
         * forget the old one */
        int error = anon_rmap_add(to, root, va);
        if (error == 0)
            anon_rmap_remove(from, root, va);
        return error;
    }
    struct anon_map *map = unlink(old, root, va);
    assert(map != NULL, "anon_rmap_replace: frame 0x%lx has no record of %p in root 0x%lx", from,
           (void *)va, root);
    map->next = new->anon.maps;
    new->anon.maps = map;
    if (map->next == NULL)
        first_mapping(new);
    if (old->anon.maps == NULL)
        last_mapping_gone(old, from);
    else
        owner_may_have_left(old, root);
    return 0;
}

unsigned anon_rmap_count(const struct page *page)
{
    unsigned n = 0;
    for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next)
        n++;
    return n;
}
