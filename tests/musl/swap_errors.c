/*
 * swap_errors — what a failing swap disk costs, and what it must not:
 *
 *   swap_errors DEVICE MIB
 *
 * swapon(DEVICE) -- a disk tests/boot/swap-core.sh prepares with mkswap and
 * attaches through QEMU's blkdebug, which fails every read of slot 500 and every
 * write of slot 1000 -- then a child fills MIB MiB (more than RAM), each page with
 * its own pattern, and reads every page back, catching SIGBUS. A write that failed
 * must lose nothing (the page stays in memory); a read that failed loses exactly
 * the page in that slot: one SIGBUS page, every other page right.
 *
 * Then swapoff with that page still swapped out (the child keeps it and every
 * KEEP_EVERY-th page, so that the rest fits in memory). As on Linux 6.1, swapoff
 * succeeds: the unreadable slot's entry becomes a lost page's mark (mm/pte.h),
 * and only touching that page gives SIGBUS -- in the owner, in a child fork made
 * afterwards (fork copies the mark), and where mremap moved it; mincore says
 * it is not in memory, and mlock over it fails with ENOMEM, as on Linux. Prints
 *   swapon: 0
 *   pages: N, SIGBUS pages: 1, wrong pages: 0
 *   swapoff: 0
 *   after swapoff: SIGBUS pages: 1 (the same page), wrong pages: 0
 *   VmSwap: 0 kB
 *   mincore of the lost page: 0
 *   mlock over the lost page: ENOMEM
 *   forked child touching the lost page: signal 7
 *   lost page moved by mremap: SIGBUS
 *   child: exit 0
 *   shared: swapon: 0
 *   shared: pages: N, SIGBUS pages: 1, wrong pages: 0, slots retired: 1
 *   shared: swapoff: 0
 *   shared: after swapoff: SIGBUS pages: 1 (the same page), wrong pages: 0
 *   shared: a child touching the lost page: signal 7
 *   shared: the lost page after MADV_REMOVE: reads 0
 * (the same on a fresh swapon with a MAP_SHARED|MAP_ANONYMOUS region, swapoff
 * with its lost page still out: shared_step)
 * (N the pages of MIB MiB). Without arguments: usage, exit 0.
 */
#define _GNU_SOURCE /* mremap's MREMAP_FIXED */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE       4096ul
#define WORDS      (PAGE / 8)
#define KEEP_EVERY 4 /* after the first pass, keep every 4th page (and the lost one) */
#define NONE       ((size_t)-1)

static sigjmp_buf lost;

static void on_sigbus(int sig)
{
    (void)sig;
    siglongjmp(lost, 1);
}

static uint64_t pattern(size_t page, size_t word)
{
    return (page << 20) ^ (word * 0x9e3779b97f4a7c15ul) ^ 0x5a5a;
}

/* Read page i back: 0 right, 1 wrong bytes, 2 lost (SIGBUS). */
static int check_page(volatile uint64_t *p, size_t i)
{
    if (sigsetjmp(lost, 1) != 0)
        return 2;
    for (size_t w = 0; w < WORDS; w++)
        if (p[i * WORDS + w] != pattern(i, w))
            return 1;
    return 0;
}

/* Read every page i of p with keep(i), counting lost and wrong ones; *first_lost
 * gets the first lost page's index (NONE: none). */
static void check_pages(volatile uint64_t *p, size_t pages, size_t keep_every, size_t also,
                        size_t *kept, size_t *lost_pages, size_t *wrong, size_t *first_lost)
{
    *kept = *lost_pages = *wrong = 0;
    *first_lost = NONE;
    for (size_t i = 0; i < pages; i++) {
        if (i % keep_every != 0 && i != also)
            continue;
        int r = check_page(p, i);
        if (r == 2 && *first_lost == NONE)
            *first_lost = i;
        (*kept)++;
        *lost_pages += r == 2;
        *wrong += r == 1;
    }
}

/* Unmap every page but each keep_every-th and page `also`. */
static void keep_some(char *p, size_t pages, size_t keep_every, size_t also)
{
    for (size_t i = 0; i < pages; i++)
        if (i % keep_every != 0 && i != also)
            munmap(p + i * PAGE, PAGE);
}

/* The VmSwap line of /proc/self/status, as it is. */
static void print_vmswap(void)
{
    char line[128];
    FILE *f = fopen("/proc/self/status", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmSwap:", 7) == 0) {
            char *value = line + 7;
            while (*value == ' ' || *value == '\t')
                value++;
            printf("VmSwap: %s", value);
        }
    if (f != NULL)
        fclose(f);
}

/* mincore and mlock of the lost page. mincore: 0, not in memory (Linux after
 * 6.1, where such a page is a pte marker treated as a hole; 6.1 said 1, counting
 * it with migration entries). mlock faults the page in, which gives SIGBUS:
 * Linux's mlock turns that fault's EFAULT into ENOMEM. */
static void lost_page_calls(uint64_t *page)
{
    unsigned char in_core = 0xff;
    if (mincore(page, PAGE, &in_core) != 0)
        printf("mincore of the lost page: errno %d\n", errno);
    else
        printf("mincore of the lost page: %d\n", in_core & 1);
    if (mlock(page, PAGE) == 0)
        printf("mlock over the lost page: 0 (it was lost)\n");
    else
        printf("mlock over the lost page: %s\n", errno == ENOMEM ? "ENOMEM" : strerror(errno));
    munlock(page, PAGE);
}

/* A child, made after swapoff, touches its copy of the lost page at `page` with
 * SIGBUS's default action: how does it end? The line starts with `who`. */
static void child_touches(volatile uint64_t *page, const char *who)
{
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGBUS, SIG_DFL);
        _exit((int)(page[0] & 1) + 10);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        printf("%s touching the lost page: signal %d\n", who, WTERMSIG(status));
    else
        printf("%s touching the lost page: exit %d\n", who, WEXITSTATUS(status));
}

/* mremap moves the lost page elsewhere: still lost there. */
static void mremap_touches(uint64_t *page)
{
    void *to = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *moved = mremap(page, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
    if (moved == MAP_FAILED) {
        printf("mremap: errno %d\n", errno);
        return;
    }
    printf("lost page moved by mremap: %s\n",
           check_page(moved, 0) == 2 ? "SIGBUS" : "readable (wrong: it was lost)");
    munmap(moved, PAGE);
}

static int child(size_t pages, int ready, int go)
{
    struct sigaction sa = { .sa_handler = on_sigbus };
    sigaction(SIGBUS, &sa, NULL);
    uint64_t *p =
        mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 3;
    for (size_t i = 0; i < pages; i++)
        for (size_t w = 0; w < WORDS; w++)
            p[i * WORDS + w] = pattern(i, w);
    size_t kept, lost_pages, wrong, lost;
    check_pages(p, pages, 1, NONE, &kept, &lost_pages, &wrong, &lost);
    printf("pages: %zu, SIGBUS pages: %zu, wrong pages: %zu\n", kept, lost_pages, wrong);
    if (lost == NONE)
        return 4;

    /* swapoff, with the lost page's slot still named by its entry */
    keep_some((char *)p, pages, KEEP_EVERY, lost);
    char byte = 1;
    if (write(ready, &byte, 1) != 1 || read(go, &byte, 1) != 1)
        return 5;
    size_t lost_again;
    check_pages(p, pages, KEEP_EVERY, lost, &kept, &lost_pages, &wrong, &lost_again);
    printf("after swapoff: SIGBUS pages: %zu (%s), wrong pages: %zu\n", lost_pages,
           lost_again == lost ? "the same page" : "another page", wrong);
    print_vmswap();
    lost_page_calls(p + lost * WORDS);
    child_touches(p + lost * WORDS, "forked child"); /* the owner's child */
    mremap_touches(p + lost * WORDS);
    for (size_t i = 0; i < pages; i += KEEP_EVERY)
        munmap((char *)p + i * PAGE, PAGE);
    return 0;
}

/* The Size column of /proc/swaps, in KiB (slots that may hold a page), or -1. */
static long swaps_size(void)
{
    char line[256];
    long size = -1;
    FILE *f = fopen("/proc/swaps", "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "/dev/", 5) == 0)
            sscanf(line, "%*s %*s %ld", &size);
    if (f != NULL)
        fclose(f);
    return size;
}

/* MADV_REMOVE every page of the shared region p but each keep_every-th and
 * page `also`: they leave memory and swap (a hole punched), so the rest fits. */
static void remove_some(char *p, size_t pages, size_t keep_every, size_t also)
{
    for (size_t i = 0; i < pages; i++)
        if (i % keep_every != 0 && i != also)
            madvise(p + i * PAGE, PAGE, MADV_REMOVE);
}

/* After swapoff lost the shared page at `page`: a child touching it with SIGBUS's
 * default action, and the page after MADV_REMOVE (a hole: zeros, not lost). */
static void shared_lost_page(volatile uint64_t *page)
{
    child_touches(page, "shared: a child");
    madvise((void *)page, PAGE, MADV_REMOVE);
    int r = check_page(page, 0);
    printf("shared: the lost page after MADV_REMOVE: %s\n", r == 2         ? "SIGBUS"
                                                            : page[0] == 0 ? "reads 0"
                                                                           : "reads its old bytes");
}

/* Shared anonymous memory on the same failing disk, after a fresh swapon: a
 * child fills a MAP_SHARED|MAP_ANONYMOUS region of `pages` pages; read back, it
 * has lost only the page read from slot 500. The failed write to slot 1000
 * loses nothing, and the slot is never used again: one slot fewer in
 * /proc/swaps's Size (each reuse would fail again). Then swapoff with that page
 * still out (the rest removed but every KEEP_EVERY-th page) succeeds, as for a
 * private page: the object marks the page lost, and touching it gives SIGBUS. */
static void shared_step(const char *device, size_t pages)
{
    printf("shared: swapon: %ld\n", syscall(SYS_swapon, device, 0));
    long size_before = swaps_size();
    uint64_t *p =
        mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        for (size_t i = 0; i < pages; i++)
            for (size_t w = 0; w < WORDS; w++)
                p[i * WORDS + w] = pattern(i, w);
        _exit(0);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    size_t kept, lost_pages, wrong, lost;
    check_pages(p, pages, 1, NONE, &kept, &lost_pages, &wrong, &lost);
    printf("shared: pages: %zu, SIGBUS pages: %zu, wrong pages: %zu, slots retired: %ld\n", kept,
           lost_pages, wrong, (size_before - swaps_size()) / 4);
    if (lost != NONE)
        remove_some((char *)p, pages, KEEP_EVERY, lost);
    long r = syscall(SYS_swapoff, device);
    printf("shared: swapoff: %ld\n", r == 0 ? 0L : (long)-errno);
    if (lost != NONE) {
        size_t lost_again;
        check_pages(p, pages, KEEP_EVERY, lost, &kept, &lost_pages, &wrong, &lost_again);
        printf("shared: after swapoff: SIGBUS pages: %zu (%s), wrong pages: %zu\n", lost_pages,
               lost_again == lost ? "the same page" : "another page", wrong);
        shared_lost_page(p + lost * WORDS);
    }
    munmap(p, pages * PAGE);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 3) {
        printf("usage: swap_errors DEVICE MIB (a swap disk whose slot 500 fails reads)\n");
        return 0;
    }
    alarm(300);
    printf("swapon: %ld\n", syscall(SYS_swapon, argv[1], 0));
    size_t pages = strtoul(argv[2], NULL, 10) * (1ul << 20) / PAGE;
    int ready[2], go[2];
    if (pipe(ready) != 0 || pipe(go) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0)
        return child(pages, ready[1], go[0]);
    close(ready[1]); /* a child that ends early: read sees the end, no swapoff */
    close(go[0]);
    char byte;
    if (read(ready[0], &byte, 1) == 1) {
        long r = syscall(SYS_swapoff, argv[1]);
        if (r == 0)
            printf("swapoff: 0\n");
        else
            printf("swapoff: %ld, errno %d\n", r, errno);
        if (write(go[1], &byte, 1) != 1)
            return 1;
    }
    int status = -1;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        printf("child: exit %d\n", WEXITSTATUS(status));
    else
        printf("child: signal %d\n", WTERMSIG(status));
    struct sigaction sa = { .sa_handler = on_sigbus };
    sigaction(SIGBUS, &sa, NULL);
    shared_step(argv[1], pages);
    return 0;
}
