/*
 * test_vma_brk.c — the rules of brk (mm/brk.c) on the host, as pictures of the
 * regions around the heap (tests/host/vma_layout.h): "x" the program, "w"
 * read-write (heap or not), "r" read-only, "n" PROT_NONE, "g" the stack.
 *
 * Linux's rules: a break below the initial one or beyond user space is refused;
 * a grow needs [old end, new end) free and a free page above it (more below the
 * stack); a shrink unmaps whatever lies in [new end, old end), and is refused if
 * nothing does. "End" is the break rounded up to a page. A refusal returns the
 * old break and changes nothing.
 */
#include "check.h"
#include "kernel_shim.h"
#include "mm/as.h"
#include "mm/brk.h"
#include "mm/vma.h"
#include "vma_layout.h"

/* An address space drawn at LAYOUT_BASE whose heap starts at page start and
 * whose break is at page brk. */
static struct addr_space *heap_space(const char *picture, long start, long brk)
{
    struct addr_space *as = layout_space(LAYOUT_BASE, picture);
    as->brk_start = PAGE_AT(start);
    as->brk = PAGE_AT(brk);
    return as;
}

/*   x x w w  | break at page 4: absurd breaks change nothing */
TEST(brk_refuses_breaks_that_are_no_address)
{
    struct addr_space *as = heap_space("xxww", 2, 4);
    static const vaddr_t absurd[] = {
        ~0ul,                 /* brk(-1): rounds up to 0 */
        ~0ul - 99,            /* 2^64 - 100 */
        USER_MAP_END + 1,     /* past the last user page */
        USER_SPACE_END,       /* the first non-canonical address */
        0x0000900000000000ul, /* non-canonical */
        KERNEL_SPACE_BASE,    /* the kernel half */
        PAGE_AT(2) - 1,       /* below the initial break */
        0,
    };
    for (size_t i = 0; i < sizeof absurd / sizeof absurd[0]; i++)
        CHECK(as_brk(as, absurd[i]) == PAGE_AT(4), "brk(0x%lx) moved the break", absurd[i]);
    CHECK_EQ(as->brk, PAGE_AT(4));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxww....");
    layout_free(as);
}

/*   x x . . . .   grow to page 4, then to 4 pages and 100 bytes   ->   x x w w w . */
TEST(brk_grows_a_read_write_region)
{
    struct addr_space *as = heap_space("xx", 2, 2);
    CHECK_EQ(as_brk(as, PAGE_AT(4)), PAGE_AT(4));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxww..");
    CHECK_EQ(as_brk(as, PAGE_AT(4) + 100), PAGE_AT(4) + 100);
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxwww."); /* rounded up, merged with the heap below */
    CHECK_EQ(as_brk(as, PAGE_AT(4) + 200), PAGE_AT(4) + 200);
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxwww."); /* the same page: nothing to map */
    CHECK_EQ(as->vmas.count, 2);
    layout_free(as);
}

/*   x x w w . . . . r      the heap may grow to page 7, not 8: a page stays free */
TEST(brk_grow_leaves_a_page_below_the_next_region)
{
    struct addr_space *as = heap_space("xxww....r", 2, 4);
    CHECK_EQ(as_brk(as, PAGE_AT(8)), PAGE_AT(4));
    CHECK_EQ(as_brk(as, PAGE_AT(7) + 1), PAGE_AT(4));
    CHECK_EQ(as_brk(as, PAGE_AT(12)), PAGE_AT(4)); /* over it */
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxww....r");
    CHECK_EQ(as_brk(as, PAGE_AT(7)), PAGE_AT(7));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxwwwww.r");
    layout_free(as);
}

/* Below the stack, the guard gap (USER_STACK_GUARD_GAP) stays free as well. */
TEST(brk_grow_keeps_off_the_stack_guard_gap)
{
    enum { STACK = 600, GAP = USER_STACK_GUARD_GAP / PAGE_SIZE };
    struct addr_space *as = heap_space("xx", 2, 2);
    vma_create(as, PAGE_AT(STACK), PAGE_AT(STACK + 4), VMA_READ | VMA_WRITE, VMA_GROWSDOWN);
    CHECK_EQ(as_brk(as, PAGE_AT(STACK - GAP)), PAGE_AT(2));
    CHECK_EQ(as_brk(as, PAGE_AT(STACK - GAP - 1)), PAGE_AT(STACK - GAP - 1));
    CHECK_EQ(as->vmas.count, 3);
    layout_free(as);
}

/*   x x w w r r w . n w w    break at page 11; shrink to page 2: all of it goes,
 *                            whatever it was (mprotect'ed, mapped over) */
TEST(brk_shrink_unmaps_whatever_lies_there)
{
    struct addr_space *as = heap_space("xxwwrrw.nww", 2, 11);
    CHECK_EQ(as_brk(as, PAGE_AT(5)), PAGE_AT(5));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxwwr......");
    CHECK_EQ(as_brk(as, PAGE_AT(2)), PAGE_AT(2));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xx.........");
    CHECK_EQ(as->vmas.count, 1);
    layout_free(as);
}

/*   x x . . . .   break at page 6, the heap munmapped (or moved by mremap):
 *                 a shrink finds nothing to unmap and is refused */
TEST(brk_shrink_over_nothing_is_refused)
{
    struct addr_space *as = heap_space("xx....", 2, 6);
    CHECK_EQ(as_brk(as, PAGE_AT(2)), PAGE_AT(6));
    CHECK_EQ(as_brk(as, PAGE_AT(4)), PAGE_AT(6));
    CHECK_EQ(as_brk(as, PAGE_AT(8)), PAGE_AT(8)); /* a grow from the old break works */
    CHECK_LAYOUT(as, LAYOUT_BASE, "xx....ww");
    CHECK_EQ(as_brk(as, PAGE_AT(2)), PAGE_AT(2)); /* now there is something to unmap */
    CHECK_LAYOUT(as, LAYOUT_BASE, "xx......");
    layout_free(as);
}

/*   x x n w   musl's malloc maps a PROT_NONE guard page over the heap's first
 *             page: the break still grows from page 4 */
TEST(brk_grows_after_a_guard_page_over_the_heap_start)
{
    struct addr_space *as = heap_space("xxnw", 2, 4);
    CHECK_EQ(as_brk(as, PAGE_AT(8)), PAGE_AT(8));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxnwwwww.");
    CHECK_EQ(as->vmas.count, 3);
    layout_free(as);
}

/*   x x w w r r . . w w   break at page 10, the heap in pieces: a grow maps only
 *                         [10, 12); the hole and the read-only pages stay */
TEST(brk_grow_leaves_the_pieces_below_alone)
{
    struct addr_space *as = heap_space("xxwwrr..ww", 2, 10);
    CHECK_EQ(as_brk(as, PAGE_AT(12)), PAGE_AT(12));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxwwrr..wwww.");
    layout_free(as);
}

TEST(brk_break_need_not_be_page_aligned)
{
    struct addr_space *as = heap_space("xx", 2, 2);
    CHECK_EQ(as_brk(as, PAGE_AT(2) + 1), PAGE_AT(2) + 1);
    CHECK_LAYOUT(as, LAYOUT_BASE, "xxw.");
    CHECK_EQ(as_brk(as, PAGE_AT(3) - 1), PAGE_AT(3) - 1);
    CHECK_EQ(as_brk(as, PAGE_AT(2)), PAGE_AT(2));
    CHECK_LAYOUT(as, LAYOUT_BASE, "xx..");
    layout_free(as);
}
