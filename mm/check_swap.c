/*
 * check_swap.c — recounting the reverse map, the resident sets and swap slots.
 */
#include "check_swap.h"

#include "anon_rmap.h"
#include "as.h"
#include "as_walk.h"
#include "kernel/printk.h"
#include "kheap.h"
#include "lib/string.h"
#include "object.h"
#include "pmm.h"
#include "pmm_internal.h"
#include "pt.h"
#include "resident.h"
#include "resident_limit.h"
#include "swap_slots.h"
#include "vma.h"

#define MAX_REPORTS 5

struct swap_recount {
    struct addr_space *as;         /* the space being walked */
    uint64_t swap_entries;         /* its swap entries */
    const struct as_visitor *also; /* the caller's visitor, in the same walk */
    uint64_t matched;              /* entries of anonymous frames found in the frames' lists */
    uint64_t on_local;             /* anonymous frames on some set other than resident_global */
    uint32_t *users;               /* users[slot]: swap entries found naming it (NULL: no room) */
    uint64_t slots;                /* the size of users */
    unsigned mismatches;
};

static void report(struct swap_recount *r, const char *what, uint64_t a, uint64_t b, uint64_t c)
{
    if (r->mismatches++ < MAX_REPORTS)
        kprintf("mm check: %s (0x%lx, %lu, %lu)\n", what, a, b, c);
}

/* An entry mapping an anonymous frame must be in the frame's list. A frame in the
 * swap cache is what its slot holds (reclaim evicts it again without writing), so
 * no entry may let it be written or say it was. The caller's visitor sees the
 * entry first (the same walk recounts the frames' references). */
static void check_mapping(void *ctx, const struct mapping *m)
{
    struct swap_recount *r = ctx;
    r->also->page(r->also->ctx, m);
    struct page *page = anon_page_of(m->frame);
    if (page == NULL)
        return;
    if (page->anon.swap_slot != SWAP_NO_SLOT && (m->writable || m->dirty))
        report(r,
               "swap cache frame mapped writable or dirty: its slot's copy is stale (frame, va, "
               "slot)",
               m->frame, m->va, page->anon.swap_slot);
    for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next) {
        if (map->root == r->as->root && map->va == m->va) {
            r->matched++;
            return;
        }
    }
    report(r, "anonymous frame's reverse map lacks an entry mapping it (frame, va, root)", m->frame,
           m->va, r->as->root);
}

/* Only private pages go to swap (a MAP_SHARED region's pages belong to its
 * object: the page cache), so only a private region has swap entries, or lost
 * pages' marks (mm/pte.h). */
static void check_private(struct swap_recount *r, const char *what, vaddr_t va,
                          const struct vma *vma)
{
    if (vma->flags & VMA_SHARED)
        report(r, what, va, vma->start, vma->end);
}

static void count_swap_entry(void *ctx, vaddr_t va, uint64_t slot, const struct vma *vma)
{
    struct swap_recount *r = ctx;
    check_private(r, "swap entry in a MAP_SHARED region (va, start, end)", va, vma);
    r->swap_entries++;
    if (r->users != NULL && slot < r->slots)
        r->users[slot]++;
    else if (r->users != NULL)
        report(r, "swap entry beyond the area (va, slot, slots)", va, slot, r->slots);
}

static void check_lost(void *ctx, vaddr_t va, const struct vma *vma)
{
    check_private(ctx, "lost page's mark in a MAP_SHARED region (va, start, end)", va, vma);
}

/* The records of an anonymous frame's list that name no entry mapping it. */
static void check_records(struct swap_recount *r, const struct page *page, paddr_t frame)
{
    for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next) {
        pte_t *e = pt_lookup(map->root, map->va);
        if (e == NULL || !pte_holds_frame(*e) || pte_frame(*e) != frame)
            report(r, "reverse-map record names an entry not mapping the frame (frame, va, root)",
                   frame, map->va, map->root);
    }
}

/* Every record of every anonymous frame's list must be an entry mapping it.
 * check_mapping found each entry's own record in its frame's list (matched of
 * them): if the lists hold no more records than that, each frame's list is
 * exactly its entries. Only if they hold more are the records looked up one by
 * one, to name the frames whose lists are wrong. */
static void check_all_records(struct swap_recount *r, uint64_t records)
{
    if (records == r->matched)
        return;
    unsigned before = r->mismatches;
    for (pfn_t pfn = 0; pfn < pmm_pool.page_count; pfn++) {
        paddr_t frame = pfn_to_paddr(pfn);
        if (anon_page_of(frame) != NULL)
            check_records(r, &pmm_pool.pages[pfn], frame);
    }
    if (r->mismatches == before)
        report(r,
               "reverse-map lists hold more records than the entries found in them (0, "
               "records, found)",
               0, records, r->matched);
}

/* The frame is on a resident set exactly when its reverse-map list is not
 * empty; the records are checked by check_all_records. Returns the frames on
 * resident_global. */
static uint64_t check_lists(struct swap_recount *r)
{
    uint64_t on_sets = 0, records = 0;
    for (pfn_t pfn = 0; pfn < pmm_pool.page_count; pfn++) {
        struct page *page = &pmm_pool.pages[pfn];
        paddr_t frame = pfn_to_paddr(pfn);
        if (anon_page_of(frame) == NULL)
            continue;
        for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next)
            records++;
        /* mapped: on a set; on a set unmapped: a read-ahead page in the swap cache */
        bool mapped = page->anon.maps != NULL, on_set = page->anon.set != NULL;
        if (mapped != on_set && !(on_set && page->anon.swap_slot != SWAP_NO_SLOT))
            report(r,
                   "anonymous frame off its resident set, or on it for nothing (frame, "
                   "mapped, on a set)",
                   frame, mapped, on_set);
        on_sets += page->anon.set == &resident_global;
        r->on_local += on_set && page->anon.set != &resident_global;
    }
    check_all_records(r, records);
    return on_sets;
}

/* Does page have an entry of as mapping it inside the limited range? */
static bool mapped_in_range(const struct page *page, const struct addr_space *as,
                            const struct resident_limit *limit)
{
    for (const struct anon_map *map = page->anon.maps; map != NULL; map = map->next)
        if (map->root == as->root && map->va >= limit->start && map->va < limit->end)
            return true;
    return false;
}

/* A local resident set (mm/resident_limit.h): every page in its circle says it
 * is on this set and is mapped by as inside the limited range; the circle holds
 * set.count pages, at most set.limit. Returns set.count (0: no limit). */
static uint64_t check_local_set(struct swap_recount *r, struct addr_space *as)
{
    const struct resident_limit *limit = as->resident_limit;
    if (limit == NULL)
        return 0;
    const struct resident_set *set = &limit->set; /* (past its limit only if swap is full) */
    uint64_t found = 0;
    struct page *first = resident_at_hand(set);
    /* the circle, once round; never more than count + 1 steps if it is broken */
    for (struct page *page = first; page != NULL && found <= set->count;) {
        found++;
        paddr_t frame = pfn_to_paddr((pfn_t)(page - pmm_pool.pages));
        if (page->anon.set != set)
            report(r, "page in a local set's circle is on another set (frame, as, its set)", frame,
                   (uint64_t)as, (uint64_t)page->anon.set);
        if (!mapped_in_range(page, as, limit))
            report(r, "page of a local set not mapped in its limited range (frame, start, end)",
                   frame, limit->start, limit->end);
        page = resident_next(page);
        if (page == first)
            break;
    }
    if (found != set->count)
        report(r, "local resident set's count differs from its circle (as, count, found)",
               (uint64_t)as, set->count, found);
    return set->count;
}

/* A slot a swap-backed object (shared anonymous memory) holds a page in: one
 * user, as an entry naming it. */
static void count_object_slot(void *ctx, uint64_t slot)
{
    struct swap_recount *r = ctx;
    if (r->users != NULL && slot < r->slots)
        r->users[slot]++;
    else if (r->users != NULL)
        report(r, "shared anonymous object's slot beyond the area (slot, slots, 0)", slot, r->slots,
               0);
}

struct slot_compare {
    struct swap_recount *r;
    uint32_t *expected;
};

static void compare_slot(void *ctx, uint64_t slot, uint32_t users, paddr_t cached)
{
    struct slot_compare *c = ctx;
    struct swap_recount *r = c->r;
    uint32_t found = r->users != NULL && slot < r->slots ? r->users[slot] : users;
    if (r->users != NULL && slot < r->slots)
        r->users[slot] = 0; /* seen: what is left afterwards names a free slot */
    if (users != found)
        report(r,
               "swap slot's users differ from the swap entries and objects naming it (slot, users, "
               "found)",
               slot, users, found);
    if (cached == PMM_NO_FRAME)
        return;
    c->expected[paddr_to_pfn(cached)]++; /* the swap cache's reference */
    struct page *page = pmm_page(cached);
    /* nothing names the slot: the frame is a clean copy, so it must be mapped */
    if (users == 0 && !(page->flags & PG_SWAP_IO) && page->anon.maps == NULL)
        report(r, "swap cache holds an unmapped frame for a slot nothing names (frame, slot, 0)",
               cached, slot, 0);
    if (page->flags & PG_SWAP_READ)
        c->expected[paddr_to_pfn(cached)]++; /* the reading fault's, until it maps it */
    if (page->object != NULL || page->anon.swap_slot != slot)
        report(r, "swap cache frame does not record its slot (frame, slot, recorded)", cached, slot,
               page->object != NULL ? 0 : page->anon.swap_slot);
}

/* The slots' recount array, kept from one check to the next and grown to the
 * largest area seen, as mm/check.c keeps the frames' recount: the checks run
 * after every reap, and the moments memory is exhausted -- swap soaks at 24 MiB
 * -- are exactly when a fresh allocation of it fails and the check is skipped.
 * At least a page, so that it takes whole frames (mm_check_swap_reserved_frames
 * counts them). */
static uint32_t *reserved_users;
static uint64_t reserved_slots;
static bool reserving; /* mm_check_reserve was called: the checks are on */

bool mm_check_swap_reserve(void)
{
    reserving = true;
    uint64_t slots = swap_area_pages();
    if (slots <= reserved_slots)
        return true;
    uint64_t bytes = slots * sizeof *reserved_users;
    uint32_t *users = kmalloc(bytes > PAGE_SIZE ? bytes : PAGE_SIZE);
    if (users == NULL)
        return false;
    kfree(reserved_users);
    reserved_users = users;
    reserved_slots = bytes > PAGE_SIZE ? slots : PAGE_SIZE / sizeof *reserved_users;
    return true;
}

void mm_check_swap_area_enabled(void)
{
    if (reserving && !mm_check_swap_reserve())
        kprintf("mmcheck: no memory to reserve the swap slots' recount; each check will try\n");
}

uint64_t mm_check_swap_reserved_frames(void)
{
    uint64_t bytes = reserved_slots * sizeof *reserved_users;
    return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

unsigned mm_check_swap(struct addr_space *const *spaces, size_t count, uint32_t *expected,
                       const struct as_visitor *also)
{
    struct swap_recount r = { .slots = swap_area_pages(), .also = also };
    r.users = swap_area_active() && mm_check_swap_reserve()
                  ? memset(reserved_users, 0, r.slots * sizeof *r.users)
                  : NULL;
    if (swap_area_active() && r.users == NULL)
        kprintf("mm check: no memory to recount swap slots; their users not compared\n");
    for (size_t i = 0; i < count; i++) {
        r.as = spaces[i];
        r.swap_entries = 0;
        struct as_visitor visitor = {
            .page = check_mapping, .swap = count_swap_entry, .lost = check_lost, .ctx = &r
        };
        as_walk(spaces[i], &visitor);
        if (r.swap_entries != spaces[i]->swap_pages)
            report(&r,
                   "address space's swap_pages differ from its swap entries (as, counted, "
                   "found)",
                   (uint64_t)spaces[i], spaces[i]->swap_pages, r.swap_entries);
    }
    uint64_t on_sets = check_lists(&r);
    if (on_sets != resident_global.count)
        report(&r, "resident set's count differs from the pages on it (set, count, found)",
               (uint64_t)&resident_global, resident_global.count, on_sets);
    uint64_t local_counts = 0;
    for (size_t i = 0; i < count; i++)
        local_counts += check_local_set(&r, spaces[i]);
    if (local_counts != r.on_local)
        report(&r, "pages on local sets differ from the local sets' counts (0, counts, found)", 0,
               local_counts, r.on_local);
    object_for_each_swap_slot(count_object_slot, &r);
    struct slot_compare c = { .r = &r, .expected = expected };
    swap_for_each_used(compare_slot, &c);
    for (uint64_t slot = 1; r.users != NULL && slot < r.slots; slot++)
        if (r.users[slot] != 0)
            report(&r, "swap entries name a free slot (slot, entries, 0)", slot, r.users[slot], 0);
    return r.mismatches;
}
