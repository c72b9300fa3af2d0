/*
 * hostile_memory.c — system calls pointed at awkward memory, and a program that
 * pulls the memory from under itself: each ends as on Linux, the kernel goes on.
 *
 *   copies by the kernel   into the untouched stack below RSP (the stack grows),
 *                          into a copy-on-write page after fork (the child's copy
 *                          changes, the parent's not), into the zero page (a page
 *                          only read before), into read-only, PROT_NONE and
 *                          unmapped memory, and across the end of a mapping (EFAULT)
 *   execve                 a path or argv/envp in PROT_NONE or unmapped memory, an
 *                          argv without its NULL running into unmapped memory (EFAULT)
 *   pulling the rug        the stack made PROT_NONE, then a system call on it (EFAULT)
 *                          and a return (SIGSEGV); the page being executed unmapped,
 *                          or moved away by mremap; the stack mapped over (SIGSEGV)
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
#include <time.h>
#include <unistd.h>

#define PAGE            4096ul
#define STACK_DEPTH     (512ul << 10) /* below RSP, still within the 8 MiB stack limit */
#define EXEC_CHILD_EXIT 42

static const char *self_path;

static const char *errno_name(long result)
{
    switch (result) {
    case 0: return "ok";
    case -EFAULT: return "EFAULT";
    case -ENOENT: return "ENOENT";
    case -EINVAL: return "EINVAL";
    case -ENOMEM: return "ENOMEM";
    default: return result > 0 ? "positive" : "other error";
    }
}

static long raw(long nr, long a, long b, long c)
{
    long r = syscall(nr, a, b, c);
    return r < 0 ? -errno : r;
}

static char *map(size_t bytes, int prot)
{
    char *p = mmap(NULL, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* How a child ended, in words. */
static void print_end(const char *what, int status)
{
    if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void run(const char *what, void (*body)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    print_end(what, status);
}

/* ---- copies by the kernel ---- */

static void copy_below_stack(void)
{
    char here;
    uintptr_t below = ((uintptr_t)&here - STACK_DEPTH) & ~15ul;
    struct timespec *ts = (struct timespec *)below;
    long r = raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)ts, 0);
    printf("clock_gettime into the stack %lu KiB below RSP: %s, seconds %s\n", STACK_DEPTH >> 10,
           errno_name(r), r == 0 && ts->tv_nsec < 1000000000 ? "stored" : "missing");
}

static void copy_into_cow_page(void)
{
    char *page = map(PAGE, PROT_READ | PROT_WRITE);
    memset(page, 'p', PAGE);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* the kernel writes the child's copy-on-write page first */
        long r = raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)page, 0);
        _exit(r == 0 && page[PAGE - 1] == 'p' && page[0] != 'p' ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    print_end("child's clock_gettime into a copy-on-write page", status);
    int untouched = 1;
    for (size_t i = 0; i < PAGE; i++)
        untouched &= page[i] == 'p';
    printf("the parent's page after it: %s\n", untouched ? "unchanged" : "CHANGED");
    /* and the other way round: the parent's write through the kernel, the child's
     * copy must not see it */
    munmap(page, PAGE);
}

/* A page read first maps the shared zero page, read-only; the kernel's write into
 * it must give the page a frame of its own. */
static void copy_into_zero_page(void)
{
    volatile char *page = map(PAGE, PROT_READ | PROT_WRITE);
    char before = page[100];
    long r = raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)page, 0);
    struct timespec *ts = (struct timespec *)page;
    printf("clock_gettime into a page only read before: %s, %s, rest %s\n", errno_name(r),
           ts->tv_nsec < 1000000000 ? "stored" : "missing",
           before == 0 && page[100] == 0 ? "zeros" : "NOT zeros");
    char *other = map(PAGE, PROT_READ | PROT_WRITE);
    printf("another fresh page reads: %s\n",
           other[0] == 0 && other[8] == 0 ? "zeros" : "NOT zeros");
    munmap((void *)page, PAGE);
    munmap(other, PAGE);
}

static void copy_into_bad_memory(void)
{
    char *ro = map(PAGE, PROT_READ);
    char *none = map(PAGE, PROT_NONE);
    char *two = map(2 * PAGE, PROT_READ | PROT_WRITE);
    munmap(two + PAGE, PAGE);
    char *gone = map(PAGE, PROT_READ | PROT_WRITE);
    munmap(gone, PAGE);
    struct {
        const char *name;
        char *at;
    } places[] = {
        { "read-only", ro },
        { "PROT_NONE", none },
        { "unmapped", gone },
        { "the last 8 bytes of a mapping", two + PAGE - 8 },
    };
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        long r = raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)places[i].at, 0);
        printf("clock_gettime into %s memory: %s\n", places[i].name, errno_name(r));
        r = raw(SYS_uname, (long)places[i].at, 0, 0);
        printf("uname into %s memory: %s\n", places[i].name, errno_name(r));
        r = raw(SYS_nanosleep, (long)places[i].at, 0, 0);
        printf("nanosleep reading %s memory: %s\n", places[i].name, errno_name(r));
    }
    munmap(ro, PAGE);
    munmap(none, PAGE);
    munmap(two, PAGE);
}

/* ---- execve with bad pointers (the file exists: this program) ---- */

static void execve_bad_pointers(void)
{
    char *none = map(PAGE, PROT_NONE);
    char *gone = map(PAGE, PROT_READ | PROT_WRITE);
    munmap(gone, PAGE);
    /* an argv array whose last slot is the last word of a mapping: no NULL after it */
    char *two = map(2 * PAGE, PROT_READ | PROT_WRITE);
    munmap(two + PAGE, PAGE);
    char **unterminated = (char **)(two + PAGE - sizeof(char *));
    unterminated[0] = (char *)self_path;
    char *good_argv[] = { (char *)self_path, "--exec-child", NULL };
    char *argv_none[] = { (char *)self_path, none, NULL };
    char *path_at_end = two + PAGE - 3; /* "ab" then no zero before unmapped */
    memcpy(path_at_end, "/ab", 3);

    struct {
        const char *name;
        long path, argv, envp;
    } calls[] = {
        { "path in PROT_NONE memory", (long)none, (long)good_argv, 0 },
        { "path in unmapped memory", (long)gone, (long)good_argv, 0 },
        { "path running into unmapped memory", (long)path_at_end, (long)good_argv, 0 },
        { "argv in PROT_NONE memory", (long)self_path, (long)none, 0 },
        { "argv in unmapped memory", (long)self_path, (long)gone, 0 },
        { "argv[1] in PROT_NONE memory", (long)self_path, (long)argv_none, 0 },
        { "argv without its NULL, before unmapped memory", (long)self_path, (long)unterminated, 0 },
        { "envp in PROT_NONE memory", (long)self_path, (long)good_argv, (long)none },
        { "argv in the kernel half", (long)self_path, (long)0xffff800000000000ul, 0 },
        { "argv non-canonical", (long)self_path, (long)0x0000800000000000ul, 0 },
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        long r = raw(SYS_execve, calls[i].path, calls[i].argv, calls[i].envp);
        printf("execve, %s: %s\n", calls[i].name, errno_name(r));
    }
}

/* ---- pulling the rug ---- */

/* The stack page at RSP (and its neighbours) made PROT_NONE, a write(2) from it
 * (the kernel's copy fails: EFAULT), then the stack given back; all in one asm
 * block, since C would use the stack meanwhile. Exits with the write's errno. */
static void stack_prot_none_then_syscall(void)
{
    long result;
    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "mov %%rsp, %%rdi\n\t"
                     "and $-4096, %%rdi\n\t"
                     "sub $4096, %%rdi\n\t"
                     "mov %%rdi, %%r13\n\t"
                     "mov $12288, %%esi\n\t"
                     "xor %%edx, %%edx\n\t" /* PROT_NONE */
                     "mov $10, %%eax\n\t"   /* mprotect */
                     "syscall\n\t"
                     "mov $1, %%edi\n\t"
                     "mov %%r12, %%rsi\n\t"
                     "mov $8, %%edx\n\t"
                     "mov $1, %%eax\n\t" /* write(1, rsp, 8) */
                     "syscall\n\t"
                     "mov %%rax, %%r14\n\t"
                     "mov %%r13, %%rdi\n\t"
                     "mov $12288, %%esi\n\t"
                     "mov $3, %%edx\n\t" /* PROT_READ | PROT_WRITE */
                     "mov $10, %%eax\n\t"
                     "syscall\n\t"
                     "mov %%r14, %%rax\n\t"
                     : "=a"(result)
                     :
                     : "rcx", "r11", "rdi", "rsi", "rdx", "r12", "r13", "r14", "memory");
    _exit(result == -EFAULT ? 14 : 1);
}

/* The same without giving the stack back: the return from this function reads the
 * return address from a PROT_NONE page. */
static void stack_prot_none_then_return(void)
{
    char here;
    uintptr_t page = (uintptr_t)&here & ~(PAGE - 1);
    syscall(SYS_mprotect, page - PAGE, 3 * PAGE, PROT_NONE);
}

/* The page holding this function's code unmapped (by a raw syscall, whose return
 * lands on that very page). */
static void unmap_running_code(void)
{
    uintptr_t page = (uintptr_t)&unmap_running_code & ~(PAGE - 1);
    __asm__ volatile("syscall"
                     :
                     : "a"(SYS_munmap), "D"(page), "S"(2 * PAGE)
                     : "rcx", "r11", "memory");
}

/* The code page moved elsewhere by mremap (MAYMOVE|FIXED): the return lands on the
 * hole it left. */
static void mremap_running_code(void)
{
    char *elsewhere = map(2 * PAGE, PROT_READ);
    uintptr_t page = (uintptr_t)&mremap_running_code & ~(PAGE - 1);
    register long flags __asm__("r10") = MREMAP_MAYMOVE | MREMAP_FIXED;
    register long to __asm__("r8") = (long)elsewhere;
    __asm__ volatile("syscall"
                     :
                     : "a"(SYS_mremap), "D"(page), "S"(2 * PAGE), "d"(2 * PAGE), "r"(flags), "r"(to)
                     : "rcx", "r11", "memory");
}

/* The stack around this function's frame, its return address included, mapped
 * over by a fresh anonymous mapping (MAP_FIXED): the return finds zeros. */
static void map_over_stack(void)
{
    uintptr_t page = ((uintptr_t)__builtin_frame_address(0) + sizeof(void *)) & ~(PAGE - 1);
    register long flags __asm__("r10") = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
    register long fd __asm__("r8") = -1;
    register long offset __asm__("r9") = 0;
    __asm__ volatile("syscall"
                     :
                     : "a"(SYS_mmap), "D"(page - 4 * PAGE), "S"(5 * PAGE),
                       "d"(PROT_READ | PROT_WRITE), "r"(flags), "r"(fd), "r"(offset)
                     : "rcx", "r11", "memory");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exec-child") == 0)
        return EXEC_CHILD_EXIT;
    self_path = argv[0];
    run("below the stack", copy_below_stack);
    copy_into_cow_page();
    copy_into_zero_page();
    copy_into_bad_memory();
    execve_bad_pointers();
    run("stack PROT_NONE, then write(2) from it", stack_prot_none_then_syscall);
    run("stack PROT_NONE, then return", stack_prot_none_then_return);
    run("the running code unmapped", unmap_running_code);
    run("the running code moved by mremap", mremap_running_code);
    run("the stack mapped over", map_over_stack);
    return 0;
}
