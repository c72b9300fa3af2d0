/*
 * stacktest — the stack grows on demand, up to 8 MiB, and no further.
 *
 * execve maps only a small stack region (vmlab: 128 KiB) at the top of user
 * space. A call that goes deeper touches the page just below it: that is a page
 * fault on an address no region covers, but right under the region that grows
 * down, so the kernel extends the region (stack growth) and maps a fresh page.
 *
 *     0x7ffffffff000  top of the stack
 *                     the initial region (128 KiB)
 *                     grown on demand, page by page, down to ...
 *     top - 8 MiB     the limit (Linux's default RLIMIT_STACK): a fault below
 *                     it is not growth but a stack overflow: SIGSEGV
 *
 * stacktest recurses 2 MiB deep (the stack grows), then again (it has grown: no
 * faults), then lets a child recurse without end: the child is killed with
 * SIGSEGV once it passes 8 MiB. It reports how deep it got in a MAP_SHARED page,
 * which outlives it.
 */
#include <stdint.h>

#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define KIB           1024UL
#define MIB           (1024UL * KIB)
#define FRAME_BYTES   (1 * KIB) /* each call's local array */
#define DEEP          (2 * MIB) /* how deep the first recursion goes */
#define CALLS         (DEEP / FRAME_BYTES)
#define INITIAL_STACK (128 * KIB) /* vmlab's stack region at exec */
#define STACK_LIMIT   (8 * MIB)
#define ENDLESS       (~0UL)

static char *stack_top_seen;                   /* the address of a local in main */
static volatile unsigned long *deepest_report; /* in a MAP_SHARED page, or NULL */

/* Recurse n calls deep, each using a FRAME_BYTES array; returns the sum of the
 * first bytes (so no call can be turned into a loop or skipped). Reports how deep
 * it has got into *deepest_report as it goes. */
static __attribute__((noinline)) unsigned long recurse(unsigned long n)
{
    volatile char frame[FRAME_BYTES];
    frame[0] = (char)(n & 1);
    frame[FRAME_BYTES - 1] = 0;
    if (deepest_report != NULL)
        *deepest_report = (unsigned long)(stack_top_seen - (char *)frame);
    if (n == 0)
        return frame[0];
    return recurse(n - 1) + frame[0] + frame[FRAME_BYTES - 1];
}

static void check_growth(void)
{
    check_section("recursing 2 MiB deep: the stack grows page by page");
    struct vm_measure m;
    measure_start(&m);
    unsigned long odd = recurse(CALLS);
    measure_end(&m);
    vmstat_print_delta("2 MiB of calls", &m.self);
    EXPECT_RESULT(odd, CALLS / 2, "%lu calls of 1 KiB each returned the right sum", CALLS);
    EXPECT(m.minor_faults >= (long)((DEEP - INITIAL_STACK) / PAGE_SIZE),
           "getrusage: a page fault for (at least) every new page below the initial stack");
    if (!vmstat_available())
        return;
    unsigned long new_pages = (DEEP - INITIAL_STACK) / PAGE_SIZE;
    EXPECT(m.self.stack_growths >= new_pages && m.self.stack_growths <= 2 * DEEP / PAGE_SIZE,
           "stack growths: %lu, one for each page below the initial 128 KiB region",
           (unsigned long)m.self.stack_growths);
    EXPECT(m.self.zero_fills >= m.self.stack_growths,
           "zero fills: %lu, a fresh frame for "
           "each new page (%lu of them were inside the initial region, just untouched)",
           (unsigned long)m.self.zero_fills,
           (unsigned long)(m.self.zero_fills - m.self.stack_growths));
    EXPECT(m.rss_pages >= (long)new_pages, "RSS grew by %ld pages (%ld KiB)", m.rss_pages,
           m.rss_pages * (long)(PAGE_SIZE / KIB));
}

static void check_grown_stays(void)
{
    check_section("recursing 2 MiB deep again: the stack has grown already");
    struct vm_measure m;
    measure_start(&m);
    unsigned long odd = recurse(CALLS);
    measure_end(&m);
    vmstat_print_delta("again", &m.self);
    EXPECT_RESULT(odd, CALLS / 2, "the same sum");
    if (!vmstat_available())
        return;
    EXPECT_RESULT(m.self.minor_faults, 0, "no page faults: the pages stay until the process ends");
    EXPECT_RESULT(m.self.stack_growths, 0, "no stack growth");
}

static int endless(void *unused)
{
    (void)unused;
    limit_stack_like_vmlab(); /* Linux: in case the shell allows more than 8 MiB */
    recurse(ENDLESS);
    return CHILD_SURVIVED;
}

static void check_overflow(void)
{
    check_section("a child recursing without end: SIGSEGV at 8 MiB");
    long shared =
        sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(shared)) {
        EXPECT(false, "mmap a shared page for the child's report");
        return;
    }
    deepest_report = (volatile unsigned long *)shared;
    long status = run_in_child(endless, NULL);
    unsigned long deepest = *deepest_report;
    deepest_report = NULL;
    EXPECT(killed_by(status, SIGSEGV), "the child was killed by SIGSEGV");
    bool near_limit = deepest > STACK_LIMIT - 256 * KIB && deepest < STACK_LIMIT;
    EXPECT(near_limit, "it got between 7.75 and 8 MiB deep first (of the 8 MiB, the "
                       "arguments, environment and main's caller use a little)");
    if (!near_limit)
        printf("  (it got %lu KiB deep)\n", deepest / KIB);
    EXPECT(sys_getpid() > 0, "the parent lives on");
    sys_munmap((void *)shared, PAGE_SIZE);
}

int main(void)
{
    use_small_pages_only(); /* count faults per 4 KiB page on Linux too */
    char top;
    stack_top_seen = opaque_pointer(&top);
    printf("stacktest: the stack grows on demand up to 8 MiB\n");
    vmstat_note_if_missing();
    check_growth();
    check_grown_stays();
    check_overflow();
    return check_summary("stacktest");
}
