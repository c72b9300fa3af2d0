/*
 * pageout.c — madvise(MADV_PAGEOUT) sends a region's pages out at once, as Linux
 * 6.1 does (mm/pageout.c): no pressure needed. Private and shared anonymous pages
 * go to swap, clean file pages leave the page cache; pages fork shares, or two
 * mappings, stay (paging one out would take it from the other too), dirty file
 * pages stay, locked regions refuse the advice, and what went out reads back
 * byte for byte.
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

#define PAGEOUT_FILE "/tmp/swapcore-pageout"

/* A file's pages: a clean page only this mapping maps is dropped (the file has
 * it) and reads back; a dirty one stays (Linux writes file pages back from
 * kswapd only); a page two mappings share stays. */
static void file_pages(void)
{
    size_t bytes = 64 * PAGE;
    uint64_t *contents = map(bytes);
    fill(contents, bytes, 14);
    int fd = open(PAGEOUT_FILE, O_CREAT | O_TRUNC | O_RDWR, 0644);
    check(fd >= 0 && write(fd, contents, bytes) == (ssize_t)bytes, "pageout: a file of 64 pages");
    unmap(contents, bytes);
    uint64_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check(p != MAP_FAILED && wrong_words(p, bytes, 14) == 0, "pageout: the file mapped, read");
    if (p == MAP_FAILED)
        return;
    check(resident_pages(p, bytes) == 64 && madvise(p, bytes, MADV_PAGEOUT) == 0 &&
              resident_pages(p, bytes) == 0,
          "pageout: its clean pages left the page cache (mincore 0 of 64)");
    check(wrong_words(p, bytes, 14) == 0, "pageout: and read back from the file");
    for (size_t i = 0; i < bytes / PAGE; i++)
        p[i * PAGE / 8] = pattern(14, i * PAGE / 8); /* the same words: dirty, unchanged */
    madvise(p, bytes, MADV_PAGEOUT);
    check(resident_pages(p, bytes) == 64, "pageout: dirty file pages stay (%zu of 64 resident)",
          resident_pages(p, bytes));
    msync(p, bytes, MS_SYNC);
    uint64_t *q = mmap(NULL, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
    check(q != MAP_FAILED && wrong_words(q, bytes, 14) == 0, "pageout: a second mapping, read");
    madvise(q, bytes, MADV_PAGEOUT);
    check(resident_pages(q, bytes) == 64, "pageout: pages two mappings share stay (%zu of 64)",
          resident_pages(q, bytes));
    munmap(q, bytes);
    munmap(p, bytes);
    close(fd);
    unlink(PAGEOUT_FILE);
}

/* Shared anonymous memory mapped once goes to swap, and reads back. */
static void shared_memory_goes(void)
{
    size_t bytes = 64 * PAGE;
    uint64_t *s = map_shared(bytes);
    fill(s, bytes, 15);
    check(madvise(s, bytes, MADV_PAGEOUT) == 0 && resident_pages(s, bytes) == 0,
          "pageout: shared anonymous pages left memory (mincore 0 of 64)");
    long swap = proc_kb("/proc/self/smaps", (unsigned long)s, "Swap:");
    check(swap == (long)bytes / 1024, "pageout: to swap (smaps Swap %ld kB)", swap);
    check(wrong_words(s, bytes, 15) == 0, "pageout: and read back");
    munmap(s, bytes);
}

void step_pageout(void)
{
    private_pages_go();
    shared_and_locked_pages_stay();
    file_pages();
    shared_memory_goes();
}
