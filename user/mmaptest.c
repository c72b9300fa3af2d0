/*
 * mmaptest — mmap and munmap: asking for memory by the region.
 *
 *   mmap(NULL, len, ...)             the kernel picks the place: the highest free gap
 *                                    below the mmap area's top, so mappings stack down
 *   mmap(hint, len, ...)             at hint if that range is free, elsewhere if not
 *   mmap(addr, len, MAP_FIXED)       exactly at addr, replacing whatever was there
 *   mmap(addr, len, MAP_FIXED_NOREPLACE)   exactly at addr, or -EEXIST if taken
 *   munmap(middle of a mapping)      cuts it in two, leaving a hole that faults
 *   MAP_SHARED / MAP_PRIVATE         after fork: one copy for both / one each
 *   MAP_POPULATE                     every page present at once, no faults later;
 *                                    of 1 TiB, a long call that others interrupt
 *
 * Addresses differ between runs on Linux (it randomises the mmap area), so only
 * how mappings lie relative to each other is printed.
 */
#include <stdint.h>

#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define RW            (PROT_READ | PROT_WRITE)
#define PRIVATE       (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED        (MAP_SHARED | MAP_ANONYMOUS)
#define FAR_HINT      ((char *)0x200000000000UL) /* 32 TiB: nothing lives there */
#define POPULATED     16                         /* pages mapped with MAP_POPULATE */
#define HUGE_POPULATE (1ul << 40)                /* 1 TiB, populated until memory runs out */

/* mmap anonymous memory; NULL (after a failed check) if mmap failed. */
static char *map(void *addr, unsigned long pages, int prot, int flags)
{
    long result = sys_mmap(addr, pages * PAGE_SIZE, prot, flags, -1, 0);
    if (IS_ERROR(result)) {
        EXPECT(false, "mmap of %lu pages: %s", pages, errno_name(result));
        return NULL;
    }
    return (char *)result;
}

static volatile uint64_t *word(char *region, unsigned long page)
{
    return (volatile uint64_t *)(region + page * PAGE_SIZE);
}

static void fill(char *region, unsigned long pages, uint64_t base)
{
    for (unsigned long i = 0; i < pages; i++)
        *word(region, i) = base + i;
}

static bool holds(char *region, unsigned long page, uint64_t value)
{
    return *word(region, page) == value;
}

static int touch(void *address)
{
    *(volatile char *)address = 1;
    return CHILD_SURVIVED;
}

static void check_placement(void)
{
    check_section("placement: the kernel chooses, or takes a hint");
    char *a = map(NULL, 4, RW, PRIVATE), *b = map(NULL, 4, RW, PRIVATE);
    if (a == NULL || b == NULL)
        return;
    EXPECT(((unsigned long)a | (unsigned long)b) % PAGE_SIZE == 0, "both are page-aligned");
    EXPECT(b + 4 * PAGE_SIZE == a, "the second lies just below the first: the mmap area "
                                   "fills from the top down");
    char *c = map(FAR_HINT, 1, RW, PRIVATE);
    EXPECT(c == FAR_HINT, "mmap(hint = 32 TiB) is placed at the hint: that range was free");
    char *d = map(a, 1, RW, PRIVATE);
    EXPECT(d != NULL && d != a && (d + PAGE_SIZE <= b || d >= a + 4 * PAGE_SIZE),
           "mmap(hint = the first mapping) goes elsewhere: a hint never replaces anything");
    EXPECT(holds(a, 0, 0) && holds(b, 3, 0) && holds(c, 0, 0), "new mappings read as zeros");
    if (b + 4 * PAGE_SIZE == a) {
        EXPECT_RESULT(sys_munmap(b, 8 * PAGE_SIZE), 0, "one munmap removes both neighbours");
    } else {
        sys_munmap(a, 4 * PAGE_SIZE);
        sys_munmap(b, 4 * PAGE_SIZE);
    }
    sys_munmap(c, PAGE_SIZE);
    sys_munmap(d, PAGE_SIZE);
}

static void check_fixed(void)
{
    check_section("MAP_FIXED replaces; MAP_FIXED_NOREPLACE refuses");
    char *r = map(NULL, 4, RW, PRIVATE);
    if (r == NULL)
        return;
    fill(r, 4, 100);
    char *fixed = map(r + PAGE_SIZE, 1, RW, PRIVATE | MAP_FIXED);
    EXPECT(fixed == r + PAGE_SIZE, "MAP_FIXED at page 1 returns exactly that address");
    EXPECT(holds(r, 1, 0), "page 1 is a new mapping now: it reads zeros");
    EXPECT(holds(r, 0, 100) && holds(r, 2, 102) && holds(r, 3, 103),
           "pages 0, 2 and 3 keep their data");
    long refused = sys_mmap(r, PAGE_SIZE, RW, PRIVATE | MAP_FIXED_NOREPLACE, -1, 0);
    EXPECT_RESULT(refused, -EEXIST, "MAP_FIXED_NOREPLACE over page 0: -EEXIST");
    EXPECT(holds(r, 0, 100), "and page 0 is untouched");
    char *free_place = FAR_HINT + 16 * PAGE_SIZE;
    char *placed = map(free_place, 1, RW, PRIVATE | MAP_FIXED_NOREPLACE);
    EXPECT(placed == free_place, "MAP_FIXED_NOREPLACE on a free range: exactly there");
    sys_munmap(placed, PAGE_SIZE);
    sys_munmap(r, 4 * PAGE_SIZE);
}

static void check_hole(void)
{
    check_section("munmap of a middle page splits the mapping in two");
    char *r = map(NULL, 5, RW, PRIVATE);
    if (r == NULL)
        return;
    fill(r, 5, 200);
    struct vm_measure m;
    measure_start(&m);
    long result = sys_munmap(r + 2 * PAGE_SIZE, PAGE_SIZE);
    measure_end(&m);
    EXPECT_RESULT(result, 0, "munmap(page 2 of 5)");
    if (vmstat_available())
        EXPECT_RESULT(m.rss_pages, -1, "RSS dropped by that one page");
    EXPECT(holds(r, 1, 201) && holds(r, 3, 203), "pages 1 and 3, on either side, keep their data");
    EXPECT(killed_by(run_in_child(touch, r + 2 * PAGE_SIZE), SIGSEGV),
           "touching page 2 (in a child) is SIGSEGV: nothing is mapped there");
    char *refill = map(r + 2 * PAGE_SIZE, 1, RW, PRIVATE | MAP_FIXED_NOREPLACE);
    EXPECT(refill == r + 2 * PAGE_SIZE && holds(r, 2, 0),
           "MAP_FIXED_NOREPLACE fits a new page into the hole; it reads zeros");
    EXPECT_RESULT(sys_munmap(r, 5 * PAGE_SIZE), 0, "one munmap removes all three pieces");
    EXPECT(killed_by(run_in_child(touch, r + 4 * PAGE_SIZE), SIGSEGV),
           "touching page 4 now (in a child) is SIGSEGV");
}

struct fork_pages {
    char *shared, *private;
};

static int child_writes(void *arg)
{
    struct fork_pages *p = arg;
    if (!holds(p->shared, 0, 1) || !holds(p->private, 0, 1))
        return 1;            /* the child must start with what the parent wrote */
    *word(p->shared, 0) = 2; /* touched by the parent before fork */
    *word(p->shared, 1) = 3; /* first touched here, after fork */
    *word(p->private, 0) = 2;
    *word(p->private, 1) = 3;
    return 0;
}

static void check_sharing(void)
{
    check_section("after fork: MAP_SHARED is one copy, MAP_PRIVATE one each");
    struct fork_pages p = { map(NULL, 2, RW, SHARED), map(NULL, 2, RW, PRIVATE) };
    if (p.shared == NULL || p.private == NULL)
        return;
    *word(p.shared, 0) = 1;
    *word(p.private, 0) = 1;
    long status = run_in_child(child_writes, &p);
    EXPECT(exited_with(status, 0), "a child saw our writes and wrote 2 and 3 into page 0 and 1 "
                                   "of each mapping");
    EXPECT(holds(p.shared, 0, 2), "MAP_SHARED page 0 (touched before fork): we see the child's 2");
    EXPECT(holds(p.shared, 1, 3), "MAP_SHARED page 1 (first touched by the child): we see its 3");
    EXPECT(holds(p.private, 0, 1), "MAP_PRIVATE page 0: still our 1, the child wrote a copy");
    EXPECT(holds(p.private, 1, 0), "MAP_PRIVATE page 1: still zeros, the child's page was its own");
    sys_munmap(p.shared, 2 * PAGE_SIZE);
    sys_munmap(p.private, 2 * PAGE_SIZE);
}

static void check_populate(void)
{
    check_section("MAP_POPULATE: every page present at once");
    struct vm_measure m;
    measure_start(&m);
    long result = sys_mmap(NULL, POPULATED * PAGE_SIZE, RW, PRIVATE | MAP_POPULATE, -1, 0);
    measure_end(&m);
    EXPECT(!IS_ERROR(result), "mmap 16 pages with MAP_POPULATE");
    if (IS_ERROR(result))
        return;
    if (vmstat_available())
        EXPECT_RESULT(m.rss_pages, POPULATED, "RSS grew by all 16 pages during the mmap");
    char *r = (char *)result;
    measure_start(&m);
    fill(r, POPULATED, 300);
    measure_end(&m);
    EXPECT_RESULT(m.minor_faults, 0, "writing them afterwards: getrusage counts no page faults");
    EXPECT(holds(r, POPULATED - 1, 300 + POPULATED - 1), "and the writes are there");
    sys_munmap(r, POPULATED * PAGE_SIZE);
}

/* MAP_POPULATE of 1 TiB, read-only: the zero page everywhere, and a page table
 * every 2 MiB, until memory runs out -- a long system call. Between steps the
 * kernel lets others run: the parent's short sleep ends on time, and its SIGKILL
 * ends the child. (vmlab only: Linux would fill the host's memory meanwhile.) */
static void check_populate_huge(void)
{
    check_section("MAP_POPULATE of 1 TiB: others run meanwhile, SIGKILL ends it");
    if (!vmstat_available()) {
        printf("  (vmlab only)\n");
        return;
    }
    long pid = sys_fork();
    if (pid == 0) {
        sys_mmap(NULL, HUGE_POPULATE, PROT_READ, PRIVATE | MAP_POPULATE | MAP_NORESERVE, -1, 0);
        sys_exit_group(1);
    }
    expect_busy_child_preemptible_and_killable(pid);
}

int main(void)
{
    use_small_pages_only(); /* count faults per 4 KiB page on Linux too */
    printf("mmaptest: placing, replacing, splitting and sharing mappings\n");
    vmstat_note_if_missing();
    check_placement();
    check_fixed();
    check_hole();
    check_sharing();
    check_populate();
    check_populate_huge();
    return check_summary("mmaptest");
}
