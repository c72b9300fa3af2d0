/*
 * malloctest — the user-space malloc (user/lib/malloc*) on the real kernel: the
 * heap grows with sbrk and gives memory back with a negative sbrk when its top
 * is free (the kernel then frees those frames: brk shrinking), and big blocks
 * get their own mmap, returned by munmap. Small objects share runs with no
 * header each, and a buffer that realloc keeps growing moves into a mapping of its
 * own and grows by mremap from then on. The heap checker runs after each step, and
 * misuse (a double free, an invalid pointer) aborts the program.
 */
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/malloc.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define SMALL          200
#define SMALL_SIZE     4000      /* 200 x ~4 KiB: several sbrk chunks */
#define BIG_SIZE       (1 << 20) /* above the 128 KiB mmap threshold */
#define SIGABRT_NUMBER 6

static char *blocks[SMALL];

static long rss(void)
{
    struct vmlab_vmstat v;
    return vmstat_read(&v) ? (long)v.self_rss_pages : -1;
}

static void check_heap_growth_and_trim(void)
{
    check_section("the heap grows with sbrk, and shrinks back when its top is free");
    unsigned long break_before = sys_brk(0);
    long rss_before = rss();
    for (int i = 0; i < SMALL; i++) {
        blocks[i] = malloc(SMALL_SIZE);
        memset(blocks[i], i, SMALL_SIZE);
    }
    unsigned long break_grown = sys_brk(0);
    EXPECT(break_grown >= break_before + SMALL * SMALL_SIZE, "the break moved up by %lu bytes",
           break_grown - break_before);
    EXPECT(malloc_check() == 0, "malloc_check() after %d allocations", SMALL);
    long rss_grown = rss();
    if (vmstat_available())
        EXPECT(rss_grown - rss_before >= SMALL * SMALL_SIZE / 4096, "RSS grew by %ld pages",
               rss_grown - rss_before);
    int intact = 1;
    for (int i = 0; i < SMALL; i++)
        intact &= blocks[i][SMALL_SIZE - 1] == (char)i;
    EXPECT(intact, "every block kept its contents");

    for (int i = SMALL - 1; i >= 0; i--)
        free(blocks[i]);
    EXPECT(malloc_check() == 0, "malloc_check() after freeing them all");
    unsigned long break_trimmed = sys_brk(0);
    EXPECT(break_trimmed < break_grown, "the break moved back down by %lu bytes (trim)",
           break_grown - break_trimmed);
    /* what is resident now: what was before, plus the part of the heap still there
     * (one page of slack for the stack) -- the trimmed pages went back */
    long kept_pages =
        (long)((break_trimmed + 4095) / 4096 - break_before / 4096); /* pages spanned */
    if (vmstat_available())
        EXPECT(rss() <= rss_before + kept_pages + 1,
               "the trimmed pages went back to the kernel (RSS %ld -> %ld -> %ld, %ld pages kept)",
               rss_before, rss_grown, rss(), kept_pages);
}

static void check_mmap_threshold(void)
{
    check_section("a block above the threshold gets its own mmap, returned by munmap");
    long rss_before = rss();
    unsigned long brk_before = sys_brk(0);
    char *big = malloc(BIG_SIZE);
    EXPECT(big != NULL, "malloc(1 MiB)");
    memset(big, 7, BIG_SIZE);
    EXPECT((unsigned long)sys_brk(0) == brk_before, "the heap's break did not move for it");
    if (vmstat_available())
        EXPECT(rss() - rss_before >= (long)(BIG_SIZE / 4096), "RSS grew by %ld pages",
               rss() - rss_before);
    free(big);
    if (vmstat_available())
        EXPECT(rss() <= rss_before, "after free, RSS is back (%ld -> %ld)", rss_before, rss());
    EXPECT(malloc_check() == 0, "malloc_check()");
}

static int double_free(void *arg)
{
    (void)arg;
    char *p = malloc(64);
    free(p);
    free(p);
    return 0; /* not reached: malloc aborts */
}

static int invalid_free(void *arg)
{
    (void)arg;
    static char not_from_malloc[64];
    free(not_from_malloc + 16);
    return 0;
}

#define OBJECTS     1000
#define OBJECT_SIZE 32 /* a small request: a slot in a run, no tags */

static void check_small_objects(void)
{
    check_section("small objects share runs: no header each");
    static char *objects[OBJECTS];
    for (int i = 0; i < OBJECTS; i++) {
        objects[i] = malloc(OBJECT_SIZE);
        memset(objects[i], i, OBJECT_SIZE);
    }
    /* With a 16-byte header and an 8-byte footer each, they would lie 64 bytes
     * apart; in runs, one after the other, except where a run ends. */
    int adjacent = 0;
    for (int i = 0; i + 1 < OBJECTS; i++)
        adjacent += objects[i + 1] == objects[i] + OBJECT_SIZE;
    EXPECT(adjacent >= OBJECTS * 9 / 10,
           "%d of %d objects of %d bytes lie right after the one before", adjacent, OBJECTS - 1,
           OBJECT_SIZE);
    EXPECT(malloc_usable_size(objects[0]) == OBJECT_SIZE, "malloc_usable_size is the slot: %zu",
           malloc_usable_size(objects[0]));
    int intact = 1;
    for (int i = 0; i < OBJECTS; i++)
        intact &= objects[i][0] == (char)i && objects[i][OBJECT_SIZE - 1] == (char)i;
    EXPECT(intact, "every object kept its contents");
    EXPECT(malloc_check() == 0, "malloc_check()");
    for (int i = 0; i < OBJECTS; i++)
        free(objects[i]);
    EXPECT(malloc_check() == 0, "malloc_check() after freeing them all");
}

static void check_growing_buffer(void)
{
    check_section("a buffer realloc keeps growing moves into a mapping, then grows by mremap");
    size_t size = 10000;
    char *buffer = malloc(size);
    char *neighbour = malloc(1000); /* so the buffer cannot grow in place in the heap */
    memset(buffer, 'b', size);
    unsigned long break_before = sys_brk(0);
    int intact = 1, in_heap = 0;
    for (size = 20000; size <= 2 * 1024 * 1024; size *= 2) {
        buffer = realloc(buffer, size);
        intact &= buffer != NULL && buffer[0] == 'b' && buffer[size / 2 - 1] == 'b';
        in_heap |= (unsigned long)buffer < (unsigned long)sys_brk(0); /* mappings lie above */
        memset(buffer, 'b', size);
    }
    EXPECT(intact, "the contents survived every growth up to 2 MiB");
    EXPECT(!in_heap, "the buffer stayed out of the brk heap");
    EXPECT((unsigned long)sys_brk(0) == break_before, "the break did not move for it");
    EXPECT(malloc_check() == 0, "malloc_check()");
    free(buffer);
    free(neighbour);
    EXPECT(malloc_check() == 0, "malloc_check() after freeing it");
}

static void check_misuse(void)
{
    check_section("misuse is reported, and the program aborts");
    EXPECT(killed_by(run_in_child(double_free, NULL), SIGABRT_NUMBER), "a double free: SIGABRT");
    EXPECT(killed_by(run_in_child(invalid_free, NULL), SIGABRT_NUMBER),
           "freeing a pointer malloc did not return: SIGABRT");
}

int main(void)
{
    printf("malloctest: malloc on sbrk and mmap, on a real kernel\n");
    program_pages_in(); /* the RSS counts below are the heap's, not the program's */
    check_heap_growth_and_trim();
    check_mmap_threshold();
    check_small_objects();
    check_growing_buffer();
    check_misuse();
    return check_summary("malloctest");
}
