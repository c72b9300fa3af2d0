/*
 * brk_rules.c — the program break under attack, with Linux's rules: brk moves the
 * break if [old break, new break) can be had, whatever happened to the heap's
 * pages before (munmap, mremap, mprotect, an mmap over its start), and returns
 * the old break, changing nothing, when it cannot. Shrinking unmaps whatever lies
 * in [new break, old break); growing needs a free page above the new break.
 *
 * Each step prints what it found; a page's state is probed from outside: madvise
 * says whether it is mapped, and a forked child that reads or writes it says
 * whether that is allowed. Only offsets from the initial break are printed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ul
#define MIB  (1024ul * 1024ul)

static char *start; /* the initial break */

static char *brk_call(uintptr_t to)
{
    return (char *)syscall(SYS_brk, to);
}

/* The break as an offset from the initial one, for printing. */
static long at(void)
{
    return (long)(brk_call(0) - start);
}

static const char *mapped(const char *p)
{
    return madvise((void *)p, PAGE, MADV_NORMAL) == 0 ? "mapped" : "unmapped";
}

/* What a child that reads (write = 0) or writes p experiences: "ok" or "SIGSEGV". */
static const char *touch(char *p, int write)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (write)
            *(volatile char *)p = 1;
        else
            (void)*(volatile char *)p;
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "another signal";
    return WEXITSTATUS(status) == 0 ? "ok" : "exit status";
}

static int filled(const char *p, size_t len, char c)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

/* Breaks that are no address at all: each is refused and the heap is intact. */
static void absurd_breaks(void)
{
    static const uintptr_t absurd[] = {
        UINTPTR_MAX,          /* brk(-1): rounds up to 0 */
        UINTPTR_MAX - 99,     /* 2^64 - 100 */
        0x800000000000ul - 1, /* the last canonical user byte */
        0x800000000000ul,     /* the first non-canonical address */
        0xffff800000000000ul, /* the kernel half */
        0x0000900000000000ul, /* non-canonical */
    };
    brk_call((uintptr_t)start + 4 * PAGE);
    memset(start, 'h', 4 * PAGE);
    for (size_t i = 0; i < sizeof absurd / sizeof absurd[0]; i++) {
        char *got = brk_call(absurd[i]);
        printf("brk(0x%lx): %s\n", (unsigned long)absurd[i],
               got == start + 4 * PAGE ? "refused, break unchanged" : "moved");
    }
    printf("  the heap still holds its bytes: %s\n", filled(start, 4 * PAGE, 'h') ? "yes" : "no");
    printf("  below the initial break: %s\n",
           brk_call((uintptr_t)start - 1) == start + 4 * PAGE ? "refused" : "moved");
    brk_call((uintptr_t)start);
}

/* The heap munmapped: a shrink finds nothing to unmap and is refused; a grow
 * from the old break makes new heap. */
static void heap_unmapped(void)
{
    brk_call((uintptr_t)start + 4 * PAGE);
    munmap(start, 4 * PAGE);
    long shrunk = (long)(brk_call((uintptr_t)start) - start);
    printf("heap munmapped; shrink to the start: break at +%ld\n", shrunk);
    long grown = (long)(brk_call((uintptr_t)start + 8 * PAGE) - start);
    printf("  grow to +8 pages: break at +%ld\n", grown);
    printf("  page +2 %s, ", mapped(start + 2 * PAGE));
    printf("page +5 %s, ", mapped(start + 5 * PAGE));
    printf("write to page +6: %s\n", touch(start + 6 * PAGE, 1));
    shrunk = (long)(brk_call((uintptr_t)start) - start);
    printf("  shrink to the start: break at +%ld, ", shrunk);
    printf("page +5 %s\n", mapped(start + 5 * PAGE));
}

/* The heap moved away by mremap: the break stays where it was, the bytes travel. */
static void heap_moved(void)
{
    char *elsewhere =
        mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    brk_call((uintptr_t)start + 4 * PAGE);
    memset(start, 'm', 4 * PAGE);
    char *moved = mremap(start, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, elsewhere);
    printf("heap moved by mremap: %s, ", moved == elsewhere ? "yes" : "no");
    printf("bytes there: %s\n", filled(elsewhere, 4 * PAGE, 'm') ? "yes" : "no");
    long shrunk = (long)(brk_call((uintptr_t)start + PAGE) - start);
    printf("  shrink to +1 page: break at +%ld\n", shrunk);
    long grown = (long)(brk_call((uintptr_t)start + 6 * PAGE) - start);
    printf("  grow to +6 pages: break at +%ld, ", grown);
    printf("page +1 %s, ", mapped(start + PAGE));
    printf("page +5 reads %s\n", touch(start + 5 * PAGE, 0));
    printf("  the moved bytes are untouched: %s\n",
           filled(elsewhere, 4 * PAGE, 'm') ? "yes" : "no");
    brk_call((uintptr_t)start);
    munmap(elsewhere, 4 * PAGE);
}

/* The heap cut in pieces by mprotect and munmap, then grown: the pieces keep
 * their state; growing maps only [old break, new break). */
static void heap_in_pieces(void)
{
    brk_call((uintptr_t)start + 8 * PAGE);
    memset(start, 'p', 8 * PAGE);
    mprotect(start + 2 * PAGE, 2 * PAGE, PROT_READ);
    munmap(start + 4 * PAGE, 2 * PAGE);
    long grown = (long)(brk_call((uintptr_t)start + 12 * PAGE) - start);
    printf("heap of 8 pages; pages 2-3 read-only, 4-5 unmapped; grow to +12 pages: break at +%ld\n",
           grown);
    printf("  page 4 %s, ", mapped(start + 4 * PAGE));
    printf("page 5 %s, ", mapped(start + 5 * PAGE));
    printf("read page 4: %s\n", touch(start + 4 * PAGE, 0));
    printf("  write page 2: %s, ", touch(start + 2 * PAGE, 1));
    printf("read page 3: %s\n", touch(start + 3 * PAGE, 0));
    printf("  pages 0-3 and 6-7 keep their bytes: %s\n",
           filled(start, 4 * PAGE, 'p') && filled(start + 6 * PAGE, 2 * PAGE, 'p') ? "yes" : "no");
    printf("  pages 8-11 read zeros: %s, ", filled(start + 8 * PAGE, 4 * PAGE, 0) ? "yes" : "no");
    printf("write page 11: %s\n", touch(start + 11 * PAGE, 1));
    long shrunk = (long)(brk_call((uintptr_t)start + 3 * PAGE) - start);
    printf("  shrink to +3 pages: break at +%ld\n", shrunk);
    printf("  page 2 %s, ", mapped(start + 2 * PAGE));
    printf("write page 2: %s, ", touch(start + 2 * PAGE, 1));
    printf("page 3 %s, ", mapped(start + 3 * PAGE));
    printf("page 7 %s\n", mapped(start + 7 * PAGE));
    grown = (long)(brk_call((uintptr_t)start + 5 * PAGE) - start);
    printf("  grow to +5 pages: break at +%ld, ", grown);
    printf("page 3 reads zero: %s, ", start[3 * PAGE] == 0 ? "yes" : "no");
    printf("write page 3: %s\n", touch(start + 3 * PAGE, 1));
    brk_call((uintptr_t)start);
    printf("  back to the start: page 0 %s, ", mapped(start));
    printf("page 2 %s\n", mapped(start + 2 * PAGE));
}

/* Something mapped inside the heap is unmapped by a shrink over it, like munmap;
 * something above the break limits growth to one page below it. */
static void mappings_in_the_way(void)
{
    brk_call((uintptr_t)start + 4 * PAGE);
    char *inside =
        mmap(start + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("a read-only mapping inside the heap: %s\n", inside == start + PAGE ? "yes" : "no");
    brk_call((uintptr_t)start);
    printf("  shrink to the start: break at +%ld, ", at());
    printf("that page %s\n", mapped(start + PAGE));

    char *above =
        mmap(start + 8 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("a mapping 8 pages above the initial break: %s\n",
           above == start + 8 * PAGE ? "yes" : "no");
    static const unsigned long tries[] = { 8 * PAGE, 7 * PAGE, 7 * PAGE + 1, 16 * PAGE };
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        long got = (long)(brk_call((uintptr_t)start + tries[i]) - start);
        printf("  grow to +%lu: break at +%ld\n", tries[i], got);
    }
    brk_call((uintptr_t)start);
    munmap(above, PAGE);
}

/* musl's malloc takes two pages of brk for its metadata and maps a PROT_NONE
 * guard page over the first: the break must still grow from where it is. */
static void after_malloc(void)
{
    char *block = malloc(16 * MIB);
    memset(block, 'x', 16 * MIB);
    free(block);
    char *now = brk_call(0);
    char *grown = brk_call((uintptr_t)now + MIB);
    printf("after malloc(16 MiB) and free, grow the break by 1 MiB: %s\n",
           grown == now + MIB ? "grown" : "refused");
    if (grown == now + MIB) {
        memset(now, 'g', MIB);
        printf("  the new MiB holds what was written: %s\n", filled(now, MIB, 'g') ? "yes" : "no");
    }
    printf("  and shrinks back: %s\n", brk_call((uintptr_t)now) == now ? "yes" : "no");
}

int main(void)
{
    start = brk_call(0);
    absurd_breaks();
    heap_unmapped();
    heap_moved();
    heap_in_pieces();
    mappings_in_the_way();
    after_malloc();
    printf("the break is at +%ld pages\n", at() / (long)PAGE);
    return 0;
}
