/*
 * swapsoak — random memory calls under swap pressure, checked against a model.
 *
 *   swapsoak SEED STEPS PROCS MIB
 *
 * PROCS processes (seeds SEED, SEED+1, ...) each keep up to 8 regions of anonymous
 * memory, at most MIB MiB in all, and make STEPS random steps: map, write pages,
 * verify a region, unmap part of one, PROT_NONE and back, mremap (grow, move),
 * MADV_DONTNEED, mlock/munlock, fork (the child checks and writes its copy, the
 * parent checks its own is untouched). Every page holds a tag in its first and last
 * words (0: never written, or dropped); the model knows each page's tag. With
 * PROCS x MIB above the RAM, pages keep going to swap and back, through every call.
 * Each process prints one line "swapsoak: seed N: S steps, V pages verified: PASS"
 * or the first page that was wrong; exit status 0 only if all passed. Without
 * arguments it prints this usage and exits 0 (the host runs every musl program).
 */
#define _GNU_SOURCE /* mremap */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE    4096ul
#define REGIONS 8
#define WORDS   (PAGE / 8)

struct region {
    uint64_t *base; /* NULL: free */
    size_t pages;
    uint32_t *tags; /* per page; 0: reads as zeros */
    int prot;       /* PROT_NONE or PROT_READ | PROT_WRITE */
};

static struct region regions[REGIONS];
static size_t budget_pages, used_pages;
static uint64_t rng, verified;
static int seed_of_process;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t below(size_t n)
{
    return n == 0 ? 0 : (size_t)(next() % n);
}

static void die(const char *what, size_t r, size_t page, uint64_t got, uint64_t want)
{
    printf("swapsoak: seed %d: FAILED: %s (region %zu page %zu: 0x%lx, want 0x%lx)\n",
           seed_of_process, what, r, page, (unsigned long)got, (unsigned long)want);
    exit(1);
}

static void write_page(struct region *g, size_t page, uint32_t tag)
{
    uint64_t *p = g->base + page * WORDS;
    p[0] = tag;
    p[WORDS - 1] = ~(uint64_t)tag;
    g->tags[page] = tag;
}

static void verify(size_t r)
{
    struct region *g = &regions[r];
    if (g->base == NULL || g->prot == PROT_NONE)
        return;
    for (size_t i = 0; i < g->pages; i++) {
        const uint64_t *p = g->base + i * WORDS;
        uint64_t want = g->tags[i];
        if (p[0] != want)
            die("first word", r, i, p[0], want);
        if (p[WORDS - 1] != (want == 0 ? 0 : ~want))
            die("last word", r, i, p[WORDS - 1], want == 0 ? 0 : ~want);
        verified++;
    }
}

static void verify_all(void)
{
    for (size_t r = 0; r < REGIONS; r++)
        verify(r);
}

static void op_map(void)
{
    size_t r = below(REGIONS);
    struct region *g = &regions[r];
    if (g->base != NULL || used_pages >= budget_pages)
        return;
    size_t pages = 1 + below(budget_pages - used_pages < 2048 ? budget_pages - used_pages : 2048);
    void *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    *g = (struct region){ p, pages, calloc(pages, sizeof *g->tags), PROT_READ | PROT_WRITE };
    used_pages += pages;
}

static void op_write(void)
{
    struct region *g = &regions[below(REGIONS)];
    if (g->base == NULL || g->prot == PROT_NONE)
        return;
    size_t from = below(g->pages), n = 1 + below(g->pages - from);
    uint32_t tag = (uint32_t)(next() | 1);
    for (size_t i = from; i < from + n; i++)
        write_page(g, i, tag + (uint32_t)i);
}

static void op_unmap(void)
{
    struct region *g = &regions[below(REGIONS)];
    if (g->base == NULL)
        return;
    size_t keep = below(g->pages); /* unmap the tail from keep on (all if 0) */
    munmap(g->base + keep * WORDS, (g->pages - keep) * PAGE);
    used_pages -= g->pages - keep;
    g->pages = keep;
    if (keep == 0) {
        free(g->tags);
        *g = (struct region){ 0 };
    }
}

static void op_protect(void)
{
    struct region *g = &regions[below(REGIONS)];
    if (g->base == NULL)
        return;
    int prot = g->prot == PROT_NONE ? PROT_READ | PROT_WRITE : PROT_NONE;
    if (mprotect(g->base, g->pages * PAGE, prot) == 0)
        g->prot = prot;
}

static void op_mremap(void)
{
    struct region *g = &regions[below(REGIONS)];
    if (g->base == NULL || used_pages + g->pages > budget_pages)
        return;
    size_t pages = g->pages + 1 + below(g->pages);
    void *p = mremap(g->base, g->pages * PAGE, pages * PAGE, MREMAP_MAYMOVE);
    if (p == MAP_FAILED)
        return;
    uint32_t *tags = realloc(g->tags, pages * sizeof *tags);
    memset(tags + g->pages, 0, (pages - g->pages) * sizeof *tags);
    used_pages += pages - g->pages;
    g->base = p;
    g->pages = pages;
    g->tags = tags;
}

static void op_dontneed(void)
{
    struct region *g = &regions[below(REGIONS)];
    if (g->base == NULL)
        return;
    size_t from = below(g->pages), n = 1 + below(g->pages - from);
    if (madvise(g->base + from * WORDS, n * PAGE, MADV_DONTNEED) == 0)
        memset(g->tags + from, 0, n * sizeof *g->tags);
}

static void op_lock(void)
{
    struct region *g = &regions[below(REGIONS)];
    if (g->base == NULL || g->pages > 256)
        return;
    if (mlock(g->base, g->pages * PAGE) == 0) {
        verify((size_t)(g - regions));
        munlock(g->base, g->pages * PAGE);
    }
}

static void op_fork(void)
{
    pid_t child = fork();
    if (child < 0)
        return;
    if (child == 0) {
        verify_all();
        for (int i = 0; i < 4; i++)
            op_write(); /* copy-on-write: the parent's pages stay as they are */
        verify_all();
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("the forked child found a wrong page", 0, 0, (uint64_t)status, 0);
    verify_all();
}

static int soak(int seed, int steps)
{
    seed_of_process = seed;
    rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)seed * 0x2545f4914f6cdd1dull;
    void (*const ops[])(void) = { op_map,     op_write,  op_write, op_write,    op_unmap,
                                  op_protect, op_mremap, op_lock,  op_dontneed, op_fork };
    for (int step = 0; step < steps; step++) {
        size_t k = below(sizeof ops / sizeof ops[0] + 1);
        if (k == sizeof ops / sizeof ops[0])
            verify(below(REGIONS));
        else
            ops[k]();
    }
    for (size_t r = 0; r < REGIONS; r++) {
        struct region *g = &regions[r];
        if (g->base != NULL && g->prot == PROT_NONE &&
            mprotect(g->base, g->pages * PAGE, PROT_READ | PROT_WRITE) == 0)
            g->prot = PROT_READ | PROT_WRITE; /* the last look sees every page */
    }
    verify_all();
    printf("swapsoak: seed %d: %d steps, %lu pages verified: PASS\n", seed, steps,
           (unsigned long)verified);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 5) {
        printf("usage: swapsoak SEED STEPS PROCS MIB\n");
        return 0;
    }
    alarm(900);
    int seed = atoi(argv[1]), steps = atoi(argv[2]), procs = atoi(argv[3]);
    budget_pages = strtoul(argv[4], NULL, 10) * (1ul << 20) / PAGE;
    for (int i = 0; i < procs; i++) {
        if (fork() == 0)
            return soak(seed + i, steps);
    }
    int failed = 0, status;
    while (wait(&status) > 0)
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("swapsoak: %d processes, %d failed\n", procs, failed);
    return failed == 0 ? 0 : 1;
}
