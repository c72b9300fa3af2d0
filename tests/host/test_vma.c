/*
 * test_vma.c — the region tree of an address space (mm/vma.c) on the host, under
 * ASan and UBSan. Each case is drawn as a picture, one character per page from
 * LAYOUT_BASE up (tests/host/vma_layout.h): "w" read-write, "r" read-only,
 * "s" shared, "g" a stack, "." nothing, "|" two regions that were not merged.
 */
#include "check.h"
#include "kernel_shim.h"
#include "mm/as.h"
#include "mm/pte.h"
#include "mm/object.h"
#include "mm/vma.h"
#include "vma_layout.h"

/* The page number of an address in a picture drawn at LAYOUT_BASE. */
static long page_of(vaddr_t va)
{
    return (long)(va - LAYOUT_BASE) / (long)PAGE_SIZE;
}

TEST(vma_layout_draws_what_it_built)
{
    static const char *pictures[] = { "", "....", "ww", "..ww|ww..rr.n.x", "ss|ss..gggg", "w|w|w" };
    for (size_t i = 0; i < sizeof pictures / sizeof pictures[0]; i++) {
        struct addr_space *as = layout_space(LAYOUT_BASE, pictures[i]);
        CHECK_LAYOUT(as, LAYOUT_BASE, pictures[i]);
        layout_free(as);
    }
}

/*   page  0 1 2 3 4 5 6 7 8
 *         . . w w . r r . .      */
TEST(vma_find_by_address)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "..ww.rr..");
    CHECK(vma_find(as, PAGE_AT(1)) == NULL, "page 1 is in no region");
    CHECK_EQ(page_of(vma_find(as, PAGE_AT(2))->start), 2);
    CHECK_EQ(page_of(vma_find(as, PAGE_AT(4) - 1)->start), 2); /* the last byte of page 3 */
    CHECK(vma_find(as, PAGE_AT(4)) == NULL, "page 4 is a hole");
    CHECK_EQ(page_of(vma_find_after(as, PAGE_AT(4))->start), 5);
    CHECK_EQ(page_of(vma_find_after(as, PAGE_AT(3))->start), 2); /* ends above page 3 */
    CHECK(vma_find_after(as, PAGE_AT(7)) == NULL, "nothing ends above page 7");
    CHECK(vma_find_intersection(as, PAGE_AT(4), PAGE_AT(5)) == NULL, "[4, 5) is free");
    CHECK_EQ(page_of(vma_find_intersection(as, PAGE_AT(4), PAGE_AT(6))->start), 5);
    CHECK_EQ(page_of(vma_find_intersection(as, PAGE_AT(0), PAGE_AT(9))->start), 2);
    CHECK(vma_find(as, 0) == NULL && vma_find(as, ~0ul) == NULL, "the ends of the address space");
    struct vma *w = vma_find(as, PAGE_AT(2)), *r = vma_next(w);
    CHECK(r != NULL && page_of(r->start) == 5 && vma_prev(r) == w && vma_prev(w) == NULL &&
              vma_next(r) == NULL,
          "neighbours in address order");
    layout_free(as);
}

/* A region may not overlap another: vma_create says NULL and changes nothing. */
TEST(vma_create_refuses_overlaps)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "..wwww..");
    CHECK(vma_create(as, PAGE_AT(1), PAGE_AT(3), VMA_READ, 0) == NULL, "overlapping the start");
    CHECK(vma_create(as, PAGE_AT(5), PAGE_AT(7), VMA_READ, 0) == NULL, "overlapping the end");
    CHECK(vma_create(as, PAGE_AT(3), PAGE_AT(4), VMA_READ, 0) == NULL, "inside");
    CHECK(vma_create(as, PAGE_AT(0), PAGE_AT(8), VMA_READ, 0) == NULL, "around");
    CHECK_LAYOUT(as, LAYOUT_BASE, "..wwww..");
    CHECK(vma_create(as, PAGE_AT(6), PAGE_AT(8), VMA_READ, 0) != NULL, "touching is fine");
    CHECK(vma_create(as, PAGE_AT(0), PAGE_AT(2), VMA_READ | VMA_EXEC, 0) != NULL, "touching below");
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxwwwwrr");
    layout_free(as);
}

TEST(vma_create_asserts_on_a_bad_range)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "");
    CHECK(EXPECT_PANIC(vma_create(as, PAGE_AT(2), PAGE_AT(2), VMA_READ, 0)), "an empty range");
    CHECK(EXPECT_PANIC(vma_create(as, PAGE_AT(2), PAGE_AT(1), VMA_READ, 0)), "a reversed range");
    CHECK(EXPECT_PANIC(vma_create(as, PAGE_AT(2) + 1, PAGE_AT(3), VMA_READ, 0)), "unaligned");
    CHECK_STR(shim_panic_message, "vma_create: bad range 0x10002001-0x10003000");
    layout_free(as);
}

/*   ..wwwwww..   split at page 4   ->   ..ww|wwww..   */
TEST(vma_split_cuts_in_two)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "..wwwwww..");
    struct vma *lower = vma_find(as, PAGE_AT(2));
    struct vma *upper = vma_split(as, lower, PAGE_AT(4));
    CHECK_LAYOUT(as, LAYOUT_BASE, "..ww|wwww..");
    CHECK(upper != NULL && page_of(upper->start) == 4 && page_of(upper->end) == 8,
          "the upper part");
    CHECK(page_of(lower->start) == 2 && page_of(lower->end) == 4,
          "the lower part keeps its record");
    CHECK(EXPECT_PANIC(vma_split(as, lower, PAGE_AT(2))), "a split at the start");
    CHECK(EXPECT_PANIC(vma_split(as, lower, PAGE_AT(4))), "a split at the end");
    CHECK_STR(shim_panic_message, "vma_split: 0x10004000 not inside 0x10002000-0x10004000");
    layout_free(as);
}

/*   ww|ww|ww   merging the middle one   ->   wwwwww   */
TEST(vma_merge_joins_alike_neighbours)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "ww|ww|ww..wwrr");
    struct vma *merged = vma_merge_neighbours(as, vma_find(as, PAGE_AT(2)));
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwwwww..wwrr");
    CHECK(page_of(merged->start) == 0 && page_of(merged->end) == 6, "one region over pages 0-5");
    vma_merge_neighbours(as, vma_find(as, PAGE_AT(8)));
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwwwww..wwrr"); /* a hole or other rights: no merge */
    CHECK_EQ(as->vmas.count, 3);
    layout_free(as);
}

/* Stacks never merge (each grows on its own), and neither do the shared regions
 * of two different objects. */
TEST(vma_merge_leaves_stacks_and_other_objects_apart)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "gg|gg.ss|ss");
    vma_merge_neighbours(as, vma_find(as, PAGE_AT(0)));
    vma_merge_neighbours(as, vma_find(as, PAGE_AT(5)));
    CHECK_LAYOUT(as, LAYOUT_BASE, "gg|gg.ss|ss");
    layout_free(as);
}

/* A shared region split and merged again: the same object, the pages in order. */
TEST(vma_merge_rejoins_a_split_shared_region)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "ssssss");
    struct vma *lower = vma_find(as, PAGE_AT(0));
    struct mem_object *object = lower->object;
    struct vma *upper = vma_split(as, lower, PAGE_AT(2));
    CHECK(upper->object == object && upper->pgoff == 2 && object->refs == 2,
          "the upper part shows the object from page 2 (pgoff %lu, refcount %u)", upper->pgoff,
          object->refs);
    CHECK_LAYOUT(as, LAYOUT_BASE, "ss|ssss");
    vma_merge_neighbours(as, upper);
    CHECK_LAYOUT(as, LAYOUT_BASE, "ssssss");
    CHECK_EQ(object->refs, 1);
    layout_free(as);
}

/*   page  0 1 2 3 4 5 6 7 8 9 a b c d
 *         . . w w w w w w . . r r r r      cut [4, 12)
 *         . . w w|w w w w . . r r|r r      */
TEST(vma_cut_splits_the_regions_at_both_ends)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "..wwwwww..rrrr");
    CHECK_EQ(vma_cut(as, PAGE_AT(4), PAGE_AT(12)), 0);
    CHECK_LAYOUT(as, LAYOUT_BASE, "..ww|wwww..rr|rr");
    CHECK_EQ(vma_cut(as, PAGE_AT(4), PAGE_AT(12)), 0); /* already cut: nothing to do */
    CHECK_EQ(vma_cut(as, PAGE_AT(8), PAGE_AT(10)), 0); /* a hole: nothing to do */
    CHECK_EQ(vma_cut(as, PAGE_AT(5), PAGE_AT(6)), 0);  /* one page out of the middle */
    CHECK_LAYOUT(as, LAYOUT_BASE, "..ww|w|w|ww..rr|rr");
    CHECK_EQ(as->vmas.count, 6);
    layout_free(as);
}

/* vma_create_like: mremap's new region, elsewhere, like the old one as seen from
 * one of its pages: for a shared region, the object's pages from there on. */
TEST(vma_create_like_copies_rights_and_the_shared_offset)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "ssssss......xx");
    struct vma *shared = vma_find(as, PAGE_AT(0));
    struct vma *copy = vma_create_like(as, shared, PAGE_AT(3), PAGE_AT(7), PAGE_AT(9));
    CHECK_LAYOUT(as, LAYOUT_BASE, "ssssss.ss...xx");
    CHECK(copy->object == shared->object && copy->pgoff == 3 && shared->object->refs == 2,
          "the copy shows the object from page 3 (pgoff %lu, refcount %u)", copy->pgoff,
          shared->object->refs);
    CHECK(vma_create_like(as, shared, PAGE_AT(0), PAGE_AT(8), PAGE_AT(13)) == NULL,
          "onto another region");
    struct vma *code = vma_find(as, PAGE_AT(12));
    CHECK(vma_create_like(as, code, PAGE_AT(13), PAGE_AT(10), PAGE_AT(12)) != NULL,
          "a private one");
    CHECK_LAYOUT(as, LAYOUT_BASE, "ssssss.ss.xx|xx"); /* created apart: not merged */
    CHECK(EXPECT_PANIC(vma_create_like(as, code, PAGE_AT(14), PAGE_AT(20), PAGE_AT(21))),
          "like_at outside like");
    layout_free(as);
}

/* fork's copy: same ranges and rights; a shared region shares its object. */
TEST(vma_copy_shares_the_object)
{
    struct addr_space *parent = layout_space(LAYOUT_BASE, "xx.wwrr.ss");
    struct addr_space *child = layout_space(LAYOUT_BASE, "");
    for (struct vma *v = vma_find_after(parent, 0); v != NULL; v = vma_next(v))
        CHECK(vma_copy(child, v) != NULL, "copy of 0x%lx", v->start);
    CHECK_LAYOUT(child, LAYOUT_BASE, "xx.wwrr.ss");
    struct vma *mine = vma_find(parent, PAGE_AT(9)), *its = vma_find(child, PAGE_AT(9));
    CHECK(mine->object == its->object && mine->object->refs == 2, "one object, two regions");
    layout_free(parent);
    CHECK_EQ(its->object->refs, 1);
    layout_free(child);
}

TEST(vma_set_range_asserts_on_a_bad_range)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "ww");
    struct vma *vma = vma_find(as, PAGE_AT(0));
    CHECK(EXPECT_PANIC(vma_set_range(as, vma, PAGE_AT(1), PAGE_AT(1))), "empty");
    CHECK(EXPECT_PANIC(vma_set_range(as, vma, PAGE_AT(1), 0)), "an end that wrapped to 0");
    vma_set_range(as, vma, PAGE_AT(0), PAGE_AT(3));
    CHECK_LAYOUT(as, LAYOUT_BASE, "www");
    layout_free(as);
}

TEST(vma_pte_flags_follow_the_rights)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "w.r.x.n");
    CHECK_EQ(vma_pte_flags(vma_find(as, PAGE_AT(0))), PTE_USER | PTE_WRITABLE | PTE_NX);
    CHECK_EQ(vma_pte_flags(vma_find(as, PAGE_AT(2))), PTE_USER | PTE_NX);
    CHECK_EQ(vma_pte_flags(vma_find(as, PAGE_AT(4))), PTE_USER);
    CHECK_EQ(vma_pte_flags(vma_find(as, PAGE_AT(6))), PTE_USER | PTE_NX);
    layout_free(as);
}

/* Many regions: lookups stay right (the tree stays balanced: lib/avl.c's tests). */
TEST(vma_many_regions)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, "");
    enum { REGIONS = 1000 };
    for (int i = REGIONS - 1; i >= 0; i--)
        vma_create(as, PAGE_AT(2 * i), PAGE_AT(2 * i + 1), VMA_READ, 0);
    CHECK_EQ(as->vmas.count, REGIONS);
    int wrong = 0;
    for (int i = 0; i < REGIONS; i++) {
        struct vma *next = vma_find_after(as, PAGE_AT(2 * i + 1));
        bool last = i + 1 == REGIONS;
        wrong += vma_find(as, PAGE_AT(2 * i)) == NULL || vma_find(as, PAGE_AT(2 * i + 1)) != NULL ||
                 (last ? next != NULL : next == NULL || page_of(next->start) != 2 * i + 2);
    }
    CHECK(wrong == 0, "%d of %d regions not found where they are", wrong, REGIONS);
    layout_free(as);
}
