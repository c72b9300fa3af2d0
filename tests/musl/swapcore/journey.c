/*
 * journey.c — one page's journey, the worked example of mm/README.md ("Reclaim:
 * one page's journey"): written, pushed out to swap, read back; a private page and
 * a page of shared anonymous memory. tests/boot/swap-core.sh checks that the
 * README shows the lines these print.
 */
#include "swapcore.h"

/* Pages written just before and after the journey's page and never touched again:
 * reclaim takes pages in load order, so these take the slots around its slot, and
 * no other page's swap-in reads it early (read-ahead reads up to 7 following slots;
 * a page read back by a read keeps its slot, as a clean copy). */
#define JOURNEY_GUARD_PAGES 8

static uint64_t *written_guard(void)
{
    uint64_t *g = map(JOURNEY_GUARD_PAGES * PAGE);
    for (size_t i = 0; i < JOURNEY_GUARD_PAGES; i++)
        g[i * PAGE / 8] = i;
    return g;
}

/* Where page is: "resident yes, smaps Swap 0 kB" (a static buffer). */
static const char *where(volatile uint64_t *page)
{
    static char line[64];
    snprintf(line, sizeof line, "resident %s, smaps Swap %ld kB",
             resident_pages((void *)page, PAGE) == 1 ? "yes" : "no",
             proc_kb("/proc/self/smaps", (unsigned long)page, "Swap:"));
    return line;
}

/* The journey of page, written just before: where it is, pushed out (twice: the
 * clock passes over a page once, its accessed bit, then takes it), read back with
 * a major fault. Lines "journey: <who>written 42: ...". The value read back. */
static uint64_t travel(volatile uint64_t *page, const char *who)
{
    printf("journey: %swritten %lu: %s\n", who, (unsigned long)page[0], where(page));
    push_out();
    push_out();
    printf("journey: %safter pressure: %s\n", who, where(page));
    long before = major_faults();
    uint64_t value = page[0];
    long faults = major_faults() - before;
    printf("journey: %sread back %lu: %s, major faults +%ld\n", who, (unsigned long)value,
           where(page), faults);
    return value;
}

/* One page, alone in its region: written, pushed out, read back. */
void step_journey(void)
{
    uint64_t *guard_before = written_guard();
    volatile uint64_t *page = map(PAGE);
    page[0] = 42;
    uint64_t *guard_after = written_guard();
    check(travel(page, "") == 42, "journey: the page read back");
    unmap((void *)page, PAGE);
    unmap(guard_before, JOURNEY_GUARD_PAGES * PAGE);
    unmap(guard_after, JOURNEY_GUARD_PAGES * PAGE);
}

/* The journey of one page of shared anonymous memory, alone in its object: it
 * leaves memory for a slot its object records, and a touch reads it back. */
void step_journey_shared(void)
{
    volatile uint64_t *page = map_shared(PAGE);
    page[0] = 43;
    check(travel(page, "shared page ") == 43, "journey: the shared page read back");
    munmap((void *)page, PAGE);
}
