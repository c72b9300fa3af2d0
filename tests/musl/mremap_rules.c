/*
 * mremap_rules.c — mremap's corner cases, with Linux's answers: moves to a fixed
 * address inside the source mapping, moves of PROT_NONE memory, a shrinking
 * fixed move, destinations outside user space or below the mmap floor, old_size
 * 0 (duplicating a shared mapping), MREMAP_DONTUNMAP, and ranges that run over
 * holes. After each step the pages are checked from outside: madvise says
 * whether a page is mapped, the first byte of a page says whose it is.
 *
 * Pages are placed in windows of free address space found with mmap + munmap,
 * so that "room after a mapping" means the same on Linux and here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE     4096ul
#define RW       (PROT_READ | PROT_WRITE)
#define ANON     (MAP_PRIVATE | MAP_ANONYMOUS)
#define USER_END 0x7ffffffff000ul /* Linux's TASK_SIZE on x86-64 */

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

static const char *name(int e)
{
    switch (e) {
    case 0: return "ok";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    default: return "other";
    }
}

/* The raw system call (musl's wrapper checks some sizes itself): the result as
 * an errno name, and the new address in *moved (MAP_FAILED on failure). */
static const char *try_mremap(void *addr, size_t old, size_t new, int flags, uintptr_t to,
                              char **moved)
{
    long r = syscall(SYS_mremap, addr, old, new, flags, to);
    if (moved != NULL)
        *moved = r == -1 ? MAP_FAILED : (char *)r;
    return r == -1 ? name(errno) : "ok";
}

/* A free window of address space of this many pages (mapped, then unmapped). */
static char *window(size_t pages)
{
    char *p = mmap(NULL, pages * PAGE, PROT_NONE, ANON, -1, 0);
    munmap(p, pages * PAGE);
    return p;
}

/* Map pages at p (fixed), page i holding the letter first + i in every byte. */
static char *lettered(char *p, size_t pages, char first, int flags)
{
    char *got = mmap(p, pages * PAGE, RW, flags | MAP_FIXED, -1, 0);
    for (size_t i = 0; i < pages; i++)
        memset(got + i * PAGE, first + (int)i, PAGE);
    return got;
}

/* One character per page of [p, p + pages): its first byte if it is mapped and
 * holds a letter, '0' for a zero byte, '.' if unmapped. Pages must be readable
 * where mapped. The answer lives until the next call. */
static const char *layout(const char *p, size_t pages)
{
    static char line[128];
    for (size_t i = 0; i < pages; i++) {
        const char *page = p + i * PAGE;
        if (madvise((void *)page, PAGE, MADV_NORMAL) != 0)
            line[i] = '.';
        else
            line[i] = page[0] == 0 ? '0' : page[0];
    }
    line[pages] = '\0';
    return line;
}

static int page_filled(const char *page, char c)
{
    for (size_t i = 0; i < PAGE; i++)
        if (page[i] != c)
            return 0;
    return 1;
}

/* What a child reading p experiences: "ok" or "SIGSEGV". */
static const char *child_reads(const char *p)
{
    pid_t pid = fork();
    if (pid == 0) {
        (void)*(volatile const char *)p;
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "another signal";
    return "ok";
}

/* MREMAP_FIXED to a place inside the source's own mapping, below and above the
 * range that moves: the destination is unmapped first, cutting the mapping. */
static void fixed_inside_source(void)
{
    char *w = window(16);
    lettered(w, 16, 'A', ANON);
    const char *r = try_mremap(w + 8 * PAGE, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                               (uintptr_t)w, NULL);
    printf("fixed move of pages 8-9 to page 0 of the same mapping: %s\n", r);
    printf("  pages: %s\n", layout(w, 16));
    r = try_mremap(w + 2 * PAGE, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                   (uintptr_t)w + 12 * PAGE, NULL);
    printf("fixed move of pages 2-3 to page 12: %s\n", r);
    printf("  pages: %s\n", layout(w, 16));
    r = try_mremap(w + 4 * PAGE, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                   (uintptr_t)w + 6 * PAGE, NULL);
    printf("fixed move onto an overlapping range: %s\n", r);
    r = try_mremap(w + 4 * PAGE, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (uintptr_t)w + 4 * PAGE,
                   NULL);
    printf("fixed move onto itself: %s\n", r);
    r = try_mremap(w + 4 * PAGE, 4 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                   (uintptr_t)w + 6 * PAGE, NULL);
    printf("fixed shrinking move onto the part it gives up: %s\n", r);
    printf("  pages: %s\n", layout(w, 16));
    munmap(w, 16 * PAGE);
}

/* Clutter for a kernel's region records: a reserved window cut into many
 * one-page mappings, every other one unmapped again. A kernel that kept using a
 * region record after freeing it (vmlab did, when a mapping it placed merged
 * with the source) then finds the record overwritten: the next records come
 * from elsewhere. To the test itself these mappings mean nothing. */
#define CLUTTER 70
static void clutter(char *reserved)
{
    for (int i = 0; i < CLUTTER; i++)
        mmap(reserved + 2 * i * PAGE, PAGE, PROT_READ, ANON | MAP_FIXED, -1, 0);
    for (int i = 0; i < CLUTTER; i += 2)
        munmap(reserved + 2 * i * PAGE, PAGE);
}

/* PROT_NONE memory keeps its bytes through a move and stays inaccessible. The
 * mapping sits in a free window with something right after it, so the search
 * for its new place, starting from the top of the window, finds the room just
 * below it. */
static void prot_none_moves(void)
{
    char *reserved = mmap(NULL, 2 * CLUTTER * PAGE, PROT_NONE, ANON, -1, 0);
    char *w = window(16), *none = w + 8 * PAGE;
    lettered(none, 4, 'N', ANON);
    mprotect(none, 4 * PAGE, PROT_NONE);
    mmap(none + 4 * PAGE, PAGE, PROT_READ, ANON | MAP_FIXED, -1, 0); /* no room after it */
    clutter(reserved);
    munmap(none + 5 * PAGE, 3 * PAGE); /* free already: placement searches from here on */
    char *moved;
    const char *r = try_mremap(none, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE, 0, &moved);
    printf("grow PROT_NONE 4 -> 8 pages with no room, MAYMOVE: %s, moved: %s\n", r,
           moved != MAP_FAILED && moved != none ? "yes" : "no");
    if (moved == MAP_FAILED)
        return;
    printf("  the old place is unmapped: %s\n",
           madvise(none, PAGE, MADV_NORMAL) != 0 ? "yes" : "no");
    printf("  a read of the moved memory: %s\n", child_reads(moved));
    mprotect(moved, 8 * PAGE, RW);
    printf("  made readable: %s\n", layout(moved, 8));
    mprotect(moved, 8 * PAGE, PROT_NONE);
    char *there = window(8), *back;
    r = try_mremap(moved, 8 * PAGE, 8 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (uintptr_t)there,
                   &back);
    printf("fixed move of PROT_NONE memory: %s, ", r);
    printf("a read there: %s\n", back != MAP_FAILED ? child_reads(back) : "-");
    if (back != MAP_FAILED) {
        mprotect(back, 8 * PAGE, RW);
        printf("  made readable: %s\n", layout(back, 8));
        munmap(back, 8 * PAGE);
    }
    munmap(moved, 8 * PAGE);
    munmap(w, 16 * PAGE);
    munmap(reserved, 2 * CLUTTER * PAGE);
}

/* A fixed move that also shrinks moves only the new size, unmaps only the new
 * size at the destination, and unmaps the whole old range. */
static void shrinking_fixed_move(void)
{
    char *w = window(24);
    lettered(w, 8, 'a', ANON);
    lettered(w + 12 * PAGE, 8, 'm', ANON); /* the destination: m n o p q r s t */
    const char *r = try_mremap(w, 8 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                               (uintptr_t)w + 12 * PAGE, NULL);
    printf("fixed move shrinking 8 -> 4 pages onto another mapping: %s\n", r);
    printf("  pages: %s\n", layout(w, 24));
    munmap(w, 24 * PAGE);
}

/* Destinations and sizes that are no place in user space: refused, nothing moves. */
static void impossible_destinations(void)
{
    char *w = window(4);
    lettered(w, 4, 'k', ANON);
    static const struct {
        const char *what;
        size_t new_size;
        uintptr_t to;
    } bad[] = {
        { "the last user page, 2 pages long", 2 * PAGE, USER_END - PAGE },
        { "the end of user space", PAGE, USER_END },
        { "the first non-canonical address", PAGE, 0x800000000000ul },
        { "a non-canonical address", PAGE, 0x900000000000ul },
        { "the kernel half", PAGE, 0xffff800000000000ul },
        { "the top page of memory", PAGE, 0xfffffffffffff000ul },
        { "2^63 bytes", 1ul << 63, 0x10000000ul },
        { "a size bigger than user space", USER_END + PAGE, 0 },
        { "a size that rounds up to 0", ~0ul, 0x10000000ul },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        printf(
            "fixed move to %s: %s\n", bad[i].what,
            try_mremap(w, PAGE, bad[i].new_size, MREMAP_MAYMOVE | MREMAP_FIXED, bad[i].to, NULL));
    printf("grow to 2^47 bytes: %s\n", try_mremap(w, PAGE, 1ul << 47, MREMAP_MAYMOVE, 0, NULL));
    printf("grow to all of user space: %s\n",
           try_mremap(w, PAGE, USER_END, MREMAP_MAYMOVE, 0, NULL));
    printf("grow to 2^63 bytes: %s\n", try_mremap(w, PAGE, 1ul << 63, MREMAP_MAYMOVE, 0, NULL));
    printf("grow by -1 bytes: %s\n", try_mremap(w, PAGE, ~0ul, MREMAP_MAYMOVE, 0, NULL));
    printf("old size -1 (rounds to 0), private: %s\n",
           try_mremap(w, ~0ul, PAGE, MREMAP_MAYMOVE, 0, NULL));
    printf("old size 2^62, shrinking to a page: %s\n", try_mremap(w, 1ul << 62, PAGE, 0, 0, NULL));
    printf(
        "old size -2 pages, fixed: %s\n",
        try_mremap(w, -2 * PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (uintptr_t)window(1), NULL));
    printf("  pages: %s\n", layout(w, 4));
    printf("madvise(DONTNEED) of the kernel half: %s\n",
           madvise((void *)0xffff800000000000ul, PAGE, MADV_DONTNEED) == 0 ? "ok" : name(errno));
    munmap(w, 4 * PAGE);
}

/* A fixed move below the lowest address mmap allows gets mmap's answer there. */
static void below_the_floor(void)
{
    static const uintptr_t low[] = { 0, 0x1000, 0x10000, 0x200000 };
    for (size_t i = 0; i < sizeof low / sizeof low[0]; i++) {
        void *m = mmap((void *)low[i], PAGE, RW, ANON | MAP_FIXED, -1, 0);
        int mmap_error = m == MAP_FAILED ? errno : 0;
        if (m != MAP_FAILED)
            munmap(m, PAGE);
        char *src = mmap(NULL, PAGE, RW, ANON, -1, 0);
        char *moved;
        try_mremap(src, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, low[i], &moved);
        int mremap_error = moved == MAP_FAILED ? errno : 0;
        printf("fixed move to 0x%lx gets mmap's answer there: %s\n", (unsigned long)low[i],
               mmap_error == mremap_error ? "yes" : "no");
        munmap(moved != MAP_FAILED ? moved : src, PAGE);
    }
}

/* old_size 0: a private mapping has nothing to duplicate; a shared one is mapped
 * a second time, both views showing the same pages. */
static void duplicates(void)
{
    char *w = window(8);
    lettered(w, 4, 'p', ANON);
    printf("old size 0 of a private mapping, MAYMOVE: %s\n",
           try_mremap(w, 0, PAGE, MREMAP_MAYMOVE, 0, NULL));
    printf("old size 0 of a private mapping: %s\n", try_mremap(w, 0, PAGE, 0, 0, NULL));
    munmap(w, 4 * PAGE);
    char *s = lettered(w, 4, 's', MAP_SHARED | MAP_ANONYMOUS);
    char *dup;
    const char *r = try_mremap(s + PAGE, 0, 2 * PAGE, MREMAP_MAYMOVE, 0, &dup);
    printf("old size 0 of a shared mapping, MAYMOVE: %s\n", r);
    if (dup != MAP_FAILED) {
        printf("  the copy shows: %s\n", layout(dup, 2));
        dup[PAGE] = 'D';
        s[PAGE] = 'S';
        printf("  writes seen through the other view: %c %c\n", s[2 * PAGE], dup[0]);
        printf("  the original is still mapped: %s\n", layout(s, 4));
        munmap(dup, 2 * PAGE);
    }
    printf("old size 0 of a shared mapping, no MAYMOVE: %s\n", try_mremap(s, 0, PAGE, 0, 0, NULL));
    munmap(s, 4 * PAGE);
}

/* MREMAP_DONTUNMAP: the pages move, the old range stays mapped; a private one
 * reads zeros, a shared one shows the same pages. */
static void dont_unmap(void)
{
    char *w = window(8);
    lettered(w, 2, 'u', ANON);
    printf("DONTUNMAP changing the size: %s\n",
           try_mremap(w, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0, NULL));
    printf("DONTUNMAP without MAYMOVE: %s\n",
           try_mremap(w, 2 * PAGE, 2 * PAGE, MREMAP_DONTUNMAP, 0, NULL));
    printf(
        "DONTUNMAP with a hint on itself: %s\n",
        try_mremap(w, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, (uintptr_t)w, NULL));
    char *moved;
    const char *r = try_mremap(w, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0, &moved);
    printf("DONTUNMAP of a private mapping: %s\n", r);
    if (moved != MAP_FAILED) {
        printf("  moved pages: %s, ", layout(moved, 2));
        printf("old pages: %s\n", layout(w, 2));
        munmap(moved, 2 * PAGE);
    }
    munmap(w, 2 * PAGE);
    char *s = lettered(w, 2, 'v', MAP_SHARED | MAP_ANONYMOUS);
    r = try_mremap(s, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED,
                   (uintptr_t)w + 4 * PAGE, &moved);
    printf("DONTUNMAP of a shared mapping to a fixed place: %s\n", r);
    if (moved != MAP_FAILED) {
        moved[0] = 'V';
        printf("  moved pages: %s, ", layout(moved, 2));
        printf("old pages: %s\n", layout(s, 2));
    }
    munmap(w, 8 * PAGE);
}

/* Ranges that run past their mapping: a shrink unmaps whatever is there, like
 * munmap; the same size needs nothing; growing needs one mapping. */
static void ranges_over_holes(void)
{
    char *w = window(16);
    lettered(w, 6, 'h', ANON);
    lettered(w + 8 * PAGE, 2, 'x', ANON); /* a hole at 6-7, then x y */
    printf("same size, over the hole: %s\n", try_mremap(w, 12 * PAGE, 12 * PAGE, 0, 0, NULL));
    printf("grow, over the hole: %s\n",
           try_mremap(w, 12 * PAGE, 14 * PAGE, MREMAP_MAYMOVE, 0, NULL));
    printf("fixed move over the hole: %s\n",
           try_mremap(w + 4 * PAGE, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
                      (uintptr_t)window(8), NULL));
    printf("  pages: %s\n", layout(w, 16));
    printf("shrink 12 -> 3 pages, over the hole and the next mapping: %s\n",
           try_mremap(w, 12 * PAGE, 3 * PAGE, 0, 0, NULL));
    printf("  pages: %s\n", layout(w, 16));
    printf("an address inside no mapping: %s\n", try_mremap(w + 5 * PAGE, PAGE, PAGE, 0, 0, NULL));
    munmap(w, 16 * PAGE);
}

/* A shared mapping shrunk by munmap and grown back in place shows its old pages
 * again: they belong to the shared memory, not to the mapping. */
static void shared_regrow(void)
{
    char *w = window(16);
    char *s = lettered(w, 8, 'S', MAP_SHARED | MAP_ANONYMOUS);
    munmap(s + 4 * PAGE, 4 * PAGE);
    char *grown;
    const char *r = try_mremap(s, 4 * PAGE, 8 * PAGE, 0, 0, &grown);
    printf("shared, munmapped to 4 pages, grown back to 8 in place: %s, same place: %s\n", r,
           grown == s ? "yes" : "no");
    printf("  pages: %s, ", layout(s, 8));
    printf("page 5 whole: %s\n", page_filled(s + 5 * PAGE, 'S' + 5) ? "yes" : "no");
    munmap(w, 16 * PAGE);
}

/* After fork the child's pages are shared copy-on-write with the parent's: the
 * child moves them (each frame's reference travels with its entry), writes, and
 * grows them; the parent's bytes stay as they were. A shared mapping moved with
 * DONTUNMAP stays shared through both places. */
static void moves_after_fork(void)
{
    char *a = mmap(NULL, 8 * PAGE, RW, ANON, -1, 0);
    char *s = mmap(NULL, 4 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(a, 'p', 8 * PAGE);
    memset(s, 's', 4 * PAGE);
    fflush(stdout); /* or the child would print what is buffered a second time */
    pid_t pid = fork();
    if (pid == 0) {
        char *to = window(16), *moved, *shared, *grown;
        try_mremap(a, 8 * PAGE, 8 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (uintptr_t)to, &moved);
        moved[0] = moved[5 * PAGE] = 'c';
        try_mremap(s, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0, &shared);
        shared[PAGE] = 'C';
        try_mremap(moved, 8 * PAGE, 16 * PAGE, MREMAP_MAYMOVE, 0, &grown);
        printf("child after fork: moved %s, ", moved == to ? "there" : "elsewhere");
        printf("grown: %s, ", layout(grown, 16));
        printf("shared, old place: %c, new: %c\n", s[PAGE], shared[PAGE]);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("the parent's pages: %s, ", layout(a, 8));
    printf("its shared page 1: %c\n", s[PAGE]);
    munmap(a, 8 * PAGE);
    munmap(s, 4 * PAGE);
}

int main(void)
{
    fixed_inside_source();
    prot_none_moves();
    shrinking_fixed_move();
    impossible_destinations();
    below_the_floor();
    duplicates();
    dont_unmap();
    ranges_over_holes();
    shared_regrow();
    moves_after_fork();
    return 0;
}
