/*
 * mmap_rules.c — mmap, munmap, mprotect and madvise on anonymous memory: what
 * succeeds, what fails and with which errno, what reads back. Printed without
 * addresses (mmap places memory at different addresses on Linux).
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ul

static const char *name(int e)
{
    switch (e) {
    case 0: return "ok";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EBADF: return "EBADF";
    case ENODEV: return "ENODEV";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EFAULT: return "EFAULT";
    default: return "other";
    }
}

static void *try_mmap(const char *what, void *addr, size_t len, int prot, int flags, int fd,
                      long off)
{
    void *p = mmap(addr, len, prot, flags, fd, off);
    printf("mmap %-44s %s\n", what, p == MAP_FAILED ? name(errno) : "ok");
    return p == MAP_FAILED ? NULL : p;
}

static void report(const char *call, const char *what, int result)
{
    printf("%-8s %-42s %s\n", call, what, result == 0 ? "ok" : name(errno));
}

/* Run fn in a child (vfork + exec of ourselves with an argument) and print how
 * it ended: does touching that memory fault? */
static const char *self;
static void in_child(const char *mode, const char *what)
{
    pid_t pid = vfork();
    if (pid == 0) {
        char *argv[] = { (char *)self, "--child", (char *)mode, NULL };
        execv(self, argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        printf("child    %-42s killed by %s\n", what,
               WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "other");
    else
        printf("child    %-42s exit %d\n", what, WEXITSTATUS(status));
}

static int child_mode(const char *mode)
{
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (strcmp(mode, "read-none") == 0) {
        mprotect(p, PAGE, PROT_NONE);
        return p[0];
    }
    if (strcmp(mode, "write-readonly") == 0) {
        mprotect(p + PAGE, PAGE, PROT_READ);
        p[PAGE] = 1;
        return 0;
    }
    if (strcmp(mode, "write-unmapped") == 0) {
        munmap(p + 2 * PAGE, PAGE);
        p[2 * PAGE] = 1;
        return 0;
    }
    if (strcmp(mode, "write-after-remap") == 0) {
        mprotect(p, 4 * PAGE, PROT_READ);
        mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE);
        p[3 * PAGE] = 1;
        return 0;
    }
    return 99;
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc > 2 && strcmp(argv[1], "--child") == 0)
        return child_mode(argv[2]);

    int anon = MAP_PRIVATE | MAP_ANONYMOUS, rw = PROT_READ | PROT_WRITE;
    try_mmap("length 0", NULL, 0, rw, anon, -1, 0);
    try_mmap("neither shared nor private", NULL, PAGE, rw, MAP_ANONYMOUS, -1, 0);
    try_mmap("unaligned offset", NULL, PAGE, rw, anon, -1, 100);
    try_mmap("file mapping of a bad fd", NULL, PAGE, rw, MAP_PRIVATE, 99, 0);
    try_mmap("huge length", NULL, (size_t)1 << 62, rw, anon, -1, 0);
    try_mmap("length that overflows when rounded", NULL, ~(size_t)0 - 10, rw, anon, -1, 0);
    try_mmap("MAP_FIXED at an unaligned address", (void *)0x200000123ul, PAGE, rw, anon | MAP_FIXED,
             -1, 0);
    try_mmap("MAP_FIXED beyond user space", (void *)0x7ffffffff000ul, 4 * PAGE, rw,
             anon | MAP_FIXED, -1, 0);

    char *a = try_mmap("1 MiB private anonymous", NULL, 1 << 20, rw, anon, -1, 0);
    long nonzero = 0;
    for (unsigned long i = 0; a != NULL && i < (1 << 20); i += PAGE)
        nonzero += a[i] != 0;
    printf("         fresh memory, non-zero bytes seen: %ld\n", nonzero);
    memset(a, 7, 1 << 20);

    char *fixed = try_mmap("MAP_FIXED over the middle of it", a + 4 * PAGE, 2 * PAGE, rw,
                           anon | MAP_FIXED, -1, 0);
    printf("         MAP_FIXED gave the asked address: %s; old contents replaced by zeros: %s\n",
           fixed == a + 4 * PAGE ? "yes" : "no", fixed != NULL && fixed[0] == 0 ? "yes" : "no");
    try_mmap("MAP_FIXED_NOREPLACE over it", a + 4 * PAGE, PAGE, rw, anon | MAP_FIXED_NOREPLACE, -1,
             0);
    printf("         neighbours kept their data: %s\n",
           a[3 * PAGE] == 7 && a[6 * PAGE] == 7 ? "yes" : "no");

    char *hinted = mmap(a + (2 << 20), PAGE, rw, anon, -1, 0);
    printf("mmap %-44s %s\n", "a free hint is honoured", hinted == a + (2 << 20) ? "yes" : "no");

    report("munmap", "unaligned address", munmap(a + 1, PAGE));
    report("munmap", "length 0", munmap(a, 0));
    report("munmap", "a range with nothing mapped", munmap(a + (8 << 20), PAGE));
    report("munmap", "one page in the middle", munmap(a + 10 * PAGE, PAGE));
    report("munmap", "the same page again", munmap(a + 10 * PAGE, PAGE));
    report("munmap", "beyond user space", munmap((void *)0x7ffffffff000ul, 16 * PAGE));

    report("mprotect", "unaligned address", mprotect(a + 1, PAGE, PROT_READ));
    report("mprotect", "length 0", mprotect(a, 0, PROT_READ));
    report("mprotect", "unknown bits", mprotect(a, PAGE, 0x100));
    report("mprotect", "a range with a hole (the unmapped page)",
           mprotect(a + 9 * PAGE, 3 * PAGE, PROT_READ));
    report("mprotect", "a range that is all mapped", mprotect(a, 8 * PAGE, PROT_READ));
    printf("         read-only memory still reads: %s\n", a[PAGE] == 7 ? "yes" : "no");

    char *m = try_mmap("4 pages to advise", NULL, 4 * PAGE, rw, anon, -1, 0);
    memset(m, 9, 4 * PAGE);
    report("madvise", "MADV_DONTNEED on 2 pages", madvise(m + PAGE, 2 * PAGE, MADV_DONTNEED));
    printf("         after DONTNEED: %d %d %d %d\n", m[0], m[PAGE], m[2 * PAGE], m[3 * PAGE]);
    report("madvise", "unaligned address", madvise(m + 1, PAGE, MADV_DONTNEED));
    report("madvise", "unknown advice", madvise(m, PAGE, 12345));
    report("madvise", "a range not mapped", madvise(a + 10 * PAGE, PAGE, MADV_DONTNEED));

    char *none =
        try_mmap("PROT_NONE reservation of 64 pages", NULL, 64 * PAGE, PROT_NONE, anon, -1, 0);
    report("mprotect", "part of it made read/write", mprotect(none + 8 * PAGE, 8 * PAGE, rw));
    none[8 * PAGE] = 5;
    printf("         and written: %d\n", none[8 * PAGE]);
    char *pop = try_mmap("MAP_POPULATE of 8 pages", NULL, 8 * PAGE, rw, anon | MAP_POPULATE, -1, 0);
    printf("         populated memory reads zero: %s\n",
           pop != NULL && pop[7 * PAGE] == 0 ? "yes" : "no");
    try_mmap("MAP_SHARED anonymous", NULL, PAGE, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    /* mlock faults the pages in: where a touch cannot (PROT_NONE, past an object's
     * end: SIGBUS) it fails with ENOMEM, the range still locked; mlockall ignores
     * such regions (Linux populates ignoring errors) */
    report("mlock", "part of the PROT_NONE reservation", mlock(none + 32 * PAGE, 4 * PAGE));
    munlock(none + 32 * PAGE, 4 * PAGE);
    char *shm = mmap(NULL, PAGE, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *grown = mremap(shm, PAGE, 4 * PAGE, MREMAP_MAYMOVE);
    report("mlock", "shared memory grown past its end", mlock(grown, 4 * PAGE));
    munlock(grown, 4 * PAGE);
    report("mlockall", "with that and the PROT_NONE one", mlockall(MCL_CURRENT));
    munlockall();

    /* advice that would drop locked pages or hand them to reclaim: EINVAL, the
     * pages stay (Linux 6.1); the unlocked part of a range before the locked one
     * gets it all the same */
    char *locked = try_mmap("4 pages, the last 2 locked", NULL, 4 * PAGE, rw, anon, -1, 0);
    memset(locked, 3, 4 * PAGE);
    mlock(locked + 2 * PAGE, 2 * PAGE);
    report("madvise", "MADV_DONTNEED on locked pages",
           madvise(locked + 2 * PAGE, 2 * PAGE, MADV_DONTNEED));
    report("madvise", "MADV_FREE on locked pages", madvise(locked + 2 * PAGE, 2 * PAGE, MADV_FREE));
    report("madvise", "MADV_COLD on locked pages", madvise(locked + 2 * PAGE, 2 * PAGE, 20));
    report("madvise", "MADV_PAGEOUT on locked pages", madvise(locked + 2 * PAGE, 2 * PAGE, 21));
    report("madvise", "MADV_DONTNEED on unlocked then locked",
           madvise(locked, 4 * PAGE, MADV_DONTNEED));
    printf("         after: %d %d %d %d\n", locked[0], locked[PAGE], locked[2 * PAGE],
           locked[3 * PAGE]);
    munmap(locked, 4 * PAGE);
    munmap(grown, 4 * PAGE);
    try_mmap("MAP_NORESERVE of 1 GiB", NULL, 1ul << 30, rw, anon | MAP_NORESERVE, -1, 0);

    in_child("read-none", "reads a PROT_NONE page");
    in_child("write-readonly", "writes a page made read-only");
    in_child("write-unmapped", "writes a page unmapped");
    in_child("write-after-remap", "writes after read-only then read/write");
    return 0;
}
