/*
 * test_vma_place.c — where new mappings go (mm/place.c) on the host. Pictures
 * end just below MMAP_TOP (tests/host/vma_layout.h); a placed mapping is drawn
 * as "r", and its position given as a page number in the picture.
 */
#include "check.h"
#include "kernel_shim.h"
#include "mm/as.h"
#include "mm/place.h"
#include "mm/vma.h"
#include "vma_layout.h"

static vaddr_t base; /* page 0 of the current picture */

static struct addr_space *space(const char *picture)
{
    base = layout_below_mmap_top(picture);
    return layout_space(base, picture);
}

/* Place a mapping of that many pages (with a hint, 0 for none) and map it
 * read-only; its page number in the picture, or -1 if there was no room. */
static long place(struct addr_space *as, vaddr_t hint, size_t pages)
{
    vaddr_t at = place_mapping(as, hint, pages * PAGE_SIZE);
    if (at == 0)
        return -1;
    CHECK(vma_create(as, at, at + pages * PAGE_SIZE, VMA_READ, 0) != NULL, "0x%lx was not free",
          at);
    return ((long)at - (long)base) / (long)PAGE_SIZE;
}

/* Unmap the region at page i, telling the placement, as munmap does. */
static void unmap(struct addr_space *as, long i)
{
    struct vma *vma = vma_find(as, base + (vaddr_t)i * PAGE_SIZE);
    vaddr_t end = vma->end;
    vma_destroy(as, vma);
    place_note_freed(as, end);
}

TEST(place_top_down_in_an_empty_space)
{
    struct addr_space *as = space("........");
    CHECK_EQ(place(as, 0, 2), 6);
    CHECK_EQ(place(as, 0, 1), 5);
    CHECK_EQ(place(as, 0, 3), 2);
    CHECK_LAYOUT(as, base, "..rrr|r|rr");
    layout_free(as);
}

/*   page  0 1 2 3 4 5 6 7 8 9
 *         w w . . . . w w . .     2 pages: 8-9; then 3 pages: 3-5; then 1 page: 2 */
TEST(place_at_the_top_of_the_highest_gap_that_fits)
{
    struct addr_space *as = space("ww....ww..");
    CHECK_EQ(place(as, 0, 2), 8);
    CHECK_EQ(place(as, 0, 3), 3);
    CHECK_EQ(place(as, 0, 1), 2);
    CHECK_LAYOUT(as, base, "wwr|rrrwwrr");
    layout_free(as);
}

/* A hint is taken if the range there is free and inside the mmap area. */
TEST(place_takes_a_free_hint)
{
    struct addr_space *as = space("....ww....");
    CHECK_EQ(place(as, base + 1 * PAGE_SIZE, 2), 1);     /* free: taken */
    CHECK_EQ(place(as, base + 3 * PAGE_SIZE, 2), 8);     /* overlaps page 4: top-down */
    CHECK_EQ(place(as, base + 6 * PAGE_SIZE - 1, 1), 6); /* unaligned: rounded up */
    CHECK_LAYOUT(as, base, ".rr.wwr.rr");
    layout_free(as);
}

/* Where one mapping goes in an empty address space, given a hint. */
static vaddr_t place_alone(vaddr_t hint, size_t len)
{
    struct addr_space *as = space("");
    vaddr_t at = place_mapping(as, hint, len);
    layout_free(as);
    return at;
}

TEST(place_ignores_hints_outside_the_user_area)
{
    CHECK_EQ(place_alone(USER_MIN_ADDRESS - PAGE_SIZE, PAGE_SIZE), MMAP_TOP - PAGE_SIZE);
    CHECK_EQ(place_alone(USER_MIN_ADDRESS, PAGE_SIZE), USER_MIN_ADDRESS);
    CHECK_EQ(place_alone(1, PAGE_SIZE), MMAP_TOP - PAGE_SIZE); /* rounds up to page 1 */
    CHECK_EQ(place_alone(USER_MAP_END - PAGE_SIZE, 2 * PAGE_SIZE), MMAP_TOP - 2 * PAGE_SIZE);
    CHECK_EQ(place_alone(USER_MAP_END - PAGE_SIZE, PAGE_SIZE), USER_MAP_END - PAGE_SIZE);
    CHECK_EQ(place_alone(~0ul - 100, PAGE_SIZE), MMAP_TOP - PAGE_SIZE); /* rounds up to 0 */
    CHECK_EQ(place_alone(0xffff800000000000ul, PAGE_SIZE), MMAP_TOP - PAGE_SIZE);
    CHECK_EQ(place_alone(0x0000900000000000ul, PAGE_SIZE), MMAP_TOP - PAGE_SIZE);
}

/* Freeing above the cached search start moves it up: the hole is found again. */
TEST(place_finds_a_freed_hole_again)
{
    struct addr_space *as = space("..rr..rrrr");
    CHECK_EQ(place(as, 0, 2), 4);
    unmap(as, 6);
    CHECK_LAYOUT(as, base, "..rr|rr....");
    CHECK_EQ(place(as, 0, 4), 6);
    layout_free(as);
}

/*   page  0 1 2 3 4 5 6 7
 *         . . . . r r . r     2 pages skip the hole at 6 and go to 2-3; a later
 *                             request of 1 page fits that hole: search from the top */
TEST(place_remembers_a_hole_it_skipped)
{
    struct addr_space *as = space("....rr.r");
    CHECK_EQ(place(as, 0, 2), 2);
    CHECK_EQ(as->cached_hole_size, PAGE_SIZE);
    CHECK_EQ(place(as, 0, 1), 6);
    CHECK_EQ(place(as, 0, 1), 1); /* the cache again: below the last one placed */
    CHECK_LAYOUT(as, base, ".r|rr|rr|r|r");
    layout_free(as);
}

/* Nothing free below the cached start: the search starts once more at the top. */
TEST(place_searches_again_from_the_top)
{
    struct addr_space *as = space("......");
    vma_create(as, USER_MIN_ADDRESS, base, VMA_READ | VMA_WRITE, 0); /* everything below is full */
    as->free_area_cache = base;
    as->cached_hole_size = 0;
    CHECK_EQ(place(as, 0, 2), 4);
    CHECK_EQ(as->free_area_cache, base + 4 * PAGE_SIZE);
    layout_free(as);
}

TEST(place_says_0_when_there_is_no_room)
{
    struct addr_space *as = space("");
    CHECK_EQ(place_mapping(as, 0, MMAP_TOP - USER_MIN_ADDRESS + PAGE_SIZE), 0);
    CHECK_EQ(place_mapping(as, 0, MMAP_TOP - USER_MIN_ADDRESS), USER_MIN_ADDRESS); /* just fits */
    vma_create(as, USER_MIN_ADDRESS, MMAP_TOP, VMA_READ, 0);
    CHECK_EQ(place_mapping(as, 0, PAGE_SIZE), 0);
    CHECK_EQ(place_mapping(as, USER_MIN_ADDRESS, PAGE_SIZE), 0); /* the hint is taken too */
    layout_free(as);
}

/* Map and unmap two pages 10,000 times below 1,000 regions with one-page gaps:
 * once freed, the hole is where the next search starts (the cache), so each
 * search stops at once, and the place stays the same. */
TEST(place_reuses_the_same_hole)
{
    struct addr_space *as = space("");
    for (int i = 0; i < 1000; i++)
        vma_create(as, MMAP_TOP - (vaddr_t)(2 * i + 2) * PAGE_SIZE,
                   MMAP_TOP - (vaddr_t)(2 * i + 1) * PAGE_SIZE, VMA_READ, 0);
    vaddr_t first = place_mapping(as, 0, 2 * PAGE_SIZE);
    place_note_freed(as, first + 2 * PAGE_SIZE);
    int same = 0;
    for (int i = 0; i < 10000; i++) {
        vaddr_t at = place_mapping(as, 0, 2 * PAGE_SIZE);
        place_note_freed(as, at + 2 * PAGE_SIZE);
        same += at == first;
    }
    CHECK_EQ(same, 10000);
    CHECK_EQ(first, MMAP_TOP - 2002 * PAGE_SIZE);
    layout_free(as);
}
