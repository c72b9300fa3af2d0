/*
 * test_vma_remap.c — what mmap, munmap, mprotect and mremap do to the regions
 * (mm/mmap.c, mm/mremap.c) on the host, drawn as pictures (vma_layout.h). There
 * are no pages here (tests/host/mm_shim.c): these are the region decisions, the
 * pages are the differential tests' business (tests/musl/). Under ASan, a region
 * record used after it was freed stops the test.
 */
#include "check.h"
#include "kernel/errno.h"
#include "kernel_shim.h"
#include "mm/as.h"
#include "mm/mmap.h"
#include "mm/object.h"
#include "mm/vma.h"
#include "vma_layout.h"

#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4
#define MOVE_TO          (MREMAP_MAYMOVE | MREMAP_FIXED)
#define RW               (PROT_READ | PROT_WRITE)
#define PRIVATE          (MAP_PRIVATE | MAP_ANONYMOUS)
#define PAGES(n)         ((size_t)(n)*PAGE_SIZE)

static struct addr_space *space(const char *picture)
{
    return layout_space(LAYOUT_BASE, picture);
}

/*   w w w w r r r r   mmap(MAP_FIXED) of pages 2-5, read + execute   ->   w w x x x x r r */
TEST(mmap_fixed_replaces_what_was_there)
{
    struct addr_space *as = space("wwwwrrrr");
    CHECK_EQ(mm_mmap(as, PAGE_AT(2), PAGES(4), PROT_READ | PROT_EXEC, PRIVATE | MAP_FIXED),
             PAGE_AT(2));
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwxxxxrr");
    CHECK_EQ(mm_mmap(as, PAGE_AT(6), PAGES(1), RW, PRIVATE | MAP_FIXED_NOREPLACE), -EEXIST);
    CHECK_EQ(mm_mmap(as, PAGE_AT(8), PAGES(1), RW, PRIVATE | MAP_FIXED), PAGE_AT(8));
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwxxxxrrw"); /* read-only, then read-write: not merged */
    CHECK_EQ(mm_mmap(as, PAGE_AT(9), PAGES(1), RW, PRIVATE | MAP_FIXED), PAGE_AT(9));
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwxxxxrrww"); /* merged with the one below */
    CHECK_EQ(as->vmas.count, 4);
    CHECK_EQ(mm_mmap(as, USER_MIN_ADDRESS - PAGE_SIZE, PAGES(1), RW, PRIVATE | MAP_FIXED), -EPERM);
    CHECK_EQ(mm_mmap(as, USER_MAP_END - PAGE_SIZE, PAGES(2), RW, PRIVATE | MAP_FIXED), -ENOMEM);
    layout_free(as);
}

/*   w w w w w w   munmap of pages 2-3   ->   w w . . w w */
TEST(munmap_cuts_a_hole)
{
    struct addr_space *as = space("wwwwww.rr");
    CHECK_EQ(mm_munmap(as, PAGE_AT(2), PAGES(2)), 0);
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww..ww.rr");
    CHECK_EQ(mm_munmap(as, PAGE_AT(5), PAGES(3)), 0); /* a region's end, a hole, a start */
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww..w...r");
    CHECK_EQ(mm_munmap(as, PAGE_AT(2) + 1, PAGES(1)), -EINVAL);
    CHECK_EQ(mm_munmap(as, PAGE_AT(2), 0), -EINVAL);
    CHECK_EQ(mm_munmap(as, PAGE_AT(2), -PAGE_SIZE), -EINVAL);
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww..w...r");
    layout_free(as);
}

/*   w w w w w w   read-only pages 2-3   ->   w w r r w w   and back   ->   w w w w w w */
TEST(mprotect_splits_and_merges_again)
{
    struct addr_space *as = space("wwwwww");
    CHECK_EQ(mm_mprotect(as, PAGE_AT(2), PAGES(2), PROT_READ), 0);
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwrrww");
    CHECK_EQ(as->vmas.count, 3);
    CHECK_EQ(mm_mprotect(as, PAGE_AT(2), PAGES(2), RW), 0);
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwwwww");
    CHECK_EQ(as->vmas.count, 1);
    layout_free(as);
}

/*   w w . w w   read-only over the hole: the part before it changes, then ENOMEM */
TEST(mprotect_stops_at_a_hole)
{
    struct addr_space *as = space("ww.ww");
    CHECK_EQ(mm_mprotect(as, PAGE_AT(0), PAGES(5), PROT_READ), -ENOMEM);
    CHECK_LAYOUT(as, LAYOUT_BASE, "rr.ww");
    layout_free(as);
}

TEST(mprotect_and_madvise_refuse_ranges_that_wrap)
{
    struct addr_space *as = space("wwww");
    CHECK_EQ(mm_mprotect(as, PAGE_AT(0), -PAGE_SIZE, PROT_READ), -ENOMEM);
    CHECK_EQ(mm_mprotect(as, PAGE_AT(0), ~0ul, PROT_READ), -ENOMEM);
    CHECK_EQ(mm_mprotect(as, -PAGE_SIZE, PAGES(1), PROT_READ), -ENOMEM);
    /* the wrap is checked before the unknown bit; a zero length before both */
    CHECK_EQ(mm_mprotect(as, PAGE_AT(0), -PAGE_SIZE, 0x100), -ENOMEM);
    CHECK_EQ(mm_mprotect(as, PAGE_AT(0), 0, 0x100), 0);
    CHECK_EQ(mm_madvise(as, PAGE_AT(0), -PAGE_SIZE, MADV_DONTNEED), -EINVAL);
    CHECK_EQ(mm_madvise(as, PAGE_AT(0), ~0ul, MADV_DONTNEED), -EINVAL);
    CHECK_EQ(mm_madvise(as, -PAGE_SIZE, PAGES(1), MADV_DONTNEED), -EINVAL);
    CHECK_EQ(mm_madvise(as, PAGE_AT(0), 0, MADV_DONTNEED), 0);
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwww");
    layout_free(as);
}

/*   page  0 1 2 3 4 5 6 7 8 9 a b c d e f
 *         w w w w w w w w w w w w w w w w
 *   pages 8-9 to page 0:      w w w w w w w w . . w w w w w w
 *   then pages 2-3 to page 12: w w . . w w w w . . w w w w w w   (2-3 now at 12-13)
 * The destination cuts into the source's own region: the region must be found
 * again after that (vmlab used the freed record: #GP). */
TEST(mremap_fixed_into_its_own_region)
{
    struct addr_space *as = space("wwwwwwwwwwwwwwww");
    CHECK_EQ(mm_mremap(as, PAGE_AT(8), PAGES(2), PAGES(2), MOVE_TO, PAGE_AT(0)), PAGE_AT(0));
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwwwwwww..wwwwww");
    CHECK_EQ(mm_mremap(as, PAGE_AT(2), PAGES(2), PAGES(2), MOVE_TO, PAGE_AT(12)), PAGE_AT(12));
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww..wwww..wwwwww");
    /* a destination overlapping the old range, even the part a shrink gives up */
    CHECK_EQ(mm_mremap(as, PAGE_AT(4), PAGES(4), PAGES(4), MOVE_TO, PAGE_AT(6)), -EINVAL);
    CHECK_EQ(mm_mremap(as, PAGE_AT(4), PAGES(4), PAGES(2), MOVE_TO, PAGE_AT(6)), -EINVAL);
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww..wwww..wwwwww");
    layout_free(as);
}

/* A PROT_NONE mapping with no room after it grows by moving; the place found
 * for it lies right below it (vmlab's old placement made a PROT_NONE region
 * there that merged with the source and freed its record: #GP). */
TEST(mremap_grows_prot_none_by_moving)
{
    const char *picture = "........nnnnr";
    vaddr_t base = layout_below_mmap_top(picture);
    struct addr_space *as = layout_space(base, picture);
    CHECK_EQ(mm_mremap(as, base + PAGES(8), PAGES(4), PAGES(8), MREMAP_MAYMOVE, 0), base);
    CHECK_LAYOUT(as, base, "nnnnnnnn....r");
    layout_free(as);
}

/*   a a a a a a a a . . . . m m m m m m m m     pages 0-7 to page 12, shrinking to 4:
 *   . . . . . . . . . . . . a a a a m m m m     only 4 pages are moved and replaced */
TEST(mremap_shrinking_fixed_move)
{
    struct addr_space *as = space("wwwwwwww....rrrrrrrr");
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(8), PAGES(4), MOVE_TO, PAGE_AT(12)), PAGE_AT(12));
    CHECK_LAYOUT(as, LAYOUT_BASE, "............wwwwrrrr");
    layout_free(as);
}

/* No destination outside user space, no size bigger than it, nothing below the
 * floor mmap keeps: each refused with nothing changed. */
TEST(mremap_refuses_destinations_outside_user_space)
{
    struct addr_space *as = space("ww");
    static const struct {
        size_t new_len;
        vaddr_t to;
        long error;
    } bad[] = {
        { PAGES(2), USER_MAP_END - PAGE_SIZE, -EINVAL }, /* would end past user space */
        { PAGES(1), USER_MAP_END, -EINVAL },
        { PAGES(1), USER_SPACE_END, -EINVAL },
        { PAGES(1), 0x0000900000000000ul, -EINVAL }, /* non-canonical */
        { PAGES(1), KERNEL_SPACE_BASE, -EINVAL },
        { PAGES(1), -PAGE_SIZE, -EINVAL },
        { 1ul << 63, PAGE_AT(100), -EINVAL },
        { USER_MAP_END + PAGE_SIZE, 0, -EINVAL },
        { ~0ul, PAGE_AT(100), -EINVAL },         /* rounds up to 0 */
        { PAGES(1), PAGE_AT(100) + 1, -EINVAL }, /* unaligned */
        { PAGES(1), 0, -EPERM },                 /* below USER_MIN_ADDRESS */
        { PAGES(1), USER_MIN_ADDRESS - PAGE_SIZE, -EPERM },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(mm_mremap(as, PAGE_AT(0), PAGES(1), bad[i].new_len, MOVE_TO, bad[i].to) ==
                  bad[i].error,
              "case %zu: to 0x%lx, %lu bytes", i, bad[i].to, bad[i].new_len);
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(1), 1ul << 47, MREMAP_MAYMOVE, 0), -EINVAL);
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(1), USER_MAP_END, MREMAP_MAYMOVE, 0), -ENOMEM);
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww");
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(1), PAGES(1), MOVE_TO, USER_MIN_ADDRESS),
             USER_MIN_ADDRESS);
    CHECK_LAYOUT(as, LAYOUT_BASE, ".w");
    layout_free(as);
}

/*   w w . . . . r   grows in place up to the next region (no gap needed) */
TEST(mremap_grows_in_place_when_there_is_room)
{
    struct addr_space *as = space("ww....r");
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(2), PAGES(7), 0, 0), -ENOMEM);
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(2), PAGES(6), 0, 0), PAGE_AT(0));
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwwwwwr");
    CHECK_EQ(mm_mremap(as, PAGE_AT(2), PAGES(2), PAGES(3), 0, 0), -ENOMEM); /* not at its end */
    CHECK_EQ(as->vmas.count, 2);
    layout_free(as);
}

/*   w w w w . . w w   a range over the hole: shrink and same size work as on
 *   Linux (munmap / nothing), growing needs one region (EFAULT) */
TEST(mremap_ranges_over_holes)
{
    struct addr_space *as = space("wwww..ww");
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(8), PAGES(8), 0, 0), PAGE_AT(0));
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(8), PAGES(9), MREMAP_MAYMOVE, 0), -EFAULT);
    CHECK_EQ(mm_mremap(as, PAGE_AT(4), PAGES(1), PAGES(1), 0, 0), -EFAULT); /* no region there */
    CHECK_LAYOUT(as, LAYOUT_BASE, "wwww..ww");
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(8), PAGES(2), 0, 0), PAGE_AT(0));
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww......");
    layout_free(as);
}

/*   s s s s . . . . w w   old size 0: a second mapping of shared pages 1-2 at 5-6,
 *   s s s s . s s . w w   showing the same object from its page 1 */
TEST(mremap_duplicates_a_shared_mapping)
{
    struct addr_space *as = space("ssss....ww");
    struct vma *shared = vma_find(as, PAGE_AT(0));
    CHECK_EQ(mm_mremap(as, PAGE_AT(8), 0, PAGES(1), MREMAP_MAYMOVE, 0), -EINVAL); /* private */
    CHECK_EQ(mm_mremap(as, PAGE_AT(1), 0, PAGES(2), 0, 0), -ENOMEM);              /* no MAYMOVE */
    long past = mm_mremap(as, PAGE_AT(3), 0, PAGES(2), MREMAP_MAYMOVE, 0);
    CHECK(past > 0,
          "a copy reaching past the object's end is made, as on Linux (%ld): its "
          "last page is SIGBUS when touched",
          past);
    CHECK_EQ(mm_munmap(as, (vaddr_t)past, PAGES(2)), 0);
    CHECK_EQ(mm_mremap(as, PAGE_AT(1), 0, PAGES(2), MOVE_TO, PAGE_AT(5)), PAGE_AT(5));
    CHECK_LAYOUT(as, LAYOUT_BASE, "ssss.ss.ww");
    struct vma *copy = vma_find(as, PAGE_AT(5));
    CHECK(copy->object == shared->object && copy->pgoff == 1 && shared->object->refs == 2,
          "the copy shows the object from page 1 (pgoff %lu, refcount %u)", copy->pgoff,
          shared->object->refs);
    layout_free(as);
}

/* MREMAP_DONTUNMAP: the region moves and the old one stays. */
TEST(mremap_dontunmap_keeps_the_old_region)
{
    struct addr_space *as = space("ww........");
    int flags = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(2), PAGES(3), flags, 0), -EINVAL);
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(2), PAGES(2), MREMAP_DONTUNMAP, 0), -EINVAL);
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(2), PAGES(2), flags, PAGE_AT(1)), -EINVAL);
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(2), PAGES(2), flags, PAGE_AT(4)),
             PAGE_AT(4)); /* a hint */
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww..ww....");
    CHECK_EQ(mm_mremap(as, PAGE_AT(0), PAGES(2), PAGES(2), flags | MREMAP_FIXED, PAGE_AT(6)),
             PAGE_AT(6));
    CHECK_LAYOUT(as, LAYOUT_BASE, "ww..wwww.."); /* merged with its neighbour */
    layout_free(as);
}
