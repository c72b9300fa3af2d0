/*
 * sbrktest — the heap: the brk system call, without a C library in between.
 *
 * The heap is one region that starts just above the program's data and ends at
 * the "break". brk(address) moves the break and answers where it now is:
 *
 *     brk(0)              asks where the break is (0 is never a valid break)
 *     brk(higher)         grows the region; the new pages appear when touched
 *     brk(lower)          shrinks it; the pages above are given back, so growing
 *                         again later reads zeros, not the old data
 *     brk(below start)    refused: the answer is the old break, unchanged
 *     brk(into a mapping) refused the same way
 *
 * A refusal is not an error code: the caller sees that the answer is not what it
 * asked for. (C's sbrk(n) is brk(current + n) plus that check; malloc uses it.)
 * vmlab's counters show the resident set following the touched heap pages.
 */
#include <stdint.h>

#include "user/lib/check.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define MIB         (1UL << 20)
#define GROWN       MIB                 /* the heap grows to 1 MiB */
#define GROWN_PAGES (GROWN / PAGE_SIZE) /* 256 pages */
#define TOUCHED     64                  /* of which 64 are written */
#define KEPT        4                   /* the shrink keeps 4 pages */
#define ODD_BYTES   100                 /* a break need not be page-aligned */
#define WALL_GAP    (2 * MIB)           /* where a mapping blocks further growth */

static unsigned long start; /* the break at the beginning: the heap's start */
static unsigned long base;  /* start rounded up to a page: the first heap page */

static volatile uint64_t *heap_page(unsigned long page)
{
    return (volatile uint64_t *)(base + page * PAGE_SIZE);
}

static void check_start(void)
{
    check_section("brk(0): where the heap starts");
    start = (unsigned long)sys_brk(0);
    base = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    EXPECT(start >= (unsigned long)_end, "brk(0) is at or above the end of our bss (_end)");
    EXPECT_RESULT(sys_brk(0), start, "brk(0) again gives the same answer: it only asks");
}

static void check_grow(void)
{
    check_section("grow by 1 MiB, write 64 of its 256 pages");
    struct vm_measure m;
    measure_start(&m);
    long grown = sys_brk(base + GROWN);
    measure_end(&m);
    EXPECT_RESULT(grown - (long)start, (long)(base + GROWN - start),
                  "brk(start + 1 MiB) returns the new break");
    if (vmstat_available())
        EXPECT_RESULT(m.rss_pages, 0, "growing costs nothing yet: RSS unchanged");

    uint64_t sum = 0;
    for (unsigned long page = 0; page < GROWN_PAGES; page += GROWN_PAGES / 8)
        sum += *heap_page(page);
    EXPECT_RESULT(sum, 0, "new heap memory reads as zeros");

    measure_start(&m);
    for (unsigned long page = 0; page < TOUCHED; page++)
        *heap_page(page) = 0xbeef0000 + page;
    measure_end(&m);
    vmstat_print_delta("64 writes", &m.self);
    EXPECT(m.minor_faults >= TOUCHED, "getrusage: at least 64 minor faults, one per page");
    if (vmstat_available()) {
        EXPECT_RESULT(m.rss_pages, TOUCHED, "RSS grew by the 64 written pages (256 KiB)");
        EXPECT_RESULT(m.user_frames, TOUCHED, "64 user frames used");
    }
}

static void check_odd_break(void)
{
    check_section("a break need not be page-aligned");
    long result = sys_brk(base + GROWN + ODD_BYTES);
    EXPECT_RESULT(result - (long)base, (long)(GROWN + ODD_BYTES),
                  "brk(start + 1 MiB + 100) returns exactly that");
    volatile char *last = (volatile char *)(base + GROWN + ODD_BYTES - 1);
    *last = 7;
    EXPECT_RESULT(*last, 7, "the byte just below it can be used (its page is the heap's)");
}

static void check_shrink(void)
{
    check_section("shrink to 4 pages: the rest is given back");
    struct vm_measure m;
    measure_start(&m);
    long result = sys_brk(base + KEPT * PAGE_SIZE);
    measure_end(&m);
    EXPECT_RESULT(result - (long)base, (long)(KEPT * PAGE_SIZE), "brk(start + 4 pages)");
    int wrong = 0;
    for (unsigned long page = 0; page < KEPT; page++)
        wrong += *heap_page(page) != 0xbeef0000 + page;
    EXPECT_RESULT(wrong, 0, "the 4 pages kept still hold their data");
    if (vmstat_available()) {
        EXPECT_RESULT(-m.rss_pages, TOUCHED - KEPT + 1,
                      "RSS dropped by 61 pages: 60 written "
                      "ones and the one holding the odd byte");
        EXPECT_RESULT(-m.user_frames, TOUCHED - KEPT + 1, "their 61 frames are free again");
    }
}

static void check_regrow(void)
{
    check_section("grow again: the pages given back read as zeros");
    long result = sys_brk(base + GROWN);
    EXPECT_RESULT(result - (long)base, (long)GROWN, "brk(start + 1 MiB) again");
    int nonzero = 0, wrong = 0;
    for (unsigned long page = 0; page < TOUCHED; page++) {
        if (page < KEPT)
            wrong += *heap_page(page) != 0xbeef0000 + page;
        else
            nonzero += *heap_page(page) != 0;
    }
    nonzero += *(volatile char *)(base + GROWN - 1) != 0;
    EXPECT_RESULT(wrong, 0, "the 4 kept pages are intact");
    EXPECT_RESULT(nonzero, 0, "pages 4-63 and the odd byte's page read zeros: old data is gone");
}

static void check_refusals(void)
{
    check_section("refusals: the break stays where it was");
    unsigned long now = (unsigned long)sys_brk(0);
    EXPECT_RESULT(sys_brk(start - PAGE_SIZE) - (long)now, 0,
                  "brk(below the start) answers the old break");
    EXPECT_RESULT(sys_brk(1) - (long)now, 0, "brk(1) too");

    /* a mapping 2 MiB above the heap start: the heap cannot grow into it */
    void *wall = (void *)(base + WALL_GAP);
    long mapped = sys_mmap(wall, PAGE_SIZE, PROT_READ,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    EXPECT_RESULT(mapped - (long)wall, 0, "mmap a page 2 MiB above the heap start");
    EXPECT_RESULT(sys_brk(base + WALL_GAP + PAGE_SIZE) - (long)now, 0,
                  "brk(over that mapping) answers the old break");
    EXPECT_RESULT(sys_brk(base + WALL_GAP) - (long)now, 0,
                  "brk(right up to it) too: one free page must stay between them");
    EXPECT_RESULT(sys_brk(base + WALL_GAP - PAGE_SIZE) - (long)base, (long)(WALL_GAP - PAGE_SIZE),
                  "brk(one page short of it) is allowed");
    EXPECT_RESULT(sys_munmap(wall, PAGE_SIZE), 0, "munmap the page");
}

static void check_back_to_start(struct vm_measure *whole)
{
    check_section("back to the start: the heap is empty again");
    struct vm_measure m;
    measure_start(&m);
    long result = sys_brk(start);
    measure_end(&m);
    measure_end(whole);
    EXPECT_RESULT(result - (long)start, 0, "brk(start) returns the start");
    if (!vmstat_available())
        return;
    EXPECT_RESULT(-m.rss_pages, KEPT, "RSS dropped by the 4 pages still held");
    EXPECT_RESULT(whole->rss_pages, 0, "RSS is what it was before the heap grew");
    EXPECT((long)(whole->after.self_max_rss_pages - whole->before.self_rss_pages) >= TOUCHED,
           "but the most we ever had (max RSS) remembers the 64 pages");
    EXPECT_RESULT(whole->usage_after.ru_maxrss, (long)whole->after.self_max_rss_pages * 4,
                  "getrusage's ru_maxrss says the same, in KiB");
}

int main(void)
{
    use_small_pages_only(); /* count faults per 4 KiB page on Linux too */
    printf("sbrktest: the heap grows and shrinks with the brk system call\n");
    vmstat_note_if_missing();
    stack_prefault();
    struct vm_measure whole;
    measure_start(&whole);
    check_start();
    check_grow();
    check_odd_break();
    check_shrink();
    check_regrow();
    check_refusals();
    check_back_to_start(&whole);
    return check_summary("sbrktest");
}
