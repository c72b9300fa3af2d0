/*
 * swapbench — the swap benchmark of `make bench-swap`: one static musl program that
 * runs unchanged on vmlab and on Linux, touching a region larger than RAM so that
 * every pass has to swap pages out and back in.
 *
 *   swapbench [--linux MODULE.ko... --swapon DEV] MIB
 *
 * It maps MIB MiB of anonymous memory (give it 2x the RAM) and makes four passes:
 *   write    writes every word of every page, in address order: each page gets its
 *            own pattern, so pages are never all zero (nothing to skip)
 *   rewrite  reads and rewrites the first word of every page, in address order
 *   random   the same in a fixed pseudo-random order (xorshift, fixed seed): no
 *            read-ahead or neighbouring slot helps more than chance
 *   verify   reads every word of every page, in address order, and checks it
 * For each pass one line run-bench-swap reads:
 *   pass write 1.234 s 54.4 MB/s pswpin 0 pswpout 12345
 * seconds from CLOCK_MONOTONIC around the pass, MB/s = the region's bytes / seconds
 * (10^6 bytes), and the change of pswpin and pswpout in /proc/vmstat (pages read
 * from and written to swap during the pass; -1 when /proc/vmstat has no such line).
 * Then "total S s" and "checksum 0x..." (a sum over every word verify read: the same
 * on any correct kernel) and "verify ok" or "verify FAILED: N bad pages".
 *
 * --linux: the program is init's child under tests/bench's Linux run, whose
 * initramfs has no virtio drivers. It loads the given kernel modules in order
 * (finit_module), waits for DEV to appear and swaps on it (swapon). vmlab swaps on
 * the disk named by swap= on its command line by itself.
 *
 * Exit status: 0, 1 if a page read back wrong, 2 on a usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE         4096L
#define WORDS        (PAGE / (long)sizeof(uint64_t))
#define MIB          (1024L * 1024)
#define SEED         0x5eed5eedU
#define DISK_WAIT_MS 10000

/* The value every word of a page holds after pass 1: page number and word number
 * mixed, so a page swapped back into the wrong place is caught. */
static uint64_t pattern(long page, long word)
{
    return ((uint64_t)page << 20 ^ (uint64_t)word) * 0x9e3779b97f4a7c15ULL;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The value of counter NAME in /proc/vmstat, or -1 when it is not there. Read
 * outside the timed loops of a pass, so it costs the pass nothing. */
static long vmstat(const char *name)
{
    FILE *f = fopen("/proc/vmstat", "r");
    if (f == NULL)
        return -1;
    char key[64];
    long value, found = -1;
    while (fscanf(f, "%63s %ld", key, &value) == 2)
        if (strcmp(key, name) == 0) {
            found = value;
            break;
        }
    fclose(f);
    return found;
}

/* One pass's start: the clock and the two swap counters. */
struct mark {
    double t;
    long in, out;
};

static struct mark mark_now(void)
{
    struct mark m = {now_seconds(), vmstat("pswpin"), vmstat("pswpout")};
    return m;
}

/* Prints the pass line from START to now; returns the pass's seconds. */
static double report(const char *name, long bytes, struct mark start)
{
    struct mark end = mark_now();
    double s = end.t - start.t;
    long in = start.in < 0 || end.in < 0 ? -1 : end.in - start.in;
    long out = start.out < 0 || end.out < 0 ? -1 : end.out - start.out;
    printf("pass %s %.3f s %.1f MB/s pswpin %ld pswpout %ld\n", name, s, (double)bytes / s / 1e6, in,
           out);
    fflush(stdout);
    return s;
}

/* Pass 1: every word of every page, in address order. */
static void pass_write(uint64_t *region, long pages)
{
    for (long p = 0; p < pages; p++)
        for (long w = 0; w < WORDS; w++)
            region[p * WORDS + w] = pattern(p, w);
}

/* Passes 2 and 3: read the first word of each page in ORDER and add 1 to it: one
 * fault for a swapped-out page, and the page is dirty again for reclaim. */
static void pass_touch(uint64_t *region, const uint32_t *order, long pages)
{
    for (long i = 0; i < pages; i++)
        region[(long)order[i] * WORDS] += 1;
}

/* Pass 4: every word read back; the first word of each page was touched twice.
 * Returns the pages that held a wrong word and sums every word into *sum. */
static long pass_verify(const uint64_t *region, long pages, uint64_t *sum)
{
    long bad = 0;
    for (long p = 0; p < pages; p++) {
        int wrong = region[p * WORDS] != pattern(p, 0) + 2;
        for (long w = 0; w < WORDS; w++) {
            *sum += region[p * WORDS + w];
            wrong |= w > 0 && region[p * WORDS + w] != pattern(p, w);
        }
        bad += wrong;
    }
    return bad;
}

/* The page numbers 0..PAGES-1 in address order, or shuffled (Fisher-Yates driven by
 * xorshift32 from a fixed seed: the same order on every kernel and every run). */
static void make_order(uint32_t *order, long pages, int shuffle)
{
    uint32_t x = SEED;
    for (long i = 0; i < pages; i++)
        order[i] = (uint32_t)i;
    for (long i = pages - 1; shuffle && i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        long j = (long)(x % (uint32_t)(i + 1));
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

/* Linux only: load the virtio drivers in order, wait for DEV, swap on it. */
static int linux_swapon(char **modules, int count, const char *dev)
{
    for (int i = 0; i < count; i++) {
        int fd = open(modules[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)) {
            fprintf(stderr, "swapbench: loading %s: %s\n", modules[i], strerror(errno));
            return -1;
        }
        close(fd);
    }
    struct stat st;
    for (int waited = 0; stat(dev, &st) != 0; waited += 10) {
        if (waited >= DISK_WAIT_MS) {
            fprintf(stderr, "swapbench: no %s after %d ms\n", dev, DISK_WAIT_MS);
            return -1;
        }
        usleep(10000);
    }
    if (swapon(dev, 0) != 0) {
        fprintf(stderr, "swapbench: swapon %s: %s\n", dev, strerror(errno));
        return -1;
    }
    return 0;
}

/* Parses "[--linux MODULE.ko... --swapon DEV] MIB"; returns MIB, or -1. */
static long parse_args(int argc, char **argv)
{
    int arg = 1;
    if (arg < argc && strcmp(argv[arg], "--linux") == 0) {
        int first = ++arg;
        while (arg < argc && strstr(argv[arg], ".ko") != NULL)
            arg++;
        if (arg + 1 >= argc || strcmp(argv[arg], "--swapon") != 0)
            return -1;
        if (linux_swapon(argv + first, arg - first, argv[arg + 1]) != 0)
            return -1;
        arg += 2;
    }
    if (arg + 1 != argc)
        return -1;
    long mib = strtol(argv[arg], NULL, 10);
    return mib > 0 ? mib : -1;
}

int main(int argc, char **argv)
{
    long mib = parse_args(argc, argv);
    if (mib < 0) {
        fprintf(stderr, "usage: swapbench [--linux MODULE.ko... --swapon DEV] MIB\n");
        return 2;
    }
    long bytes = mib * MIB, pages = bytes / PAGE;
    uint32_t *order = malloc((size_t)pages * sizeof(uint32_t));
    uint64_t *region = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (order == NULL || region == MAP_FAILED) {
        fprintf(stderr, "swapbench: cannot map %ld MiB: %s\n", mib, strerror(errno));
        return 2;
    }
    /* Small pages on Linux too, as on vmlab: a 2 MiB page would be split to swap. */
    madvise(region, (size_t)bytes, MADV_NOHUGEPAGE);
    printf("swapbench: %ld MiB, %ld pages, seed 0x%x\n", mib, pages, SEED);

    double total = 0;
    struct mark m = mark_now();
    pass_write(region, pages);
    total += report("write", bytes, m);

    make_order(order, pages, 0);
    m = mark_now();
    pass_touch(region, order, pages);
    total += report("rewrite", bytes, m);

    make_order(order, pages, 1); /* outside the timed pass */
    m = mark_now();
    pass_touch(region, order, pages);
    total += report("random", bytes, m);

    uint64_t sum = 0;
    m = mark_now();
    long bad = pass_verify(region, pages, &sum);
    total += report("verify", bytes, m);

    printf("total %.3f s\n", total);
    printf("checksum 0x%016llx\n", (unsigned long long)sum);
    if (bad != 0) {
        printf("verify FAILED: %ld bad pages\n", bad);
        return 1;
    }
    printf("verify ok\n");
    return 0;
}
