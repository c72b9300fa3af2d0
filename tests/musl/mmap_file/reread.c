/*
 * reread.c — files read back whole: one larger than memory (big), and every file
 * the main run left, after a fresh boot (sums).
 */
#include "mmap_file.h"

/* Three words of every page of big.bin (size bytes, more than memory) inverted
 * through one MAP_SHARED mapping: the dirty pages cannot all stay, so reclaim must
 * write them back to the file before it drops them (without swap: there is no
 * other place). pread must then find those words inverted, and every 64th page
 * whole, its other bytes as they were. */
static void stores_larger_than_memory(long size)
{
    int fd = open("big.bin", O_RDWR);
    unsigned char *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        printf("mmap MAP_SHARED: -1 %s\n", errno_name(errno));
        close(fd);
        return;
    }
    static const long words[] = { 0, PAGE / 2, PAGE - 8 }; /* where in each page */
    long written_before = vmstat_value("nr_vmscan_write");
    for (long off = 0; off < size; off += PAGE)
        for (int w = 0; w < 3; w++)
            *(uint64_t *)(p + off + words[w]) ^= ~0ull;
    long by_reclaim = vmstat_value("nr_vmscan_write") - written_before;
    munmap(p, (size_t)size);
    static unsigned char page[PAGE];
    long bad = 0, total = 0;
    while (pread(fd, page, PAGE, total) == PAGE) {
        bool whole = (total / PAGE) % 64 == 0;
        for (long i = 0; i < PAGE; i++) {
            bool inverted = i < 8 || (i >= PAGE / 2 && i < PAGE / 2 + 8) || i >= PAGE - 8;
            if (!whole && !inverted && i != 8 && i != PAGE / 2 - 1)
                continue; /* the words, and a byte next to two of them */
            unsigned char want = pattern((uint64_t)(total + i));
            bad += page[i] != (inverted ? (unsigned char)~want : want);
        }
        total += PAGE;
    }
    close(fd);
    printf("MAP_SHARED stores: %ld pages, read() back %ld bytes, %ld bad\n", size / PAGE, total,
           bad);
    long excess = size / PAGE - sysconf(_SC_PHYS_PAGES); /* pages that could not all stay */
    printf("pages written back by reclaim: %s\n",
           by_reclaim >= excess ? "at least the excess over memory" : "too few");
    fprintf(stderr, "written back by reclaim: %ld pages (excess over memory %ld)\n", by_reclaim,
            excess);
}

#define CUT_MIB 4 /* the file truncate_while_written_back cuts */
#define CUT_CYCLES                                                                                 \
    10 /* (without the fix a third of them found a cut page back: 10 miss it 2% of the time) */
#define SPARE_MIB 4 /* memory the hog leaves: the file's pages and a little more */

/* Pages of fd (size bytes) whose byte 7 is not zero. */
static long nonzero_pages(int fd, long size)
{
    static unsigned char page[PAGE];
    long found = 0;
    for (long off = 0; off < size; off += PAGE)
        found += pread(fd, page, PAGE, off) == PAGE && page[7] != 0;
    return found;
}

/* A file whose pages were stored to through MAP_SHARED, cut to 0 and grown back
 * while, memory being short, reclaim writes those pages back: it must read as
 * zeros. (A write-back waiting for the file system while the truncate ran wrote
 * the cut page's bytes into the grown file: they came back.) */
static void truncate_while_written_back(void)
{
    long size = CUT_MIB * MIB, stale = 0;
    int fd = open("cut.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, size) != 0)
        return;
    pid_t hog = start_hog(SPARE_MIB);
    long written_before = vmstat_value("nr_vmscan_write");
    for (int cycle = 0; cycle < CUT_CYCLES; cycle++) {
        unsigned char *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        for (long off = 0; p != MAP_FAILED && off < size; off += PAGE)
            p[off + 7] = 0xaa;
        munmap(p, (size_t)size);
        ftruncate(fd, 0);
        ftruncate(fd, size);
        stale += nonzero_pages(fd, size);
    }
    long by_reclaim = vmstat_value("nr_vmscan_write") - written_before;
    kill(hog, SIGKILL);
    waitpid(hog, NULL, 0);
    close(fd);
    unlink("cut.bin");
    printf("cut to 0 and grown while written back: %d cycles, %ld cut pages came back\n",
           CUT_CYCLES, stale);
    printf("pages written back by reclaim meanwhile: %s\n", by_reclaim > 0 ? "some" : "none");
}

/* A file of MIB MiB written, then checked through read() and through MAP_PRIVATE,
 * then rewritten through MAP_SHARED; then stores to holes the disk cannot take
 * (full_disk.c); then another cut while written back. */
void big(long mib)
{
    printf("== a file of %ld MiB\n", mib);
    long size = mib * MIB;
    make_file("big.bin", size);
    printf("written: size %ld\n", file_size("big.bin"));
    static unsigned char buf[16 * PAGE];
    int fd = open("big.bin", O_RDONLY);
    long bad = 0, total = 0, n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        bad += !holds_pattern(buf, total, n);
        total += n;
    }
    printf("read(): %ld bytes, %ld bad pieces\n", total, bad);
    unsigned char *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        printf("mmap: -1 %s\n", errno_name(errno));
        return;
    }
    bad = 0;
    for (long off = 0; off < size; off += PAGE)
        bad += !holds_pattern(p + off, off, PAGE);
    printf("MAP_PRIVATE: %ld pages, %ld bad\n", size / PAGE, bad);
    munmap(p, (size_t)size);
    stores_larger_than_memory(size);
    stores_on_a_full_disk(); /* big.bin leaves the disk a few MiB */
    unlink("big.bin");
    truncate_while_written_back();
}

static uint64_t fnv(const unsigned char *p, long n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (long i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Three processes fault in the pages of one file at once (on vmlab after a fresh boot:
 * each page is read from the disk once, the others wait for it); each checksum, kept
 * in shared memory, must be the one read() gives. */
static void faulting_together(const char *name)
{
    long size = file_size(name);
    uint64_t *sum = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    fflush(stdout);
    for (int i = 0; i < 3; i++)
        if (fork() == 0) {
            int fd = open(name, O_RDONLY);
            unsigned char *p =
                mmap(NULL, (size_t)size, PROT_READ, i == 1 ? MAP_SHARED : MAP_PRIVATE, fd, 0);
            sum[i] = p == MAP_FAILED ? 0 : fnv(p, size);
            _exit(0);
        }
    while (wait(NULL) > 0)
        ;
    static unsigned char buf[256 * 1024];
    int fd = open(name, O_RDONLY);
    long n = read(fd, buf, sizeof buf);
    close(fd);
    uint64_t want = fnv(buf, n);
    printf("%s faulted in by 3 processes at once: %s\n", name,
           sum[0] == want && sum[1] == want && sum[2] == want ? "each saw read()'s bytes"
                                                              : "they differ");
    munmap(sum, PAGE);
}

/* sums: the files the main run left, each read first through a mapping (on vmlab, after
 * a fresh boot, every page comes from the disk) and then through read(). */
void sums(int on_vmlab)
{
    static const char *const names[] = { "data.bin",  "kept.bin",      "synced.bin",
                                         "priv.bin",  "fork.bin",      "tail.bin",
                                         "trunc.bin", "sparse.bin",    "resident.bin",
                                         "moved.bin", "protected.bin", "dontneed.bin",
                                         "child.bin", "prog" };
    static unsigned char buf[256 * 1024];
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    printf("== the files, mapped then read\n");
    faulting_together("prog");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int fd = open(names[i], O_RDONLY);
        long size = file_size(names[i]);
        if (fd < 0 || size <= 0 || size > (long)sizeof buf) {
            printf("%s: missing or of size %ld\n", names[i], size);
            close(fd);
            continue;
        }
        unsigned char *p =
            mmap(NULL, (size_t)size, PROT_READ, i % 2 ? MAP_SHARED : MAP_PRIVATE, fd, 0);
        uint64_t mapped = p == MAP_FAILED ? 0 : fnv(p, size);
        long n = read(fd, buf, sizeof buf);
        printf("%s: size %ld, %s fnv %016llx, read() %ld bytes, the same: %s\n", names[i], size,
               i % 2 ? "MAP_SHARED" : "MAP_PRIVATE", (unsigned long long)mapped, n,
               n == size && mapped == fnv(buf, n) ? "yes" : "no");
        if (p != MAP_FAILED)
            munmap(p, (size_t)size);
        close(fd);
    }
    getrusage(RUSAGE_SELF, &after);
    if (on_vmlab) {
        printf("== vmlab only\n");
        yes_no("after a fresh boot, major faults grew", after.ru_majflt > before.ru_majflt);
    }
}
