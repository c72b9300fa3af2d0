/*
 * anon_rmap.c — keeping each anonymous frame's list of the entries mapping it.
 */
#include "anon_rmap.h"

#include "fault.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kheap.h"
#include "pmm.h"
#include "resident.h"
#include "swap_slots.h"

struct page *anon_page_of(paddr_t frame)
{
    struct page *page = pmm_page(frame);
    if (page == NULL || page->state != PAGE_IN_USE || page->use != FRAME_USER ||
        page->object != NULL || frame == zero_page_frame())
        return NULL;
    return page;
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

int anon_rmap_add(paddr_t frame, paddr_t root, vaddr_t va)
{
    struct page *page = anon_page_of(frame);
    if (page == NULL)
        return 0; /* not anonymous: a file page is found through its object */
    struct anon_map *map = kmalloc(sizeof *map);
    if (map == NULL)
        return -ENOMEM;
    *map = (struct anon_map){ .next = page->anon.maps, .root = root, .va = va };
    page->anon.maps = map;
    if (map->next == NULL)
        first_mapping(page);
    return 0;
}

/* Unlink and return the record of (root, va) from page's list (NULL: none). */
static struct anon_map *unlink(struct page *page, paddr_t root, vaddr_t va)
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
    struct page *page = anon_page_of(frame);
    if (page == NULL)
        return;
    struct anon_map *map = unlink(page, root, va);
    assert(map != NULL, "anon_rmap_remove: frame 0x%lx has no record of %p in root 0x%lx", frame,
           (void *)va, root);
    kfree(map);
    if (page->anon.maps == NULL)
        last_mapping_gone(page, frame);
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
    return 0;
}

unsigned anon_rmap_count(const struct page *page)
{
    unsigned n = 0;
    for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next)
        n++;
    return n;
}
