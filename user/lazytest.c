/*
 * lazytest — memory costs nothing until it is touched.
 *
 * mmap of a whole gigabyte returns at once, even on a machine with far less
 * memory: the kernel only writes down a region ("these addresses may be used,
 * read-write") and maps nothing. A page gets memory when it is first touched, in
 * the page-fault handler (demand-zero):
 *
 *   first touch of a page       what the kernel maps                  memory spent
 *   read                        the one shared frame of zeros,        none
 *                               read-only ("the zero page")
 *   write                       a fresh zeroed frame of its own       one frame
 *   write after a read          the zero page gives way to a fresh    one frame
 *                               zeroed frame
 *
 * lazytest touches 16 pages spread over the gigabyte, 8 by reading and 8 by
 * writing, then writes 2 of the read ones. vmlab's counters (vmlab_vmstat) show
 * that only the 10 written pages cost memory -- plus the page tables that lead to
 * them -- and that munmap gives every frame back. On Linux the same program runs,
 * and checks everything but vmlab's counters.
 */
#include <stdint.h>

#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define GIB               (1UL << 30)
#define REGION_SIZE       GIB
#define SLOTS             16                    /* pages touched, one in each slot */
#define SLOT_SIZE         (REGION_SIZE / SLOTS) /* 64 MiB apart */
#define READ_PAGES        (SLOTS / 2)           /* the even slots are read */
#define WRITE_PAGES       (SLOTS / 2)           /* the odd slots are written */
#define READ_THEN_WRITTEN 2                     /* slots 0 and 2 are written later */
#define PAGE_KIB          (PAGE_SIZE / 1024)
/* One page table (4 KiB) maps 2 MiB; each touched page is in its own 2 MiB, so it
 * needs its own table, and the region may cross into a second page directory. */
#define MAX_PAGE_TABLES (SLOTS + 2)

static volatile uint64_t *slot_word(volatile char *region, int slot)
{
    /* a word in the middle of the slot's first page */
    return (volatile uint64_t *)(region + (unsigned long)slot * SLOT_SIZE + PAGE_SIZE / 2);
}

static int read_region(void *region)
{
    return (int)*slot_word(region, 1); /* the region is gone: this must fault */
}

static void explain_counts(const struct vm_measure *m, const char *what)
{
    vmstat_print_delta(what, &m->self);
    if (vmstat_available())
        printf("    [vmstat] RSS %+ld pages, user frames %+ld, page-table frames %+ld, "
               "free frames %+ld\n",
               m->rss_pages, m->user_frames, m->page_table_frames, m->free_frames);
}

static volatile char *check_mmap(struct vm_measure *whole)
{
    check_section("mmap(1 GiB): the kernel only records a region");
    struct vm_measure m;
    measure_start(whole);
    measure_start(&m);
    long result = sys_mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    measure_end(&m);
    EXPECT(!IS_ERROR(result), "mmap of 1 GiB, private, anonymous, read-write succeeds");
    if (IS_ERROR(result))
        return NULL;
    /* Linux might back it with 2 MiB pages; ask for the 4 KiB pages vmlab uses. */
    sys_madvise((void *)result, REGION_SIZE, MADV_NOHUGEPAGE);
    if (vmstat_available()) {
        printf("  this machine has %lu MiB of memory in all: the gigabyte is only a promise\n",
               (unsigned long)(m.after.total_frames * PAGE_SIZE >> 20));
        EXPECT_RESULT(m.rss_pages, 0, "our resident set did not grow: no page has a frame yet");
        EXPECT_RESULT(m.user_frames, 0, "no user frame was used");
        EXPECT_RESULT(m.page_table_frames, 0, "not even a page table was made");
    }
    return (volatile char *)result;
}

static void check_reads(volatile char *region)
{
    check_section("reading 8 untouched pages: each maps the shared zero page");
    struct vm_measure m;
    uint64_t sum = 0;
    measure_start(&m);
    for (int slot = 0; slot < SLOTS; slot += 2)
        sum += *slot_word(region, slot);
    measure_end(&m);
    explain_counts(&m, "8 reads");
    EXPECT_RESULT(sum, 0, "untouched memory reads as zeros");
    EXPECT(m.minor_faults >= READ_PAGES, "getrusage: at least %d minor faults, one per page",
           READ_PAGES);
    if (!vmstat_available())
        return;
    EXPECT_RESULT(m.self.zero_page_maps, READ_PAGES, "8 zero-page mappings");
    EXPECT_RESULT(m.self.zero_fills, 0, "no zero-filled frames");
    EXPECT_RESULT(m.self.minor_faults, READ_PAGES, "exactly 8 page faults");
    EXPECT_RESULT(m.rss_pages, 0, "RSS unchanged: the zero page is not ours, it costs nothing");
    EXPECT_RESULT(m.user_frames, 0, "no user frame used");
    EXPECT(m.page_table_frames >= READ_PAGES && m.page_table_frames <= READ_PAGES + 2,
           "page tables: %ld new frames (one 4 KiB table maps 2 MiB, and the pages lie "
           "64 MiB apart)",
           m.page_table_frames);
}

static void check_writes(volatile char *region)
{
    check_section("writing 8 untouched pages: each gets a frame of its own");
    struct vm_measure m;
    measure_start(&m);
    for (int slot = 1; slot < SLOTS; slot += 2)
        *slot_word(region, slot) = 1000 + (uint64_t)slot;
    measure_end(&m);
    explain_counts(&m, "8 writes");
    EXPECT(m.minor_faults >= WRITE_PAGES, "getrusage: at least %d minor faults", WRITE_PAGES);
    if (!vmstat_available())
        return;
    EXPECT_RESULT(m.self.zero_fills, WRITE_PAGES, "8 zero-filled frames");
    EXPECT_RESULT(m.self.minor_faults, WRITE_PAGES, "exactly 8 page faults");
    EXPECT_RESULT(m.rss_pages, WRITE_PAGES, "RSS grew by 8 pages");
    EXPECT_RESULT(m.user_frames, WRITE_PAGES, "8 user frames used");
    EXPECT_RESULT(-m.free_frames, m.user_frames + m.page_table_frames,
                  "free frames went down by just those 8 and their page tables");
}

static void check_write_after_read(volatile char *region)
{
    check_section("writing 2 of the pages that were read: the zero page gives way");
    struct vm_measure m;
    measure_start(&m);
    for (int slot = 0; slot < 2 * READ_THEN_WRITTEN; slot += 2)
        *slot_word(region, slot) = 1000 + (uint64_t)slot;
    measure_end(&m);
    explain_counts(&m, "2 writes");
    EXPECT(m.minor_faults >= READ_THEN_WRITTEN, "getrusage: at least %d minor faults",
           READ_THEN_WRITTEN);
    if (!vmstat_available())
        return;
    EXPECT_RESULT(m.self.zero_fills, READ_THEN_WRITTEN,
                  "2 zero-filled frames replace the read-only zero page");
    EXPECT_RESULT(m.self.zero_page_maps, 0, "no new zero-page mappings");
    EXPECT_RESULT(m.rss_pages, READ_THEN_WRITTEN, "RSS grew by 2 pages");
    EXPECT_RESULT(m.page_table_frames, 0, "no new page tables: those pages had them already");
}

static void check_touched_again(volatile char *region, const struct vm_measure *whole)
{
    check_section("touching the pages again costs nothing; the bill for 1 GiB");
    struct vm_measure m;
    int wrong = 0;
    measure_start(&m);
    for (int slot = 0; slot < SLOTS; slot++) {
        bool written = slot % 2 == 1 || slot < 2 * READ_THEN_WRITTEN;
        uint64_t expected = written ? 1000 + (uint64_t)slot : 0;
        if (*slot_word(region, slot) != expected)
            wrong++;
        if (written) /* our own frame, writable: no fault */
            *slot_word(region, slot) = expected;
    }
    measure_end(&m);
    EXPECT_RESULT(wrong, 0, "all 16 pages hold what was written (zeros where only read)");
    if (!vmstat_available())
        return;
    EXPECT_RESULT(m.self.minor_faults, 0, "no page faults: every page is mapped now");
    long rss = (long)(m.after.self_rss_pages - whole->before.self_rss_pages);
    long tables = (long)(m.after.page_table_frames - whole->before.page_table_frames);
    EXPECT_RESULT(rss, WRITE_PAGES + READ_THEN_WRITTEN,
                  "of the gigabyte's %lu pages, 10 "
                  "(%ld KiB) are resident: the written ones",
                  REGION_SIZE / PAGE_SIZE, rss * PAGE_KIB);
    EXPECT(tables >= SLOTS && tables <= MAX_PAGE_TABLES, "and %ld page-table frames to reach them",
           tables);
}

static void check_munmap(volatile char *region, struct vm_measure *whole)
{
    check_section("munmap gives every frame back");
    EXPECT_RESULT(sys_munmap((void *)region, REGION_SIZE), 0, "munmap(1 GiB)");
    measure_end(whole);
    EXPECT(killed_by(run_in_child(read_region, (void *)region), SIGSEGV),
           "reading it afterwards (in a child) is SIGSEGV: the region is gone");
    if (!vmstat_available())
        return;
    EXPECT_RESULT(whole->rss_pages, 0, "RSS is back where it was before the mmap");
    EXPECT_RESULT(whole->user_frames, 0, "the 10 user frames are free again");
    EXPECT_RESULT(whole->page_table_frames, 0, "the page tables were freed too (they were empty)");
    EXPECT_RESULT(whole->free_frames, 0, "free frames: %lu, as before the mmap",
                  (unsigned long)whole->after.free_frames);
}

int main(void)
{
    use_small_pages_only(); /* count faults per 4 KiB page on Linux too */
    printf("lazytest: 1 GiB of memory costs only the pages that are touched\n");
    vmstat_note_if_missing();
    stack_prefault();
    struct vm_measure whole;
    volatile char *region = check_mmap(&whole);
    if (region != NULL) {
        check_reads(region);
        check_writes(region);
        check_write_after_read(region);
        check_touched_again(region, &whole);
        check_munmap(region, &whole);
    }
    return check_summary("lazytest");
}
