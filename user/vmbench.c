/*
 * vmbench — micro-benchmarks of virtual memory: system calls, page faults, fork.
 *
 *   vmbench [-r ROUNDS] [-q] [-v]
 *
 * Each benchmark times many repetitions of one operation with
 * clock_gettime(CLOCK_MONOTONIC) around the whole loop, divides by the count, and
 * does that ROUNDS times (default 3). It reports the MINIMUM over the rounds: noise
 * (another process, the host) only ever adds time, so the fastest round is the
 * closest to the operation's own cost. One line per benchmark:
 *
 *     metric <name> <value> <unit>          e.g.  metric null_syscall 812.4 ns
 *
 * Lines starting with '#' are comments. -q (quick) does about a tenth of the
 * repetitions; -v also prints every round. The same static binary runs on vmlab
 * and on Linux (tests/bench/run-bench runs both under the same QEMU), so the
 * numbers can be compared side by side — within one run only.
 *
 * Large regions are 16 MiB of 4 KiB pages. On Linux we ask for MADV_NOHUGEPAGE, so
 * that both kernels fault, copy and fork the same 4096 small pages (vmlab accepts
 * the advice and has no huge pages anyway).
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

/* Linux's numbers and flags, for user libraries that do not define them yet. */
#ifndef SYS_mmap
#define SYS_mmap 9
#endif
#ifndef SYS_munmap
#define SYS_munmap 11
#endif
#ifndef SYS_brk
#define SYS_brk 12
#endif
#ifndef SYS_madvise
#define SYS_madvise 28
#endif
#ifndef SYS_fork
#define SYS_fork 57
#endif

#define PROT_READ_WRITE  0x3  /* PROT_READ | PROT_WRITE */
#define MAP_SHARED_ANON  0x21 /* MAP_SHARED | MAP_ANONYMOUS */
#define MAP_PRIVATE_ANON 0x22 /* MAP_PRIVATE | MAP_ANONYMOUS */
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15 /* Linux: keep this range in 4 KiB pages (advice only) */
#endif

#define PAGE_SIZE    4096L
#define MIB          (1024L * 1024L)
#define REGION_SIZE  (16 * MIB) /* the "large" region of the fault and fork benchmarks */
#define REGION_PAGES (REGION_SIZE / PAGE_SIZE)
#define BRK_STEP     MIB /* brk grows and shrinks by this much */

#define NSEC_PER_SEC  1000000000L
#define NSEC_PER_USEC 1000L

#define DEFAULT_ROUNDS 3
#define MAX_ROUNDS     100
#define QUICK_DIVISOR  10 /* -q: this many times fewer repetitions */

/* ---- time, errors, memory ---- */

/* Nanoseconds on the monotonic clock. */
static long now_ns(void)
{
    struct timespec now;
    sys_clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * NSEC_PER_SEC + now.tv_nsec;
}

/* Say on stderr that a system call failed, with the error's name; returns -1 for
 * the caller to pass on. */
static long failed(const char *what, long result)
{
    dprintf(STDERR, "vmbench: %s failed: %ld (%s)\n", what, result, errno_name(result));
    return -1;
}

/* Say on stderr that a child did not exit with 0 (a kernel bug: they all do);
 * returns -1. */
static long child_failed(const char *what, int status)
{
    if (WIFSIGNALED(status))
        dprintf(STDERR, "vmbench: %s killed by signal %d\n", what, WTERMSIG(status));
    else
        dprintf(STDERR, "vmbench: %s exited with %d\n", what, WEXITSTATUS(status));
    return -1;
}

/* An anonymous read-write mapping of length bytes (sharing: MAP_PRIVATE_ANON or
 * MAP_SHARED_ANON). Returns its address, or NULL after saying why. */
static char *map_anonymous(long length, int sharing)
{
    long addr = syscall6(SYS_mmap, 0, length, PROT_READ_WRITE, sharing, -1, 0);
    if (IS_ERROR(addr)) {
        failed("mmap", addr);
        return NULL;
    }
    return (char *)addr;
}

/* A private 16 MiB region in 4 KiB pages, not yet touched; NULL on failure. */
static char *map_region(void)
{
    char *region = map_anonymous(REGION_SIZE, MAP_PRIVATE_ANON);
    if (region != NULL)
        syscall3(SYS_madvise, (long)region, REGION_SIZE, MADV_NOHUGEPAGE); /* advice only */
    return region;
}

static void unmap(void *addr, long length)
{
    syscall2(SYS_munmap, (long)addr, length);
}

/* Write one byte in each of the first `pages` pages: each write to a page not yet
 * present is a page fault. volatile: every store really happens. */
static void touch_pages(volatile char *start, long pages)
{
    for (long i = 0; i < pages; i++)
        start[i * PAGE_SIZE] = 1;
}

/* Zero one page the way a kernel's clear_page does, 512 eight-byte stores
 * (`rep stosq`): the least work any demand-zero fault must do. */
static void zero_page(void *page)
{
    long count = PAGE_SIZE / 8;
    __asm__ volatile("rep stosq" : "+D"(page), "+c"(count) : "a"(0L) : "memory");
}

/* Start a child that exits at once, and wait for it. Returns 0, or -1 after saying
 * why. */
static long fork_exit_wait(void)
{
    long pid = syscall0(SYS_fork);
    if (pid == 0)
        sys_exit_group(0);
    if (IS_ERROR(pid))
        return failed("fork", pid);
    int status = -1;
    long reaped = sys_wait4((int)pid, &status, 0, NULL);
    if (reaped != pid)
        return failed("wait4", reaped);
    if (status != 0)
        return child_failed("child", status);
    return 0;
}

/* ---- the benchmarks: each times `count` operations, returns nanoseconds or -1 ---- */

/* The cheapest round trip into the kernel and back. */
static long bench_null_syscall(long count)
{
    long start = now_ns();
    for (long i = 0; i < count; i++)
        sys_getppid();
    return now_ns() - start;
}

/* Zeroing a page that is already present: no fault, no kernel. */
static long bench_memset_page(long count)
{
    static char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    zero_page(page); /* fault it in before timing */
    long start = now_ns();
    for (long i = 0; i < count; i++)
        zero_page(page);
    return now_ns() - start;
}

/* Create and destroy a one-page region (never touched): region bookkeeping only. */
static long bench_mmap_munmap(long count)
{
    long start = now_ns();
    for (long i = 0; i < count; i++) {
        long addr = syscall6(SYS_mmap, 0, PAGE_SIZE, PROT_READ_WRITE, MAP_PRIVATE_ANON, -1, 0);
        if (IS_ERROR(addr))
            return failed("mmap", addr);
        long result = syscall2(SYS_munmap, addr, PAGE_SIZE);
        if (result != 0)
            return failed("munmap", result);
    }
    return now_ns() - start;
}

/* Move the break up by 1 MiB and back (untouched, so no page is ever mapped). */
static long bench_brk(long count)
{
    long base = syscall1(SYS_brk, 0);
    long start = now_ns();
    for (long i = 0; i < count; i++) {
        long grown = syscall1(SYS_brk, base + BRK_STEP);
        if (grown != base + BRK_STEP)
            return failed("brk (grow)", grown);
        long shrunk = syscall1(SYS_brk, base);
        if (shrunk != base)
            return failed("brk (shrink)", shrunk);
    }
    return now_ns() - start;
}

/* Demand-zero: the first write to each page of a fresh region faults, and the
 * kernel maps a newly zeroed frame. count pages (at most REGION_PAGES). */
static long bench_demand_zero(long count)
{
    char *region = map_region();
    if (region == NULL)
        return -1;
    long start = now_ns();
    touch_pages(region, count);
    long elapsed = now_ns() - start;
    unmap(region, REGION_SIZE);
    return elapsed;
}

/* In the child of a fork: write every page of the region (each write is a
 * copy-on-write fault, the parent still holding the frame), put the time in
 * *elapsed (shared memory) and exit. */
static void cow_child(char *region, long pages, volatile long *elapsed)
{
    long start = now_ns();
    touch_pages(region, pages);
    *elapsed = now_ns() - start;
    sys_exit_group(0);
}

/* Fill the region, fork, and let the child write count of its pages; the child's
 * time arrives in *elapsed. Returns that time, or -1 after saying why. */
static long fork_and_copy(char *region, long count, volatile long *elapsed)
{
    touch_pages(region, REGION_PAGES);
    *elapsed = -1;
    long pid = syscall0(SYS_fork);
    if (pid == 0)
        cow_child(region, count, elapsed);
    if (IS_ERROR(pid))
        return failed("fork", pid);
    int status = -1;
    long reaped = sys_wait4((int)pid, &status, 0, NULL);
    if (reaped != pid)
        return failed("wait4", reaped);
    return status == 0 ? *elapsed : child_failed("COW child", status);
}

/* Copy-on-write: count pages (at most REGION_PAGES) of a region the parent filled
 * before fork, written by the child, which measures itself. */
static long bench_cow_fault(long count)
{
    char *region = map_region();
    volatile long *elapsed = (volatile long *)map_anonymous(PAGE_SIZE, MAP_SHARED_ANON);
    long result = region != NULL && elapsed != NULL ? fork_and_copy(region, count, elapsed) : -1;
    if (region != NULL)
        unmap(region, REGION_SIZE);
    if (elapsed != NULL)
        unmap((void *)elapsed, PAGE_SIZE);
    return result;
}

/* fork + exit + wait of a process with almost nothing mapped. */
static long bench_fork(long count)
{
    long start = now_ns();
    for (long i = 0; i < count; i++)
        if (fork_exit_wait() != 0)
            return -1;
    return now_ns() - start;
}

/* The same after the parent has written all of a 16 MiB region: fork must now share
 * 4096 more pages copy-on-write, and the child's exit drop them. */
static long bench_fork_16m(long count)
{
    char *region = map_region();
    if (region == NULL)
        return -1;
    touch_pages(region, REGION_PAGES);
    long start = now_ns();
    long result = 0;
    for (long i = 0; i < count && result == 0; i++)
        result = fork_exit_wait();
    long elapsed = now_ns() - start;
    unmap(region, REGION_SIZE);
    return result == 0 ? elapsed : -1;
}

/* ---- running them ---- */

struct benchmark {
    const char *name; /* as printed on the metric line */
    long (*run)(long count);
    long count;       /* operations per round (pages for the fault benchmarks) */
    long ns_per_unit; /* 1: report ns, NSEC_PER_USEC: report us */
    const char *unit;
};

static const struct benchmark benchmarks[] = {
    { "null_syscall", bench_null_syscall, 100000, 1, "ns" },
    { "memset_4k", bench_memset_page, 20000, 1, "ns" },
    { "mmap_munmap", bench_mmap_munmap, 10000, 1, "ns" },
    { "brk_1m", bench_brk, 10000, 1, "ns" },
    { "demand_zero_fault", bench_demand_zero, REGION_PAGES, 1, "ns" },
    { "cow_fault", bench_cow_fault, REGION_PAGES, 1, "ns" },
    { "fork", bench_fork, 100, NSEC_PER_USEC, "us" },
    { "fork_16m", bench_fork_16m, 40, NSEC_PER_USEC, "us" },
};
#define NUM_BENCHMARKS (sizeof(benchmarks) / sizeof(benchmarks[0]))

#define MAX_ONLY 8

struct options {
    long rounds;
    bool quick;
    bool verbose;
    const char *only[MAX_ONLY]; /* -o NAME: run only these benchmarks (none: all) */
    int only_count;
};

/* Does opt ask for benchmark name (every one, without -o)? */
static bool wanted(const struct options *opt, const char *name)
{
    for (int i = 0; i < opt->only_count; i++)
        if (strcmp(opt->only[i], name) == 0)
            return true;
    return opt->only_count == 0;
}

/* Print tenths of a unit as "123.4". */
static void print_tenths(long tenths)
{
    printf("%ld.%ld", tenths / 10, tenths % 10);
}

/* One round of b: tenths of its unit per operation, or -1 if it failed. */
static long run_round(const struct benchmark *b, long count)
{
    long elapsed = b->run(count);
    if (elapsed < 0)
        return -1;
    return elapsed * 10 / (count * b->ns_per_unit);
}

/* Run b for the given number of rounds and print its metric line (the fastest
 * round). Returns false if a round failed. */
static bool run_benchmark(const struct benchmark *b, const struct options *opt)
{
    long count = opt->quick ? b->count / QUICK_DIVISOR : b->count;
    long best = -1;
    for (long round = 1; round <= opt->rounds; round++) {
        long tenths = run_round(b, count);
        if (tenths < 0) {
            printf("# %s: failed in round %ld (see stderr)\n", b->name, round);
            return false;
        }
        if (opt->verbose) {
            printf("# %s round %ld: ", b->name, round);
            print_tenths(tenths);
            printf(" %s\n", b->unit);
        }
        if (best < 0 || tenths < best)
            best = tenths;
    }
    printf("metric %s ", b->name);
    print_tenths(best);
    printf(" %s\n", b->unit);
    return true;
}

/* Read -r N, -q, -v and -o NAME into *opt. Returns false on anything else. */
static bool parse_options(int argc, char **argv, struct options *opt)
{
    *opt = (struct options){ .rounds = DEFAULT_ROUNDS };
    for (int i = 1; i < argc; i++) {
        uint64_t rounds;
        if (strcmp(argv[i], "-q") == 0) {
            opt->quick = true;
        } else if (strcmp(argv[i], "-v") == 0) {
            opt->verbose = true;
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc && opt->only_count < MAX_ONLY) {
            opt->only[opt->only_count++] = argv[++i];
        } else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &rounds) &&
                   rounds >= 1 && rounds <= MAX_ROUNDS) {
            opt->rounds = (long)rounds;
            i++;
        } else {
            return false;
        }
    }
    return true;
}

int main(int argc, char **argv)
{
    struct options opt;
    if (!parse_options(argc, argv, &opt)) {
        dprintf(STDERR, "usage: vmbench [-r ROUNDS (1..%d)] [-q] [-v] [-o NAME]...\n", MAX_ROUNDS);
        return 2;
    }
    struct utsname uts;
    if (sys_uname(&uts) != 0)
        uts.sysname[0] = 0;
    printf("# vmbench on %s: minimum of %ld round%s%s; 4 KiB pages, 16 MiB regions\n", uts.sysname,
           opt.rounds, opt.rounds == 1 ? "" : "s", opt.quick ? ", quick (fewer repetitions)" : "");
    long start = now_ns();
    bool all_ran = true;
    for (unsigned i = 0; i < NUM_BENCHMARKS; i++)
        if (wanted(&opt, benchmarks[i].name))
            all_ran &= run_benchmark(&benchmarks[i], &opt);
    printf("# vmbench: done in %ld ms\n", (now_ns() - start) / (NSEC_PER_SEC / 1000));
    return all_ran ? 0 : 1;
}
