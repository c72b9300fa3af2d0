/*
 * shmsoak — random calls on shared anonymous memory under swap pressure, checked
 * against a model.
 *
 *   shmsoak SEED STEPS PROCS MIB
 *
 * The parent maps one MAP_SHARED|MAP_ANONYMOUS region of MIB MiB and forks PROCS
 * workers (seeds SEED, SEED+1, ...); worker k owns the pages i with i % PROCS == k
 * and writes tags only there (first all of them), so each knows what its pages
 * hold. Each also keeps a shared region of its own (up to 2 MiB). Steps: write a page, verify a run
 * of pages, read a page of another worker, MADV_DONTNEED a range (shared pages stay: the bytes are
 * kept), fork a child that writes some of the worker's pages and verifies the rest (the worker then
 * finds the child's tags: the region is shared), fork a child that verifies the own region while
 * the worker unmaps, shrinks or moves it (mremap) at the same time. With MIB above the RAM, pages
 * keep going to swap and back through every call. Each worker prints "shmsoak: seed N: S steps, V
 * pages verified: PASS" or the first wrong page; exit 0 only if all passed. Without arguments it
 * prints this usage and exits 0 (the host runs every musl program that way).
 */
#define _GNU_SOURCE /* mremap */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE      4096ul
#define WORDS     (PAGE / 8)
#define OWN_MAX   512 /* pages of the worker's own region */
#define CHILD_TAG 0x40000000u

static uint64_t *shared;
static size_t shared_pages, procs, me;
static uint32_t *tags; /* of the shared region's pages, by page; only mine are known */
static uint64_t *own;
static size_t own_pages;
static uint32_t own_tags[OWN_MAX];
static uint64_t rng, verified;
static long seed_of_worker;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t below(size_t n)
{
    return n == 0 ? 0 : (size_t)(next_random() % n);
}

static void put_tag(uint64_t *page, uint32_t tag)
{
    page[0] = tag;
    page[WORDS - 1] = ~(uint64_t)tag;
}

/* Does page hold tag (0: zeros)? */
static int holds(const uint64_t *page, uint32_t tag)
{
    return tag == 0 ? page[0] == 0 && page[WORDS - 1] == 0
                    : page[0] == tag && page[WORDS - 1] == ~(uint64_t)tag;
}

static void wrong(const char *what, size_t page, uint32_t tag, const uint64_t *p)
{
    printf("shmsoak: seed %ld: FAILED: %s page %zu: expected tag %u, found 0x%lx / 0x%lx\n",
           seed_of_worker, what, page, tag, (unsigned long)p[0], (unsigned long)p[WORDS - 1]);
    exit(1);
}

static uint64_t *shared_page(size_t i)
{
    return shared + i * WORDS;
}

/* A random page of mine in the shared region. */
static size_t my_page(void)
{
    size_t mine = (shared_pages - me + procs - 1) / procs;
    return me + below(mine) * procs;
}

static void verify_mine(size_t first, size_t count)
{
    for (size_t i = first; i < first + count && i < shared_pages; i++) {
        if (i % procs != me)
            continue;
        if (!holds(shared_page(i), tags[i]))
            wrong("shared", i, tags[i], shared_page(i));
        verified++;
    }
}

static void verify_own(void)
{
    for (size_t i = 0; i < own_pages; i++) {
        if (!holds(own + i * WORDS, own_tags[i]))
            wrong("own", i, own_tags[i], own + i * WORDS);
        verified++;
    }
}

static void new_own(void)
{
    own_pages = 1 + below(OWN_MAX);
    own = mmap(NULL, own_pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (own == MAP_FAILED) {
        printf("shmsoak: seed %ld: FAILED: mmap of the own region\n", seed_of_worker);
        exit(1);
    }
    for (size_t i = 0; i < own_pages; i++) {
        own_tags[i] = below(2) ? (uint32_t)(1 + below(1000000)) : 0;
        if (own_tags[i] != 0)
            put_tag(own + i * WORDS, own_tags[i]);
    }
}

/* A child writes CHILD_TAG + step on pages of mine from first on, verifies the
 * others; the worker then finds its tags. */
static void fork_writer(uint32_t step)
{
    size_t first = my_page(), count = 1 + below(64);
    pid_t child = fork();
    if (child == 0) {
        for (size_t i = first; i < first + count * procs && i < shared_pages; i += procs)
            put_tag(shared_page(i), CHILD_TAG + step);
        verify_mine(0, first);
        _exit(0);
    }
    int status = -1;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("shmsoak: seed %ld: FAILED: writer child status 0x%x\n", seed_of_worker, status);
        exit(1);
    }
    for (size_t i = first; i < first + count * procs && i < shared_pages; i += procs)
        tags[i] = CHILD_TAG + step;
    verify_mine(first, count * procs);
}

/* A child verifies the own region while the worker unmaps, shrinks or moves it. */
static void fork_racer(void)
{
    pid_t child = fork();
    if (child == 0) {
        verify_own();
        _exit(0);
    }
    size_t what = below(3);
    if (what == 0) {
        munmap(own, own_pages * PAGE);
        new_own();
    } else if (what == 1 && own_pages > 1) {
        size_t keep = 1 + below(own_pages - 1);
        if (mremap(own, own_pages * PAGE, keep * PAGE, 0) == MAP_FAILED)
            wrong("mremap shrink of own", keep, 0, own);
        own_pages = keep;
    } else {
        void *to = mmap(NULL, own_pages * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        void *moved =
            mremap(own, own_pages * PAGE, own_pages * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
        if (moved == MAP_FAILED)
            wrong("mremap move of own", 0, 0, own);
        own = moved;
    }
    int status = -1;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("shmsoak: seed %ld: FAILED: racer child status 0x%x\n", seed_of_worker, status);
        exit(1);
    }
    verify_own();
}

static void step(uint32_t n)
{
    size_t what = below(16);
    if (what < 6) {
        size_t i = my_page();
        tags[i] = n + 1;
        put_tag(shared_page(i), tags[i]);
    } else if (what < 9) {
        verify_mine(below(shared_pages), 1 + below(256));
    } else if (what < 11) {
        volatile uint64_t sink = shared_page(below(shared_pages))[0];
        (void)sink;
    } else if (what < 12) {
        size_t first = below(shared_pages), count = 1 + below(64);
        if (first + count > shared_pages)
            count = shared_pages - first;
        madvise(shared_page(first), count * PAGE, MADV_DONTNEED); /* shared: bytes stay */
        verify_mine(first, count);
    } else if (what < 13) {
        fork_writer(n);
    } else if (what < 14) {
        fork_racer();
    } else {
        size_t i = below(own_pages);
        own_tags[i] = n + 1;
        put_tag(own + i * WORDS, own_tags[i]);
    }
}

static int worker(long seed, long steps)
{
    seed_of_worker = seed;
    rng = 0x9e3779b97f4a7c15ul ^ (uint64_t)seed * 0x2545f4914f6cdd1dul;
    tags = calloc(shared_pages, sizeof *tags);
    new_own();
    for (size_t i = me; i < shared_pages; i += procs) { /* all of it in use: pressure */
        tags[i] = 1;
        put_tag(shared_page(i), 1);
    }
    for (long n = 0; n < steps; n++)
        step((uint32_t)n);
    verify_mine(0, shared_pages);
    verify_own();
    printf("shmsoak: seed %ld: %ld steps, %lu pages verified: PASS\n", seed, steps,
           (unsigned long)verified);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 5) {
        printf("usage: shmsoak SEED STEPS PROCS MIB (under swap pressure: --mem 32M --swap)\n");
        return 0;
    }
    long seed = atol(argv[1]), steps = atol(argv[2]);
    procs = (size_t)atol(argv[3]);
    shared_pages = (size_t)atol(argv[4]) * 256;
    shared =
        mmap(NULL, shared_pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED || procs == 0) {
        printf("shmsoak: FAILED: mmap of %zu pages\n", shared_pages);
        return 1;
    }
    for (me = 0; me < procs; me++)
        if (fork() == 0)
            return worker(seed + (long)me, steps);
    int failed = 0;
    for (size_t i = 0; i < procs; i++) {
        int status = -1;
        wait(&status);
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    FILE *f = fopen("/proc/vmstat", "r");
    char key[64];
    long value;
    while (f != NULL && fscanf(f, "%63s %ld", key, &value) == 2)
        if (strcmp(key, "pswpout") == 0 || strcmp(key, "pswpin") == 0)
            printf("shmsoak: %s %ld\n", key, value); /* did pages go to swap? */
    if (f != NULL)
        fclose(f);
    printf("shmsoak: %s\n", failed == 0 ? "PASS" : "FAIL");
    return failed == 0 ? 0 : 1;
}
