/*
 * private.c — private anonymous pages under pressure: they leave and come back
 * byte for byte, clean copies are not written twice, read-ahead learns, locked
 * pages stay, and fork, munmap, mremap and PROT_NONE keep their swapped pages right.
 */
#include "swapcore.h"

void step_pushed(void)
{
    size_t bytes = 8 * MIB;
    uint64_t *a = map(bytes);
    fill(a, bytes, 1);
    push_out();
    size_t resident = resident_pages(a, bytes);
    check(resident < bytes / PAGE, "pushed: %s of 8 MiB left memory",
          resident < bytes / PAGE ? "some" : "none");
    check(vm_swap_kb() > 0, "pushed: VmSwap above 0");
    check(wrong_words(a, bytes, 1) == 0, "pushed: every word read back");
    unmap(a, bytes);
}

/* Pages written out twice with push_out, as counted by pswpout. */
static long pages_written_by_pressure(void)
{
    long before = vmstat_counter("pswpout");
    push_out();
    push_out();
    return vmstat_counter("pswpout") - before;
}

/* Pages swapped in by reads stay in the swap cache as clean copies (Linux does the
 * same while swap is less than half full): pushed out again they are not written
 * again, so pswpout grows by far less than when the same pages were written just
 * before. The first write to a clean copy lets its slot go, so the new bytes are
 * what comes back. */
void step_clean_copy(void)
{
    size_t bytes = 8 * MIB, pages = bytes / PAGE;
    uint64_t *a = map(bytes);
    fill(a, bytes, 7);
    push_out();
    push_out();
    check(wrong_words(a, bytes, 7) == 0, "clean copy: every word read back");
    long clean = pages_written_by_pressure();
    check(proc_kb("/proc/self/smaps", (unsigned long)a, "Swap:") > 0,
          "clean copy: pushed out again");
    check(wrong_words(a, bytes, 7) == 0, "clean copy: every word read back again");
    fill(a, bytes, 8); /* writes to pages mapped read-only as clean copies */
    long dirty = pages_written_by_pressure();
    check(wrong_words(a, bytes, 8) == 0, "clean copy: every rewritten word read back");
    check(clean >= 0 && dirty >= 0 && clean + (long)pages / 2 < dirty,
          "clean copy: pushing out %zu pages read back wrote %s after writing them", pages,
          clean + (long)pages / 2 < dirty ? "far fewer pages than" : "about as many pages as");
    printf("# clean copy: pswpout +%ld (clean), +%ld (written)\n", clean, dirty);
    unmap(a, bytes);
}

/* Swap read-ahead learns (mm/swap_in.c): touching every 8th page of a swapped-out
 * region reads ahead pages nobody uses, so the window shrinks to the page itself;
 * reading a region in order finds its pages read ahead. /proc/vmstat's swap_ra
 * counts pages read ahead, swap_ra_hit those a fault found. */
void step_readahead(void)
{
    size_t bytes = 8 * MIB, pages = bytes / PAGE, stride = 8;
    uint64_t *a = map(bytes);
    fill(a, bytes, 9);
    push_out();
    push_out();
    long ra = vmstat_counter("swap_ra");
    size_t wrong = 0;
    for (size_t p = 0; p < pages; p += stride)
        wrong += a[p * PAGE / 8] != pattern(9, p * PAGE / 8);
    long strided = vmstat_counter("swap_ra") - ra;
    check(wrong == 0, "readahead: every 8th page read back");
    check(ra >= 0 && strided < (long)(pages / stride),
          "readahead: touching every 8th page read ahead fewer pages than it touched");
    printf("# readahead: every 8th page of %zu: swap_ra +%ld\n", pages, strided);
    long hits = vmstat_counter("swap_ra_hit");
    check(wrong_words(a, bytes, 9) == 0, "readahead: every word read back in order");
    long found = vmstat_counter("swap_ra_hit") - hits;
    check(hits >= 0 && found > (long)pages / 4,
          "readahead: reading in order found pages read ahead (over a quarter of them)");
    printf("# readahead: in order: swap_ra_hit +%ld\n", found);
    unmap(a, bytes);
}

void step_mlock(void)
{
    size_t bytes = 2 * MIB;
    uint64_t *l = map(bytes);
    check(mlock(l, bytes) == 0, "mlock: 2 MiB locked");
    fill(l, bytes, 2);
    push_out();
    check(resident_pages(l, bytes) == bytes / PAGE, "mlock: every locked page stayed in memory");
    check(proc_kb("/proc/self/smaps", (unsigned long)l, "Locked:") == 2048,
          "mlock: smaps Locked 2048 kB");
    check(proc_kb("/proc/self/smaps", (unsigned long)l, "Swap:") == 0, "mlock: smaps Swap 0 kB");
    check(proc_kb("/proc/self/status", 0, "VmLck:") == 2048, "mlock: VmLck 2048 kB");
    check(wrong_words(l, bytes, 2) == 0, "mlock: every word right");
    check(munlock(l, bytes) == 0, "munlock");
    push_out();
    check(resident_pages(l, bytes) < bytes / PAGE, "munlock: unlocked pages may leave again");
    check(wrong_words(l, bytes, 2) == 0, "munlock: every word read back");
    unmap(l, bytes);
}

/* mlock's rules as Linux has them, and MAP_LOCKED: a locked mapping from the start. */
void step_lock_rules(void)
{
    char *hole = map(PAGE);
    unmap(hole, PAGE); /* now nothing is mapped there */
    errno = 0;
    check(mlock(hole, PAGE) == -1 && errno == ENOMEM, "mlock of an unmapped page: ENOMEM");
    errno = 0;
    check(mlockall(0) == -1 && errno == EINVAL, "mlockall(0): EINVAL");
    errno = 0;
    check(syscall(SYS_mlock2, hole, PAGE, 2) == -1 && errno == EINVAL,
          "mlock2 with flag 2: EINVAL");
    size_t bytes = 1 * MIB;
    char *l =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    check(l != MAP_FAILED, "MAP_LOCKED: mapped");
    if (l == MAP_FAILED)
        return;
    check(resident_pages(l, bytes) == bytes / PAGE, "MAP_LOCKED: every page present at once");
    check(proc_kb("/proc/self/smaps", (unsigned long)l, "Locked:") == 1024,
          "MAP_LOCKED: smaps Locked 1024 kB");
    push_out();
    check(resident_pages(l, bytes) == bytes / PAGE, "MAP_LOCKED: still in memory after pressure");
    munmap(l, bytes);
}

void step_fork(void)
{
    size_t bytes = 4 * MIB;
    uint64_t *s = map(bytes);
    fill(s, bytes, 3);
    pid_t child = fork();
    if (child == 0) {
        push_out();
        size_t wrong = wrong_words(s, bytes, 3);
        fill(s, bytes / 2, 4); /* copy-on-write of swapped-in pages */
        push_out();
        wrong += wrong_words(s, bytes / 2, 4);
        for (size_t i = bytes / 16; i < bytes / 8; i++) /* the second half: still tag 3 */
            wrong += s[i] != pattern(3, i);
        _exit(wrong == 0 ? 0 : 1);
    }
    int status = -1;
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "fork: the child read the shared pages back and saw its own writes");
    push_out();
    check(wrong_words(s, bytes, 3) == 0, "fork: the parent's pages are its own bytes");
    unmap(s, bytes);
}

void step_munmap(void)
{
    size_t bytes = 8 * MIB;
    uint64_t *m = map(bytes);
    fill(m, bytes, 5);
    push_out();
    long swap = proc_kb("/proc/self/smaps", (unsigned long)m, "Swap:");
    long before = vm_swap_kb();
    unmap(m, bytes);
    long after = vm_swap_kb();
    check(swap > 0 && before - after == swap, "munmap: VmSwap fell by the region's Swap (%s)",
          swap > 0 ? "above 0" : "none swapped");
    if (swap <= 0 || before - after != swap)
        printf("  (Swap %ld kB, VmSwap %ld kB before, %ld kB after)\n", swap, before, after);
}

void step_mremap(void)
{
    size_t bytes = 4 * MIB;
    uint64_t *r = map(bytes);
    fill(r, bytes, 6);
    push_out();
    long swap = proc_kb("/proc/self/smaps", (unsigned long)r, "Swap:");
    /* VmSwap read twice the same way: reading cannot swap in a page of its own
     * the second time that it did not the first (a stdio buffer, say) */
    long before = vm_swap_kb();
    /* (the guard page above it is in the way: it moves) */
    uint64_t *moved = mremap(r, bytes, 2 * bytes, MREMAP_MAYMOVE);
    long after = vm_swap_kb();
    check(moved != MAP_FAILED, "mremap: moved");
    if (moved == MAP_FAILED)
        return;
    check(moved == r || proc_kb("/proc/self/smaps", (unsigned long)moved, "Swap:") == swap,
          "mremap: the moved region's Swap is the old one's");
    check(after == before, "mremap: VmSwap unchanged");
    if (after != before)
        printf("  (VmSwap %ld kB before, %ld kB after)\n", before, after);
    check(wrong_words(moved, bytes, 6) == 0, "mremap: every word read back at the new place");
    munmap(moved, 2 * bytes);
    unmap(r, 0); /* the guard pages left behind */
}

void step_prot_none(void)
{
    size_t bytes = 4 * MIB;
    uint64_t *p = map(bytes);
    fill(p, bytes, 7);
    push_out();
    check(mprotect(p, bytes, PROT_NONE) == 0, "PROT_NONE: mprotect");
    push_out();
    check(mprotect(p, bytes, PROT_READ) == 0, "PROT_NONE: mprotect back to PROT_READ");
    check(wrong_words(p, bytes, 7) == 0, "PROT_NONE: every word read back");
    unmap(p, bytes);
}
