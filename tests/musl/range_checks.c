/*
 * range_checks.c — the argument checks of mprotect, madvise and munmap on ranges
 * that wrap around the top of the address space, lengths that round up past
 * 2^64, unaligned starts, unknown protection bits and advice, and the order in
 * which Linux applies these checks (which decides the errno). After each refused
 * call the memory must be as it was: nothing changed protection, nothing was
 * dropped. The calls are made raw: musl's mprotect rounds the range itself.
 */
#define _GNU_SOURCE /* MREMAP_MAYMOVE */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ul
#define RW   (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif

static const char *result(int r)
{
    if (r == 0)
        return "ok";
    switch (errno) {
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    default: return "other";
    }
}

static int sys_mprotect(void *addr, size_t len, int prot)
{
    return (int)syscall(SYS_mprotect, addr, len, prot);
}

static int sys_madvise(void *addr, size_t len, int advice)
{
    return (int)syscall(SYS_madvise, addr, len, advice);
}

static int sys_munmap(void *addr, size_t len)
{
    return (int)syscall(SYS_munmap, addr, len);
}

static int filled(const char *p, size_t len, char c)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

/* What a child writing p experiences: "ok" or "SIGSEGV". */
static const char *child_writes(char *p)
{
    pid_t pid = fork();
    if (pid == 0) {
        *(volatile char *)p = 1;
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "another signal";
    return "ok";
}

static void mprotect_checks(char *p)
{
    static const struct {
        const char *what;
        uintptr_t offset; /* from p */
        size_t len;
        int prot;
    } cases[] = {
        { "length -1 page (wraps)", 0, -PAGE, PROT_READ },
        { "length -1 (rounds up to 0)", 0, ~0ul, PROT_READ },
        { "length -1 page, unknown bits", 0, -PAGE, 0x100 },
        { "length 0, unknown bits", 0, 0, 0x100 },
        { "length 0, unaligned start", 1, 0, PROT_READ },
        { "unaligned start", 1, PAGE, PROT_READ },
        { "unknown bit 0x10", 0, PAGE, PROT_READ | 0x10 },
        { "PROT_SEM", 0, PAGE, RW | PROT_SEM },
        { "GROWSDOWN and GROWSUP", 0, PAGE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP },
        { "GROWSDOWN, not a stack", 0, PAGE, PROT_READ | PROT_GROWSDOWN },
        { "GROWSUP", 0, PAGE, PROT_READ | PROT_GROWSUP },
        { "a hole", 8 * PAGE, PAGE, PROT_READ },
        { "a hole, GROWSDOWN", 8 * PAGE, PAGE, PROT_READ | PROT_GROWSDOWN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        printf("mprotect %-32s %s\n", cases[i].what,
               result(sys_mprotect(p + cases[i].offset, cases[i].len, cases[i].prot)));
    printf("mprotect %-32s %s\n", "the last page of memory",
           result(sys_mprotect((void *)-PAGE, PAGE, PROT_READ)));
    printf("mprotect %-32s %s\n", "the kernel half",
           result(sys_mprotect((void *)0xffff800000000000ul, PAGE, PROT_READ)));
    int local = 0;
    void *stack = (void *)((uintptr_t)&local & ~(PAGE - 1));
    printf("mprotect %-32s %s\n", "the stack, GROWSDOWN",
           result(sys_mprotect(stack, PAGE, RW | PROT_GROWSDOWN)));
    printf("  still writable: %s\n", child_writes(p));
}

static void madvise_checks(char *p)
{
    static const struct {
        const char *what;
        uintptr_t offset;
        size_t len;
        int advice;
    } cases[] = {
        { "DONTNEED, length -1 page (wraps)", 0, -PAGE, MADV_DONTNEED },
        { "DONTNEED, length -1", 0, ~0ul, MADV_DONTNEED },
        { "DONTNEED, length -2 pages", 0, -2 * PAGE, MADV_DONTNEED },
        { "NORMAL, length -1 page", 0, -PAGE, MADV_NORMAL },
        { "length 0", 0, 0, MADV_DONTNEED },
        { "length 0, unknown advice", 0, 0, 999 },
        { "length 0, unaligned start", 1, 0, MADV_NORMAL },
        { "unaligned start", 1, PAGE, MADV_NORMAL },
        { "unknown advice", 0, PAGE, 999 },
        { "a hole", 8 * PAGE, PAGE, MADV_NORMAL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        printf("madvise  %-32s %s\n", cases[i].what,
               result(sys_madvise(p + cases[i].offset, cases[i].len, cases[i].advice)));
    printf("madvise  %-32s %s\n", "the last page of memory",
           result(sys_madvise((void *)-PAGE, PAGE, MADV_DONTNEED)));
    printf("madvise  %-32s %s\n", "the kernel half",
           result(sys_madvise((void *)0xffff800000000000ul, PAGE, MADV_DONTNEED)));
}

static void munmap_checks(char *p)
{
    printf("munmap   %-32s %s\n", "length -1 page", result(sys_munmap(p, -PAGE)));
    printf("munmap   %-32s %s\n", "length -1", result(sys_munmap(p, ~0ul)));
    printf("munmap   %-32s %s\n", "length 0", result(sys_munmap(p, 0)));
    printf("munmap   %-32s %s\n", "the last page of memory",
           result(sys_munmap((void *)-PAGE, PAGE)));
    printf("munmap   %-32s %s\n", "the kernel half",
           result(sys_munmap((void *)0xffff800000000000ul, PAGE)));
}

/* A hole in the middle: Linux advises the regions after it too, then says ENOMEM. */
static void across_a_hole(char *p)
{
    memset(p, 'z', 8 * PAGE);
    sys_munmap(p + 2 * PAGE, PAGE);
    printf("madvise  %-32s %s\n", "DONTNEED over a hole",
           result(sys_madvise(p, 8 * PAGE, MADV_DONTNEED)));
    printf("  before the hole zero: %s, after it zero: %s\n", filled(p, 2 * PAGE, 0) ? "yes" : "no",
           filled(p + 3 * PAGE, 5 * PAGE, 0) ? "yes" : "no");
    printf("mprotect %-32s %s\n", "read-only over a hole",
           result(sys_mprotect(p, 8 * PAGE, PROT_READ)));
    printf("  before the hole writable: %s, ", child_writes(p));
    printf("after it: %s\n", child_writes(p + 3 * PAGE));
}

/* mprotect that meets a hole first changes nothing, and cuts nothing: the mapping
 * after the hole is still one region, so mremap can grow all of it in place. */
static void hole_first_cuts_nothing(void)
{
    char *w = mmap(NULL, 12 * PAGE, PROT_READ, ANON, -1, 0);
    sys_munmap(w, 3 * PAGE);            /* hole: pages 0..2 */
    sys_munmap(w + 8 * PAGE, 4 * PAGE); /* mapped: pages 3..7, then room to grow */
    printf("mprotect %-32s %s\n", "from a hole into a mapping",
           result(sys_mprotect(w, 6 * PAGE, RW)));
    void *grown = (void *)syscall(SYS_mremap, w + 3 * PAGE, 5 * PAGE, 7 * PAGE, MREMAP_MAYMOVE);
    printf("  then mremap grows the 5 pages in place: %s\n", grown == (void *)(w + 3 * PAGE) ? "yes"
                                                             : grown == MAP_FAILED ? strerror(errno)
                                                                                   : "moved");
}

/* A PROT_WRITE page reads, as on every x86 Linux: the page tables have no "write
 * only". So does the kernel's own read of it (write() from it). */
static void write_only_reads(void)
{
    char *w = mmap(NULL, PAGE, PROT_WRITE, ANON, -1, 0);
    printf("a PROT_WRITE page, untouched, reads %d", w[100]);
    w[100] = 'x';
    printf(", then after a write reads '%c'", w[100]);
    fflush(stdout);
    long copied = syscall(SYS_write, 1, w + 100, 1);
    printf(" (write() from it: %ld)\n", copied);
}

int main(void)
{
    char *p = mmap(NULL, 16 * PAGE, RW, ANON, -1, 0);
    sys_munmap(p + 8 * PAGE, 8 * PAGE); /* a hole right after the 8 pages */
    memset(p, 'k', 8 * PAGE);
    mprotect_checks(p);
    madvise_checks(p);
    munmap_checks(p);
    printf("after all that, the bytes are still there: %s\n",
           filled(p, 8 * PAGE, 'k') ? "yes" : "no");
    across_a_hole(p);
    hole_first_cuts_nothing();
    write_only_reads();
    return 0;
}
