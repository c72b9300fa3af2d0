/*
 * pageout.c — madvise(MADV_PAGEOUT) sends a region's pages to swap at once, as
 * Linux 6.1 does (mm/pageout.c): no pressure needed. Pages fork shares stay (paging
 * one out would take it from the other process too), locked regions refuse the
 * advice, and what went out reads back byte for byte, through major faults.
 */
#include "swapcore.h"

#define PAGEOUT_PAGES 256

/* smaps' Swap and Rss of the region at p, in kB. */
static void region_kb(void *p, long *swap, long *rss)
{
    *swap = proc_kb("/proc/self/smaps", (unsigned long)p, "Swap:");
    *rss = proc_kb("/proc/self/smaps", (unsigned long)p, "Rss:");
}

/* A region of its own, written: every page out after the advice, then back. */
static void private_pages_go(void)
{
    size_t bytes = PAGEOUT_PAGES * PAGE;
    uint64_t *a = map(bytes);
    fill(a, bytes, 12);
    long swap, rss;
    check(madvise(a, bytes, MADV_PAGEOUT) == 0, "pageout: madvise(MADV_PAGEOUT)");
    region_kb(a, &swap, &rss);
    check(swap == (long)bytes / 1024 && rss == 0,
          "pageout: every page of the region went to swap (smaps Swap %ld kB, Rss %ld kB)", swap,
          rss);
    check(resident_pages(a, bytes) == 0, "pageout: mincore says none is resident");
    long majflt = major_faults();
    check(wrong_words(a, bytes, 12) == 0, "pageout: every word read back");
    check(major_faults() > majflt, "pageout: reading them back took major faults");
    unmap(a, bytes);
}

/* The same region shared with a child by fork: nothing goes; then mlock: EINVAL. */
static void shared_and_locked_pages_stay(void)
{
    size_t bytes = PAGEOUT_PAGES * PAGE;
    uint64_t *a = map(bytes);
    fill(a, bytes, 13);
    int go[2];
    if (pipe(go) != 0) {
        check(0, "pageout: a pipe");
        return;
    }
    pid_t child = fork();
    if (child == 0) { /* holds the pages until the parent is done */
        char byte;
        _exit(read(go[0], &byte, 1) == 1 && wrong_words(a, bytes, 13) == 0 ? 0 : 1);
    }
    long swap, rss;
    check(madvise(a, bytes, MADV_PAGEOUT) == 0, "pageout: madvise of pages fork shares");
    region_kb(a, &swap, &rss);
    check(swap == 0 && rss == (long)bytes / 1024,
          "pageout: pages a child shares stay (smaps Swap %ld kB, Rss %ld kB)", swap, rss);
    int status = -1;
    check(write(go[1], "y", 1) == 1 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "pageout: the child read its words and exited 0");
    close(go[0]), close(go[1]);
    check(mlock(a, PAGE) == 0 && madvise(a, bytes, MADV_PAGEOUT) == -1 && errno == EINVAL,
          "pageout: a range with a locked page: EINVAL");
    check(wrong_words(a, bytes, 13) == 0, "pageout: every word right");
    unmap(a, bytes);
}

void step_pageout(void)
{
    private_pages_go();
    shared_and_locked_pages_stay();
}
