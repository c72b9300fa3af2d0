/*
 * place.c — choosing the address of a new mapping.
 *
 * As on Linux, mappings are placed top-down: at the top of the highest gap big
 * enough below MMAP_TOP (the stack and its room to grow lie above it):
 *
 *   USER_MIN_ADDRESS                                   MMAP_TOP
 *   | program | heap | ...... free ...... | A |.| B |. . .|
 *                                                     ^^^  2 pages go here
 *                         4 pages here  ^^^^^^^  (the gaps above A are too small)
 *
 * Searching from the top every time would walk every region already placed;
 * instead a search starts where the last one ended (free_area_cache), unless a
 * hole skipped above it (cached_hole_size) could hold the request. Mappings made
 * and freed one after another thus cost O(log n) each; a search that finds
 * nothing from the cache starts once more from the top.
 */
#include "place.h"

#include "as.h"
#include "vma.h"

/* The last region that starts below x, or NULL. */
static struct vma *last_region_below(struct addr_space *as, vaddr_t x)
{
    struct vma *v = vma_find_after(as, x - 1);
    if (v == NULL) {
        struct avl_node *last = avl_last(&as->vmas);
        return last != NULL ? avl_entry(last, struct vma, node) : NULL;
    }
    return v->start < x ? v : vma_prev(v);
}

/* The highest gap of len bytes below top; 0 if none. *largest_skipped grows to
 * the largest smaller gap passed on the way. */
static vaddr_t search_down(struct addr_space *as, vaddr_t top, size_t len, size_t *largest_skipped)
{
    for (struct vma *v = last_region_below(as, top);; v = vma_prev(v)) {
        as->placement_steps++;
        vaddr_t floor = v != NULL ? v->end : USER_MIN_ADDRESS;
        if (top >= floor && top - floor >= len)
            return top - len;
        if (top > floor && top - floor > *largest_skipped)
            *largest_skipped = top - floor;
        if (v == NULL)
            return 0;
        if (v->start < top)
            top = v->start;
    }
}

/* Top-down search, from the cache when it can be trusted. 0 if no room. */
static vaddr_t find_gap(struct addr_space *as, size_t len)
{
    vaddr_t from = as->free_area_cache != 0 ? as->free_area_cache : MMAP_TOP;
    if (len <= as->cached_hole_size) {
        from = MMAP_TOP;
        as->cached_hole_size = 0;
    }
    size_t skipped = as->cached_hole_size;
    vaddr_t start = search_down(as, from, len, &skipped);
    if (start == 0 && from != MMAP_TOP) {
        skipped = 0;
        start = search_down(as, MMAP_TOP, len, &skipped);
    }
    if (start != 0) {
        as->free_area_cache = start;
        as->cached_hole_size = skipped;
    }
    return start;
}

vaddr_t place_mapping(struct addr_space *as, vaddr_t hint, size_t len)
{
    hint = align_up(hint, PAGE_SIZE); /* a hint near 2^64 becomes 0: no hint */
    if (hint >= USER_MIN_ADDRESS && hint <= USER_MAP_END - len &&
        vma_find_intersection(as, hint, hint + len) == NULL)
        return hint;
    return find_gap(as, len);
}

void place_note_freed(struct addr_space *as, vaddr_t end)
{
    /* searches start at the cache: it must lie above the hole */
    if (as->free_area_cache != 0 && end > as->free_area_cache) {
        as->free_area_cache = end < MMAP_TOP ? end : MMAP_TOP;
        as->cached_hole_size = 0;
    }
}
