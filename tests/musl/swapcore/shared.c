/*
 * shared.c — shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): its pages go to
 * swap too, in slots its object records (mm/object.c, mm/shm_swap.c).
 */
#include "swapcore.h"

static size_t fill_shared(uint64_t *p, size_t bytes, uint64_t tag)
{
    fill(p, bytes, tag);
    return 0;
}

#define SHM_MARK  0x5eedf00dul /* the parent's store, read by the child */
#define SHM_REPLY 0xc0ffee00ul /* the child's store, read by the parent */

/* The child's part: it stores its reply in page 0 first, then checks every other
 * word -- the pattern, but the parent's mark in the middle page -- which pushes
 * page 0 out before the parent looks. Wrong words. */
static size_t check_shared(uint64_t *p, size_t bytes, uint64_t tag)
{
    size_t middle = bytes / 2 / 8, wrong = p[0] != pattern(tag, 0);
    p[0] = SHM_REPLY;
    for (size_t i = 1; i < bytes / 8; i++)
        wrong += p[i] != (i == middle ? SHM_MARK : pattern(tag, i));
    return wrong;
}

/* A region of shared anonymous memory twice the free memory: a child fills it
 * (each page leaves memory for swap as the next ones come: pswpout grows by at
 * least the excess), the parent marks the middle page, a second child checks
 * every word and answers in page 0, which goes out and comes back before the
 * parent reads it; munmap lets every slot go (SwapFree up by the region's Swap). */
/* meminfo's Mapped counts the cached pages page-table entries map, shared
 * anonymous memory included (Linux's NR_FILE_MAPPED): it grows by a shared
 * region's pages once they are touched, and drops by as many at munmap. (A page
 * or two of this program's own text may come or go meanwhile.) */
void step_mapped(void)
{
    size_t pages = 256;
    long before = meminfo_kb("Mapped:");
    uint64_t *p = map_shared(pages * PAGE);
    fill(p, pages * PAGE, 21);
    long touched = meminfo_kb("Mapped:");
    munmap(p, pages * PAGE);
    long after = meminfo_kb("Mapped:");
    long region_kb = (long)(pages * PAGE / 1024), slack_kb = 16;
    check(touched - before >= region_kb && touched - before <= region_kb + slack_kb,
          "mapped: meminfo's Mapped grew by the region's %ld kB once touched (+%ld kB)", region_kb,
          touched - before);
    check(touched - after >= region_kb && touched - after <= region_kb + slack_kb,
          "mapped: and dropped by as much at munmap (-%ld kB)", touched - after);
}

void step_shared(void)
{
    size_t free_bytes = (size_t)meminfo_kb("MemFree:") * 1024;
    size_t bytes = (free_bytes * 2 + MIB - 1) / MIB * MIB;
    uint64_t *p = map_shared(bytes);
    long out_before = vmstat_counter("pswpout");
    int status = in_child(fill_shared, p, bytes, 20);
    long written = vmstat_counter("pswpout") - out_before;
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "shared: a child filled twice the free memory (MAP_SHARED|MAP_ANONYMOUS)");
    if (!WIFEXITED(status))
        printf("  (the child was killed by signal %d)\n", WTERMSIG(status));
    long excess = (long)((bytes - free_bytes) / PAGE);
    check(written >= excess, "shared: pswpout grew by at least the excess over free memory");
    printf("# shared: %zu MiB filled with %zu MiB free: pswpout +%ld (excess %ld pages)\n",
           bytes / MIB, free_bytes / MIB, written, excess);
    if (written < excess)
        printf("  (pswpout +%ld, excess %ld pages)\n", written, excess);
    long swap_kb = proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    check(swap_kb > 0 && swap_kb <= (long)(bytes / 1024),
          "shared: smaps Swap of the region above 0");
    check(resident_pages(p, 8 * MIB) < 8 * MIB / PAGE,
          "shared: mincore says some of the first pages are out");
    p[bytes / 2 / 8] = SHM_MARK;
    long in_before = vmstat_counter("pswpin");
    status = in_child(check_shared, p, bytes, 20);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "shared: a forked child read every word back, and the parent's mark");
    long read = vmstat_counter("pswpin") - in_before;
    check(read >= excess, "shared: pswpin grew by the excess");
    printf("# shared: a child read it all back: pswpin +%ld\n", read);
    check(resident_pages(p, PAGE) == 0, "shared: the page the child answered in went out again");
    check(p[0] == SHM_REPLY, "shared: the child's store came back to the parent through swap");
    p[0] = pattern(20, 0);
    p[bytes / 2 / 8] = pattern(20, bytes / 2 / 8);
    swap_kb = proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    long free_before = meminfo_kb("SwapFree:");
    munmap(p, bytes);
    long freed = meminfo_kb("SwapFree:") - free_before;
    check(swap_kb > 0 && freed == swap_kb, "shared: munmap gave back every slot (SwapFree up by "
                                           "the region's Swap)");
    if (swap_kb <= 0 || freed != swap_kb)
        printf("  (Swap %ld kB, SwapFree +%ld kB)\n", swap_kb, freed);
}

/* A private region and a shared one written page by page in turn, then pushed
 * out: their slots alternate in runs. Reading the private region in order, read-
 * ahead must take private pages only: the shared ones' slots are read when their
 * own object's page is touched (never through a page-table entry), so reading them
 * here is I/O thrown away. Every page read ahead is then found by a fault. */
void step_readahead_shared(void)
{
    size_t bytes = 4 * MIB, pages = bytes / PAGE;
    uint64_t *a = map(bytes), *s = map_shared(bytes);
    for (size_t i = 0; i < pages; i++) {
        fill(a + i * PAGE / 8, PAGE, 1000 + i);
        fill(s + i * PAGE / 8, PAGE, 5000 + i);
    }
    push_out();
    push_out();
    vmstat_counter("swap_ra"); /* (bring the reader's own pages in first) */
    long ra = vmstat_counter("swap_ra"), hits = vmstat_counter("swap_ra_hit");
    size_t wrong = 0;
    for (size_t i = 0; i < pages; i++)
        wrong += a[i * PAGE / 8] != pattern(1000 + i, 0);
    long read_ahead = vmstat_counter("swap_ra") - ra, found = vmstat_counter("swap_ra_hit") - hits;
    check(wrong == 0, "readahead, shared: the private pages read back in order");
    /* (but for one window past the region's end, at most 7 pages of someone else) */
    check(read_ahead > 0 && read_ahead - found <= 7,
          "readahead, shared: every page read ahead was used (swap_ra +%ld, swap_ra_hit +%ld)",
          read_ahead, found);
    for (size_t i = 0; i < pages; i++)
        wrong += s[i * PAGE / 8] != pattern(5000 + i, 0);
    check(wrong == 0, "readahead, shared: the shared pages read back");
    munmap(s, bytes);
    unmap(a, bytes);
}

/* MADV_REMOVE (punch a hole) in shared anonymous memory that went out to swap:
 * its slots are freed, and the pages read as zeros without reading the disk. */
void step_remove_shared(void)
{
    size_t bytes = 4 * PAGE;
    uint64_t *p = map_shared(bytes);
    fill(p, bytes, 22);
    push_out();
    push_out(); /* twice: a second chance for their accessed bits, then they go */
    /* the readers' own pages (stack, stdio's buffers) may be out too: a first
     * round brings them in, so the numbers below move only by what madvise did */
    proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    meminfo_kb("SwapFree:");
    vmstat_counter("pswpin");
    long swap_kb = proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    long free_before = meminfo_kb("SwapFree:"), in_before = vmstat_counter("pswpin");
    int removed = madvise(p, bytes, MADV_REMOVE);
    long freed = meminfo_kb("SwapFree:") - free_before;
    size_t nonzero = 0;
    for (size_t i = 0; i < bytes / 8; i++)
        nonzero += p[i] != 0;
    long read = vmstat_counter("pswpin") - in_before;
    check(removed == 0, "remove: MADV_REMOVE of shared pages out in swap");
    check(swap_kb > 0 && freed == swap_kb,
          "remove: their slots are free (SwapFree up by the region's Swap)");
    if (swap_kb <= 0 || freed != swap_kb)
        printf("  (Swap %ld kB, SwapFree +%ld kB)\n", swap_kb, freed);
    check(proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:") == 0, "remove: smaps Swap 0");
    check(nonzero == 0, "remove: the pages read as zeros");
    check(read == 0, "remove: nothing read from swap (pswpin +%ld)", read);
    munmap(p, bytes);
}

static size_t fill_shared_until_killed(uint64_t *p, size_t bytes, uint64_t tag)
{
    (void)p;
    uint64_t *q = map_shared(bytes);
    fill(q, bytes, tag);
    return 0;
}

/* Without swap, shared anonymous memory has nowhere to go: a child filling twice
 * the free memory is killed by the OOM killer (SIGKILL), as before. */
void step_shared_no_swap(void)
{
    size_t bytes = (size_t)meminfo_kb("MemFree:") * 1024 * 2 / MIB * MIB;
    int status = in_child(fill_shared_until_killed, NULL, bytes, 21);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "shared, no swap: the child filling twice the free memory was OOM-killed");
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
        printf("  (wait status 0x%x)\n", status);
}
