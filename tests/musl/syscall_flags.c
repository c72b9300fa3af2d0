/*
 * syscall_flags.c — a program's own RFLAGS bits do not reach the kernel.
 *
 * A program may set some RFLAGS bits itself (popf): NT (nested task), DF (string
 * instructions go backwards), AC (alignment check). `syscall` enters the kernel
 * with those bits the MSR FMASK does not clear. NT matters most: the kernel
 * returns to user mode with iretq, which in 64-bit mode faults if NT is set -- in
 * the kernel. Linux clears NT, DF and AC on entry; the program gets its flags back
 * on return.
 *
 * Each call below is made with the bits set, and the bits are read right after it:
 * a result, and "NT/DF kept", must be printed as on Linux (and the kernel must
 * not stop). fork is made with NT set too: the child starts through the
 * kernel's first-return path.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FLAG_DF (1ul << 10)
#define FLAG_NT (1ul << 14)

/* syscall(nr, a1, a2, a3) made with the RFLAGS bits `set` on; *after gets RFLAGS
 * as the program finds them after the call, and the bits are cleared again before
 * any C code runs (C code expects DF clear). Returns RAX. */
static long syscall_with_flags(long nr, long a1, long a2, long a3, unsigned long set,
                               unsigned long *after)
{
    long result;
    unsigned long flags;
    __asm__ volatile("pushfq\n\t"
                     "orq %[set], (%%rsp)\n\t"
                     "popfq\n\t"
                     "syscall\n\t"
                     "pushfq\n\t"
                     "movq (%%rsp), %[flags]\n\t"
                     "notq %[set]\n\t"
                     "andq %[set], (%%rsp)\n\t"
                     "popfq\n\t"
                     : "=a"(result), [flags] "=&r"(flags), [set] "+r"(set)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory", "cc");
    *after = flags;
    return result;
}

static void report(const char *what, long result, unsigned long after, unsigned long set)
{
    printf("%s: %s, flags %s\n", what, result >= 0 ? "ok" : "error",
           (after & set) == set ? "kept" : "lost");
}

int main(void)
{
    static const char line[] = "written with NT and DF set\n";
    struct timespec ms = { 0, 1000 * 1000 };
    unsigned long after;
    const unsigned long both = FLAG_NT | FLAG_DF;

    long result = syscall_with_flags(SYS_getpid, 0, 0, 0, FLAG_NT, &after);
    report("getpid", result, after, FLAG_NT);
    fflush(stdout);
    result = syscall_with_flags(SYS_write, 1, (long)line, sizeof line - 1, both, &after);
    report("write", result == (long)sizeof line - 1 ? 0 : -1, after, both);
    result = syscall_with_flags(SYS_nanosleep, (long)&ms, 0, 0, both, &after);
    report("nanosleep", result, after, both);
    result = syscall_with_flags(SYS_sched_yield, 0, 0, 0, FLAG_NT, &after);
    report("sched_yield", result, after, FLAG_NT);
    fflush(stdout);

    long pid = syscall_with_flags(SYS_fork, 0, 0, 0, FLAG_NT, &after);
    if (pid == 0) {
        report("fork, in the child", 0, after, FLAG_NT);
        fflush(stdout);
        _exit(3);
    }
    int status = 0;
    waitpid((pid_t)pid, &status, 0);
    report("fork, in the parent", pid, after, FLAG_NT);
    printf("child: %s %d\n", WIFEXITED(status) ? "exit" : "signal",
           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return 0;
}
