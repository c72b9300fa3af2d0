/*
 * cowtest — copy-on-write: fork copies a page only when someone writes it.
 *
 * fork does not copy memory. The child gets page tables that point at the
 * parent's frames, and every private writable page is made read-only on BOTH
 * sides. The first write to such a page, by either process, faults; the kernel
 * then looks at how many address spaces still map the frame:
 *
 *   still shared (2 references)  -> copy: a new frame with the same bytes, mapped
 *                                   writable for the writer; the other keeps the old
 *   the last reference (1)       -> reuse: the other side has copied already (or has
 *                                   exited), so the frame is simply made writable
 *
 * So whoever writes a page first pays for the copy, and the second writer finds
 * the old frame all its own. cowtest writes 16 pages, forks, and then:
 *
 *   1. the child writes pages 0-7     8 copies   (the parent still maps them)
 *   2. the parent writes pages 0-15   8 reuses   (0-7: the child has its copies)
 *                                     8 copies   (8-15: the child still maps them)
 *   3. the child writes pages 8-15    8 reuses   (the parent has its copies)
 *
 * Each page is copied exactly once, and each process ends with its own 16 pages.
 * The two take turns through a MAP_SHARED page (a "mailbox" both see), so the order
 * is always the same and the counts are exact.
 */
#include <stdint.h>

#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define PAGES 16
#define HALF  (PAGES / 2)

#define PARENT_BEFORE(i) (0x1000 + (uint64_t)(i)) /* written before fork */
#define CHILD_VALUE(i)   (0x2000 + (uint64_t)(i)) /* written by the child */
#define PARENT_AFTER(i)  (0x3000 + (uint64_t)(i)) /* written by the parent after fork */

/* In a MAP_SHARED page: each side waits for the other's flag. */
struct mailbox {
    volatile int child_wrote_first_half;
    volatile int parent_wrote_all;
};

static volatile uint64_t *page_word(volatile char *region, int page)
{
    return (volatile uint64_t *)(region + (unsigned long)page * PAGE_SIZE);
}

/* Write value(i) into pages [first, last): the measured action. */
static void write_pages(volatile char *region, int first, int last, uint64_t base)
{
    for (int i = first; i < last; i++)
        *page_word(region, i) = base + (uint64_t)i;
}

/* How many of pages [first, last) do not hold base + i. */
static int pages_differing(volatile char *region, int first, int last, uint64_t base)
{
    int wrong = 0;
    for (int i = first; i < last; i++)
        wrong += *page_word(region, i) != base + (uint64_t)i;
    return wrong;
}

/* Measure writing pages [first, last) with base + i, and print the counts. */
static void measured_writes(struct vm_measure *m, volatile char *region, int first, int last,
                            uint64_t base, const char *label)
{
    measure_start(m);
    write_pages(region, first, last, base);
    measure_end(m);
    vmstat_print_delta(label, &m->self);
}

/* Yield the CPU until *flag is set (by the other process). False if the other
 * process (pid, when not 0) ended first. */
static bool wait_for_flag(volatile int *flag, long pid)
{
    while (!*flag) {
        int status;
        if (pid != 0 && sys_wait4((int)pid, &status, WNOHANG, NULL) != 0)
            return false;
        sys_sched_yield();
    }
    return true;
}

static int child(volatile char *region, struct mailbox *mailbox)
{
    struct vm_measure m;
    check_section("1. the child writes pages 0-7 while the parent still maps them");
    EXPECT_RESULT(pages_differing(region, 0, PAGES, PARENT_BEFORE(0)), 0,
                  "the child sees the parent's 16 pages: fork copied nothing yet");
    measured_writes(&m, region, 0, HALF, CHILD_VALUE(0), "child writes 0-7");
    EXPECT(m.minor_faults >= HALF, "getrusage: at least 8 minor faults, one per write");
    if (vmstat_available()) {
        EXPECT_RESULT(m.self.cow_copies, HALF, "the child copied 8 pages: each still shared");
        EXPECT_RESULT(m.self.cow_reuses, 0, "and reused none");
    }
    mailbox->child_wrote_first_half = 1;
    wait_for_flag(&mailbox->parent_wrote_all, 0);

    check_section("3. the child writes pages 8-15, which the parent has copied");
    measured_writes(&m, region, HALF, PAGES, CHILD_VALUE(0), "child writes 8-15");
    if (vmstat_available()) {
        EXPECT_RESULT(m.self.cow_reuses, HALF,
                      "the child reused 8 frames: it held the last "
                      "reference");
        EXPECT_RESULT(m.self.cow_copies, 0, "and copied none");
    }
    EXPECT_RESULT(pages_differing(region, 0, PAGES, CHILD_VALUE(0)), 0,
                  "the child's 16 pages hold the child's values");
    return check_failures();
}

static void parent(volatile char *region, struct mailbox *mailbox, long pid)
{
    struct vm_measure m;
    bool turn = wait_for_flag(&mailbox->child_wrote_first_half, pid);
    check_section("2. the parent writes all 16 pages");
    EXPECT(turn, "the child wrote its first half and passed the turn back");
    measured_writes(&m, region, 0, PAGES, PARENT_AFTER(0), "parent writes 0-15");
    EXPECT(m.minor_faults >= PAGES, "getrusage: at least 16 minor faults, one per write");
    if (vmstat_available()) {
        EXPECT_RESULT(m.self.cow_reuses, HALF, "pages 0-7: 8 reuses, the child has its copies");
        EXPECT_RESULT(m.self.cow_copies, HALF, "pages 8-15: 8 copies, the child still maps them");
    }
    mailbox->parent_wrote_all = 1;

    int status = -1;
    EXPECT_RESULT(sys_wait4((int)pid, &status, 0, NULL), pid, "wait4 for the child");
    EXPECT(exited_with(status, 0), "the child's checks all passed (exit status 0)");

    check_section("after the child: each process had its own copy");
    EXPECT_RESULT(pages_differing(region, 0, PAGES, PARENT_AFTER(0)), 0,
                  "the parent's 16 pages hold the parent's values, none of the child's");
    measured_writes(&m, region, 0, PAGES, PARENT_BEFORE(0), "parent writes again");
    if (vmstat_available())
        EXPECT_RESULT(m.self.minor_faults, 0, "writing them again: no faults, they are ours");
}

int main(void)
{
    use_small_pages_only(); /* count faults per 4 KiB page on Linux too */
    printf("cowtest: fork shares pages; the first write copies, the last reference reuses\n");
    vmstat_note_if_missing();
    long result = sys_mmap(NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long shared =
        sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT(!IS_ERROR(result) && !IS_ERROR(shared), "mmap 16 private pages and a shared page");
    if (IS_ERROR(result) || IS_ERROR(shared))
        return check_summary("cowtest");
    volatile char *region = (volatile char *)result;
    struct mailbox *mailbox = (struct mailbox *)shared;
    mailbox->child_wrote_first_half = mailbox->parent_wrote_all = 0;

    check_section("before fork: the parent writes its 16 pages");
    struct vm_measure m;
    measured_writes(&m, region, 0, PAGES, PARENT_BEFORE(0), "parent writes 0-15");
    if (vmstat_available())
        EXPECT_RESULT(m.self.zero_fills, PAGES, "16 zero-filled frames: the pages are new");

    long pid = sys_fork();
    if (pid == 0)
        sys_exit_group(child(region, mailbox));
    EXPECT(pid > 0, "fork() made a child");
    if (pid > 0)
        parent(region, mailbox, pid);
    return check_summary("cowtest");
}
