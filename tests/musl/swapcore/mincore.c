/*
 * mincore.c — what mincore says of swapped-out pages, as Linux's mincore_pte_range:
 * a page whose entry names a swap slot is resident only if the slot's page is in
 * the swap cache (touching it is then a minor fault), and never because of the
 * file behind the region: a private copy of a file page lives in swap, not in
 * the file's page cache.
 */
#include "swapcore.h"

#define SHARED_PAGES 64 /* few: no pressure while the child holds them */
#define FILE_PAGES   64
#define FILE_PATH    "/tmp/swapcore-mincore"

/* A child reads every page of p (swapped out, shared with the parent by fork) and
 * keeps them mapped until the parent writes to `go`; it writes a byte to `ready`
 * once it has read them, exits 0 if every word was right. */
static pid_t start_reader(uint64_t *p, size_t bytes, uint64_t tag, int ready, int go)
{
    pid_t child = fork();
    if (child != 0)
        return child;
    char byte = wrong_words(p, bytes, tag) == 0 ? 'y' : 'n';
    if (write(ready, &byte, 1) != 1 || read(go, &byte, 1) != 1)
        _exit(2);
    _exit(byte == 'y' ? 0 : 1);
}

/* Pages fork shares, swapped out: the child's touches bring them into the swap
 * cache (read-only in the child: the parent's entries still name the slots), so in
 * the parent, whose entries are still swap entries, they are resident now. */
static void shared_slots_read_by_a_child(void)
{
    size_t bytes = SHARED_PAGES * PAGE;
    uint64_t *a = map(bytes);
    fill(a, bytes, 11);
    push_out();
    push_out();
    size_t before = resident_pages(a, bytes);
    int ready[2], go[2];
    if (pipe(ready) != 0 || pipe(go) != 0) {
        check(0, "mincore: pipes");
        return;
    }
    pid_t child = start_reader(a, bytes, 11, ready[1], go[0]);
    char byte = 0;
    check(read(ready[0], &byte, 1) == 1 && byte == 'y', "mincore: the child read every word");
    size_t after = resident_pages(a, bytes);
    check(before < SHARED_PAGES / 2 && after == SHARED_PAGES,
          "mincore: swapped pages a child read in are resident for the parent too (swap cache)");
    if (before >= SHARED_PAGES / 2 || after != SHARED_PAGES)
        printf("  (resident %zu of %d before the child read them, %zu after)\n", before,
               SHARED_PAGES, after);
    byte = 'y';
    int status = -1;
    check(write(go[1], &byte, 1) == 1 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "mincore: the child exited 0");
    close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
    check(wrong_words(a, bytes, 11) == 0, "mincore: the parent's words are right");
    unmap(a, bytes);
}

/* A file of FILE_PAGES pages of 'f', open for reading and writing; -1 on error. */
static int make_file(void)
{
    int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[PAGE];
    memset(page, 'f', sizeof page);
    for (int i = 0; fd >= 0 && i < FILE_PAGES; i++)
        if (write(fd, page, sizeof page) != (ssize_t)sizeof page)
            return -1;
    return fd;
}

/* Private copies of file pages, swapped out: reading the file brings its own pages
 * into the page cache, which says nothing of the copies (was: all resident). */
static void private_copies_of_a_file(void)
{
    size_t bytes = FILE_PAGES * PAGE;
    int fd = make_file();
    char *m = fd < 0 ? MAP_FAILED : mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check(m != MAP_FAILED, "mincore: a private mapping of " FILE_PATH);
    if (m == MAP_FAILED)
        return;
    for (size_t i = 0; i < bytes; i += PAGE)
        m[i] = 'c'; /* each page's private copy */
    push_out();
    push_out();
    size_t out = resident_pages(m, bytes);
    char page[PAGE];
    for (int i = 0; i < FILE_PAGES; i++)
        if (pread(fd, page, sizeof page, (off_t)i * PAGE) != (ssize_t)sizeof page || page[0] != 'f')
            check(0, "mincore: the file's page %d reads back 'f'", i);
    size_t after_read = resident_pages(m, bytes);
    check(out < FILE_PAGES / 2 && after_read <= out,
          "mincore: private copies in swap stay out when the file's pages are read");
    if (out >= FILE_PAGES / 2 || after_read > out)
        printf("  (resident %zu of %d, %zu after reading the file)\n", out, FILE_PAGES, after_read);
    size_t wrong = 0;
    for (size_t i = 0; i < bytes; i += PAGE)
        wrong += m[i] != 'c' || m[i + 1] != 'f';
    check(wrong == 0, "mincore: every private copy read back");
    munmap(m, bytes);
    close(fd);
    unlink(FILE_PATH);
}

void step_mincore(void)
{
    shared_slots_read_by_a_child();
    private_copies_of_a_file();
}
