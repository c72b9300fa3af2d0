/*
 * swapverify.c — every byte of a region three times the size of memory, paged out
 * and in, across fork and munmap.
 *
 *   stress swapverify [--expect-swap] [MIB]      default 96 MiB (3 x a 32 MiB machine)
 *
 * Each word holds a value made from its page number, its place in the page and a
 * "generation" (who wrote it), so a page that comes back from the swap disk
 * zeroed, stale, or in another page's place fails at its first word. The steps:
 *   1. fill the region; read every word back (by then most pages have been out
 *      to the swap disk and come back in: memory holds a third at most);
 *   2. fork: parent and child each read every word (pages on the swap disk shared
 *      by both: whoever faults first reads the page in, the other should find it in
 *      the swap cache), then the child rewrites the first half and the parent the
 *      second half (copy-on-write of swapped pages), and each reads all again;
 *   3. after the child exits the parent reads the first half (the child's writes
 *      must not show), unmaps it while most of it is on the swap disk, and reads
 *      the second half.
 * With --expect-swap it also checks that the kernel counted the traffic: pswpout
 * and pswpin in /proc/vmstat grew, VmSwap in /proc/self/status went above 0 (if
 * the kernel reports it), and the munmap gave swap space back (SwapFree in
 * /proc/meminfo grew). Only "yes"/"no" is printed, never the numbers, which differ
 * from run to run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stress.h"

#define SWAPVERIFY_DEFAULT_MIB 96
#define SWAPVERIFY_MAX_MIB     1024

enum generation { GEN_FILL = 1, GEN_CHILD = 2, GEN_PARENT = 3 };

/* Writes generation GEN over pages FIRST..END-1. */
static void fill(uint64_t *words, size_t first, size_t end, uint64_t gen)
{
    for (size_t p = first; p < end; p++) {
        uint64_t *page = words + p * WORDS_PER_PAGE;
        for (size_t w = 0; w < WORDS_PER_PAGE; w++)
            page[w] = page_pattern(gen, p, w);
    }
}

/* Checks every word of pages FIRST..END-1 holds generation GEN; one line for the
 * first wrong page; returns the number of wrong pages. */
static size_t verify(const uint64_t *words, size_t first, size_t end, uint64_t gen,
                     const char *step)
{
    size_t wrong = 0;
    for (size_t p = first; p < end; p++) {
        const uint64_t *page = words + p * WORDS_PER_PAGE;
        for (size_t w = 0; w < WORDS_PER_PAGE; w++)
            if (page[w] != page_pattern(gen, p, w)) {
                if (wrong++ == 0)
                    check(false, "%s: page %zu word %zu is %#llx, not %#llx", step, p, w,
                          (unsigned long long)page[w], (unsigned long long)page_pattern(gen, p, w));
                break;
            }
    }
    check(wrong == 0, "%s: %zu of %zu pages wrong", step, wrong, end - first);
    return wrong;
}

/* A yes/no line for a counter check, a FAILED line if it is "no". */
static void report(const char *what, bool ok)
{
    printf("swapverify: %s: %s\n", what, ok ? "yes" : "no");
    check(ok, "%s", what);
}

/* The child's half of step 2: all as filled, its own half rewritten, all again. */
static void child_step(uint64_t *words, size_t pages)
{
    size_t half = pages / 2;
    verify(words, 0, pages, GEN_FILL, "child, after fork");
    fill(words, 0, half, GEN_CHILD);
    verify(words, 0, half, GEN_CHILD, "child, its half");
    verify(words, half, pages, GEN_FILL, "child, the parent's half");
    _exit(failures() == 0 ? 0 : 1);
}

/* The parent's half of step 2, and the child's half once the child has gone
 * (its own half step 3 reads after the munmap). */
static void parent_step(uint64_t *words, size_t pages, int child)
{
    size_t half = pages / 2;
    verify(words, 0, pages, GEN_FILL, "parent, after fork");
    fill(words, half, pages, GEN_PARENT);
    verify(words, half, pages, GEN_PARENT, "parent, its half");
    bool child_ok = child > 0 && child_passed(child, "the child");
    verify(words, 0, half, GEN_FILL, "parent, the child's half, after the child");
    printf("swapverify: after fork: child %s, parent's view %s\n", child_ok ? "passed" : "FAILED",
           failures() == 0 ? "right" : "WRONG");
}

/* stress swapverify [--expect-swap] [MIB] */
int swapverify_main(int argc, char **argv)
{
    bool expect_swap = argc > 1 && strcmp(argv[1], "--expect-swap") == 0;
    unsigned long mib;
    if (expect_swap)
        argc--, argv++;
    if (!number_argument(argc, argv, 1, 2, SWAPVERIFY_MAX_MIB, SWAPVERIFY_DEFAULT_MIB, &mib,
                         "stress swapverify [--expect-swap] [MIB]"))
        return 0;
    size_t pages = mib * MIB / PAGE_SIZE, half = pages / 2;
    long out_before = vmstat_counter("pswpout"), in_before = vmstat_counter("pswpin");
    uint64_t *words = map_anonymous(mib * MIB);
    if (!words)
        return verdict("swapverify");
    printf("swapverify: %lu MiB, %zu pages\n", mib, pages);

    fill(words, 0, pages, GEN_FILL);
    long swapped_kb = kb_field("/proc/self/status", "VmSwap");
    size_t wrong = verify(words, 0, pages, GEN_FILL, "after filling");
    printf("swapverify: every byte read back after filling: %s\n", wrong ? "no" : "yes");

    int child = fork();
    if (child == 0)
        child_step(words, pages);
    check(child > 0, "fork: %s", strerror(errno));
    parent_step(words, pages, child);

    long free_before = kb_field("/proc/meminfo", "SwapFree");
    check(munmap(words, half * PAGE_SIZE) == 0, "munmap of the first half: %s", strerror(errno));
    long free_after = kb_field("/proc/meminfo", "SwapFree");
    wrong = verify(words, half, pages, GEN_PARENT, "the second half, after munmap of the first");
    printf("swapverify: the second half after munmap of the first: %s\n",
           wrong ? "WRONG" : "right");

    if (expect_swap) {
        report("pswpout grew", vmstat_counter("pswpout") > out_before && out_before >= 0);
        report("pswpin grew", vmstat_counter("pswpin") > in_before && in_before >= 0);
        if (swapped_kb >= 0)
            report("VmSwap above 0 after filling", swapped_kb > 0);
        if (free_before >= 0)
            report("munmap gave swap space back", free_after > free_before);
    }
    return verdict("swapverify");
}
