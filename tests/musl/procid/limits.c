/*
 * limits.c — resource limits: the rules of getrlimit, setrlimit and prlimit64,
 * inheritance by fork and execve, and what the limits do: no descriptor at or above
 * RLIMIT_NOFILE; a recursion past
 * RLIMIT_STACK dies of SIGSEGV, mmap/brk/mremap past RLIMIT_AS or RLIMIT_DATA fail
 * with ENOMEM. Each enforcement runs in a child with its own limits. Last, brk
 * after a mapping was placed over the start of the heap (musl's malloc does that).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define KIB         1024ul
#define MIB         (1024ul * KIB)
#define PAGE        4096ul
#define NO_SUCH_PID 99999

static void print_limit(const char *what, int resource)
{
    struct rlimit l;
    getrlimit(resource, &l);
    printf("%s: soft %lu, hard %lu\n", what, (unsigned long)l.rlim_cur, (unsigned long)l.rlim_max);
}

static void rules(void)
{
    struct rlimit l = { 100, 200 }, bad = { 300, 200 };
    printf("setrlimit(NOFILE, 100/200): %s\n", outcome(setrlimit(RLIMIT_NOFILE, &l)));
    print_limit("  NOFILE", RLIMIT_NOFILE);
    printf("setrlimit(soft above hard): %s\n", outcome(setrlimit(RLIMIT_NOFILE, &bad)));
    l.rlim_max = 150;
    printf("setrlimit(NOFILE, hard lowered to 150): %s\n", outcome(setrlimit(RLIMIT_NOFILE, &l)));
    l.rlim_max = 2 * MIB;
    printf("setrlimit(NOFILE, hard above fs.nr_open): %s\n", outcome(setrlimit(RLIMIT_NOFILE, &l)));
    printf("getrlimit(16): %s\n", outcome(syscall(SYS_getrlimit, 16, &l)));
    printf("setrlimit(-1): %s\n", outcome(syscall(SYS_setrlimit, -1, &l)));
    printf("getrlimit(bad pointer): %s\n", outcome(syscall(SYS_getrlimit, RLIMIT_CORE, 16)));
    printf("setrlimit(bad pointer): %s\n", outcome(syscall(SYS_setrlimit, RLIMIT_CORE, 16)));
    struct rlimit old = { 1, 1 }, core = { 0, RLIM_INFINITY };
    printf("prlimit(0, CORE, new, old): %s\n", outcome(prlimit(0, RLIMIT_CORE, &core, &old)));
    printf("prlimit(my pid, CORE, NULL, old): %s, soft %lu\n",
           outcome(prlimit(getpid(), RLIMIT_CORE, NULL, &old)), (unsigned long)old.rlim_cur);
    printf("prlimit(no such pid): %s\n", outcome(prlimit(NO_SUCH_PID, RLIMIT_CORE, NULL, &old)));
    printf("prlimit(0, 16): %s\n", outcome(prlimit(0, 16, NULL, &old)));
}

static int print_nofile_in_child(void)
{
    print_limit("  in a child", RLIMIT_NOFILE);
    fflush(stdout);
    return 0;
}

static void inheritance(const char *self)
{
    struct rlimit l = { 64, 128 };
    setrlimit(RLIMIT_NOFILE, &l);
    in_child(print_nofile_in_child);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl(self, self, "nofile", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
}

/* ---- enforcement ---- */

static int depth_reached;

/* Recurse with a frame of about 8 KiB per level, touching it. */
static int recurse(int levels)
{
    volatile char frame[8 * KIB];
    frame[0] = (char)levels;
    frame[sizeof frame - 1] = (char)levels;
    depth_reached = levels;
    return levels == 0 ? frame[0] : recurse(levels - 1) + frame[sizeof frame - 1];
}

static void limit_stack(void)
{
    struct rlimit l = { 256 * KIB, RLIM_INFINITY };
    setrlimit(RLIMIT_STACK, &l);
}

static int recurse_within(void)
{
    limit_stack();
    recurse(16); /* 128 KiB */
    return 0;
}

static int recurse_past(void)
{
    limit_stack();
    recurse(128); /* 1 MiB */
    return 0;
}

static const char *mmap_outcome(size_t length, int prot, int flags)
{
    void *p = mmap(NULL, length, prot, flags, -1, 0);
    if (p == MAP_FAILED)
        return outcome(-1);
    munmap(p, length);
    return "ok";
}

static const char *brk_grow(size_t by)
{
    char *now = sbrk(0);
    char *got = (char *)syscall(SYS_brk, now + by);
    if (got != now + by)
        return "refused";
    syscall(SYS_brk, now);
    return "grown";
}

static int address_space_limit(void)
{
    struct rlimit l = { 64 * MIB, RLIM_INFINITY };
    setrlimit(RLIMIT_AS, &l);
    int anon = MAP_PRIVATE | MAP_ANONYMOUS;
    printf("RLIMIT_AS 64 MiB: mmap 16 MiB %s, ", mmap_outcome(16 * MIB, PROT_READ, anon));
    printf("mmap 128 MiB %s\n", mmap_outcome(128 * MIB, PROT_READ, anon));
    printf("  brk +16 MiB %s, brk +128 MiB %s\n", brk_grow(16 * MIB), brk_grow(128 * MIB));
    char *p = mmap(NULL, 16 * MIB, PROT_READ, anon, -1, 0);
    void *moved = mremap(p, 16 * MIB, 128 * MIB, MREMAP_MAYMOVE);
    printf("  mremap 16 -> 128 MiB: %s\n", moved == MAP_FAILED ? outcome(-1) : "ok");
    fflush(stdout);
    return 0;
}

static int data_limit(void)
{
    struct rlimit l = { 32 * MIB, RLIM_INFINITY };
    setrlimit(RLIMIT_DATA, &l);
    int anon = MAP_PRIVATE | MAP_ANONYMOUS;
    int rw = PROT_READ | PROT_WRITE;
    printf("RLIMIT_DATA 32 MiB: private writable mmap 8 MiB %s, ", mmap_outcome(8 * MIB, rw, anon));
    printf("64 MiB %s\n", mmap_outcome(64 * MIB, rw, anon));
    printf("  read-only 64 MiB %s, ", mmap_outcome(64 * MIB, PROT_READ, anon));
    printf("shared writable 64 MiB %s\n", mmap_outcome(64 * MIB, rw, MAP_SHARED | MAP_ANONYMOUS));
    printf("  brk +1 MiB %s, brk +64 MiB %s\n", brk_grow(MIB), brk_grow(64 * MIB));
    char *p = mmap(NULL, 8 * MIB, rw, anon, -1, 0);
    void *moved = mremap(p, 8 * MIB, 64 * MIB, MREMAP_MAYMOVE);
    printf("  mremap of a writable mapping 8 -> 64 MiB: %s\n",
           moved == MAP_FAILED ? outcome(-1) : "ok");
    fflush(stdout);
    return 0;
}

/* RLIMIT_NOFILE 16: new descriptors stay below 16. */
static int open_files_limit(void)
{
    struct rlimit l = { 16, 16 };
    setrlimit(RLIMIT_NOFILE, &l);
    int fd, highest = -1;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0)
        highest = fd;
    printf("RLIMIT_NOFILE 16: opening until it fails: %s, the highest fd %d\n", outcome(fd),
           highest);
    printf("  dup2(0, 16): %s, ", outcome(dup2(0, 16)));
    printf("fcntl(F_DUPFD, 16): %s, ", outcome(fcntl(0, F_DUPFD, 16)));
    close(15);
    printf("dup2(0, 15): %s\n", outcome(dup2(0, 15)));
    fflush(stdout);
    return 0;
}

static void enforcement(void)
{
    in_child(open_files_limit);
    printf("RLIMIT_STACK 256 KiB: recursion of 128 KiB: %s\n",
           status_text(in_child(recurse_within)));
    printf("  recursion of 1 MiB: %s\n", status_text(in_child(recurse_past)));
    in_child(address_space_limit);
    in_child(data_limit);
}

/* The break moves whatever lies over the heap's start (issue 14's brk fix). */
static void brk_after_a_guard_page(void)
{
    char *start = sbrk(0);
    char *grown = (char *)syscall(SYS_brk, start + 2 * PAGE);
    void *guard = mmap(start, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("brk +2 pages: %s, a PROT_NONE page over its start: %s\n",
           grown == start + 2 * PAGE ? "yes" : "no", guard == start ? "yes" : "no");
    char *more = (char *)syscall(SYS_brk, start + 8 * PAGE);
    printf("  then grow to +8 pages: %s, ", more == start + 8 * PAGE ? "grown" : "refused");
    if (more == start + 8 * PAGE)
        start[7 * PAGE] = 1;
    char *less = (char *)syscall(SYS_brk, start + PAGE);
    printf("shrink to +1 page: %s, ", less == start + PAGE ? "shrunk" : "refused");
    less = (char *)syscall(SYS_brk, start);
    printf("back to the start: %s\n", less == start ? "yes" : "no");
}

void limit_tests(const char *self)
{
    rules();
    inheritance(self);
    enforcement();
    brk_after_a_guard_page();
}
