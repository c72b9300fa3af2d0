/*
 * syscall.h — the system-call interface, exactly as Linux defines it for x86-64.
 *
 * A system call is a numbered request to the kernel. The program puts the number in
 * rax and up to six arguments in rdi, rsi, rdx, r10, r8, r9, then executes the
 * `syscall` instruction; the kernel answers in rax. A result between -4095 and -1 is
 * an error: minus an errno value (errno_names.h), e.g. -2 is -ENOENT.
 *
 * Every number, constant and structure here is Linux's, so the same static binary
 * runs on vmlab and on Linux. The sys_* wrappers return the RAW result (a negative
 * errno on failure): there is no global errno variable in this library.
 */
#ifndef USER_LIB_SYSCALL_H
#define USER_LIB_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

/* ---- system-call numbers (arch/x86/entry/syscalls/syscall_64.tbl in Linux) ---- */
#define SYS_read            0
#define SYS_write           1
#define SYS_mmap            9
#define SYS_mprotect        10
#define SYS_munmap          11
#define SYS_brk             12
#define SYS_rt_sigaction    13
#define SYS_rt_sigprocmask  14
#define SYS_rt_sigreturn    15
#define SYS_ioctl           16
#define SYS_writev          20
#define SYS_sched_yield     24
#define SYS_mremap          25
#define SYS_madvise         28
#define SYS_pause           34
#define SYS_nanosleep       35
#define SYS_getpid          39
#define SYS_fork            57
#define SYS_vfork           58
#define SYS_execve          59
#define SYS_exit            60
#define SYS_wait4           61
#define SYS_kill            62
#define SYS_uname           63
#define SYS_getrlimit       97
#define SYS_getrusage       98
#define SYS_getppid         110
#define SYS_arch_prctl      158
#define SYS_setrlimit       160
#define SYS_gettid          186
#define SYS_set_tid_address 218
#define SYS_clock_gettime   228
#define SYS_exit_group      231

/* syscallfuzz tries numbers 0 .. SYS_LAST_FUZZED (the last one Linux 6.x numbered
 * before 2023, set_mempolicy_home_node). */
#define SYS_LAST_FUZZED 450

/* Results from -MAX_ERRNO to -1 are errors; everything else is a value. */
#define MAX_ERRNO        4095
#define IS_ERROR(result) ((unsigned long)(long)(result) >= (unsigned long)-MAX_ERRNO)

/* ---- raw system calls: the number and 0 to 6 arguments, the kernel's answer ---- */
long syscall0(long number);
long syscall1(long number, long a1);
long syscall2(long number, long a1, long a2);
long syscall3(long number, long a1, long a2, long a3);
long syscall4(long number, long a1, long a2, long a3, long a4);
long syscall5(long number, long a1, long a2, long a3, long a4, long a5);
long syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6);

/* ---- structures the kernel reads or writes ---- */
struct timespec {
    long tv_sec;  /* seconds */
    long tv_nsec; /* nanoseconds, 0 .. 999999999 */
};

struct timeval {
    long tv_sec;
    long tv_usec; /* microseconds, 0 .. 999999 */
};

struct rusage {
    struct timeval ru_utime; /* time spent in user mode */
    struct timeval ru_stime; /* time spent in the kernel */
    long ru_maxrss;          /* largest resident set, KiB */
    long ru_ixrss, ru_idrss, ru_isrss;
    long ru_minflt; /* page faults served without I/O */
    long ru_majflt; /* page faults that needed I/O */
    long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals;
    long ru_nvcsw;  /* voluntary context switches */
    long ru_nivcsw; /* involuntary context switches */
};

#define UTSNAME_FIELD 65
struct utsname {
    char sysname[UTSNAME_FIELD]; /* "Linux" on Linux, "vmlab" here */
    char nodename[UTSNAME_FIELD];
    char release[UTSNAME_FIELD];
    char version[UTSNAME_FIELD];
    char machine[UTSNAME_FIELD]; /* "x86_64" */
    char domainname[UTSNAME_FIELD];
};

struct winsize {
    unsigned short ws_row, ws_col;       /* characters */
    unsigned short ws_xpixel, ws_ypixel; /* usually 0 */
};

struct iovec {
    const void *iov_base;
    size_t iov_len;
};

/* A set of signals 1..64: signal s is bit s-1. rt_sigprocmask and rt_sigaction
 * take its size as an argument, which must be 8 (SIGSET_SIZE). */
typedef uint64_t sigset_t;
#define SIGSET_SIZE     sizeof(sigset_t)
#define SIGNAL_BIT(sig) (1ULL << ((sig)-1))

typedef void (*signal_handler_t)(int sig);
#define SIG_DFL ((signal_handler_t)0) /* the default action */
#define SIG_IGN ((signal_handler_t)1) /* ignore the signal */

/* struct sigaction as the kernel sees it (a C library's has another layout). */
struct k_sigaction {
    signal_handler_t handler; /* SIG_DFL, SIG_IGN or a function */
    unsigned long flags;      /* SA_* */
    void (*restorer)(void);   /* returns from a handler (rt_sigreturn); with SA_RESTORER */
    sigset_t mask;            /* signals blocked while the handler runs */
};

struct rlimit {
    unsigned long rlim_cur; /* the soft limit: what is enforced */
    unsigned long rlim_max; /* the hard limit: how far rlim_cur may be raised */
};

_Static_assert(sizeof(struct timespec) == 16, "struct timespec is 16 bytes on x86-64");
_Static_assert(sizeof(struct rusage) == 144, "struct rusage is 144 bytes on x86-64");
_Static_assert(sizeof(struct utsname) == 390, "struct utsname is 6 x 65 bytes");
_Static_assert(sizeof(struct k_sigaction) == 32, "the kernel's sigaction is 32 bytes");

/* ---- signals ---- */
#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4 /* invalid instruction (ud2) */
#define SIGTRAP   5 /* breakpoint (int3) */
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8 /* arithmetic error (divide by zero) */
#define SIGKILL   9 /* cannot be caught, blocked or ignored */
#define SIGUSR1   10
#define SIGSEGV   11 /* bad memory access (page fault, #GP) */
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17 /* default action: ignore */
#define SIGCONT   18 /* default action: continue */
#define SIGSTOP   19 /* cannot be caught, blocked or ignored */
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23 /* default action: ignore */
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28 /* default action: ignore */
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define NSIG      64 /* signals are numbered 1 .. NSIG */

#define SIG_BLOCK   0 /* rt_sigprocmask: add the set to the mask */
#define SIG_UNBLOCK 1 /* remove the set from the mask */
#define SIG_SETMASK 2 /* replace the mask */

#define SA_SIGINFO   0x00000004UL
#define SA_RESTORER  0x04000000UL
#define SA_ONSTACK   0x08000000UL
#define SA_RESTART   0x10000000UL
#define SA_NODEFER   0x40000000UL
#define SA_RESETHAND 0x80000000UL

/* ---- wait4 ---- */
#define WNOHANG   1 /* return 0 at once if no child has changed state */
#define WUNTRACED 2

/* The status word wait4 stores:
 *   exited normally:    (exit code & 0xff) << 8      low 7 bits 0
 *   killed by a signal: signal number (1..127), | 0x80 if a core was dumped */
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s)    ((s)&0x7f)
#define WCOREDUMP(s)   (((s)&0x80) != 0)
#define WIFEXITED(s)   (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s)  (((s)&0xff) == 0x7f)

/* ---- clocks, resource usage, terminals, FS base ---- */
#define CLOCK_REALTIME  0 /* wall-clock time since 1970 */
#define CLOCK_MONOTONIC 1 /* time since boot; never goes backwards */

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1) /* children that have been waited for */

#define TIOCGWINSZ 0x5413 /* ioctl: get the terminal's size (struct winsize) */

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002 /* set the FS segment base (thread-local storage) */
#define ARCH_GET_FS 0x1003 /* store the FS base at the given address */
#define ARCH_GET_GS 0x1004

/* ---- memory: mmap, mprotect, madvise, mremap, resource limits ---- */
#define PROT_NONE  0x0 /* no access at all */
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED          0x01     /* one copy, seen by every process that maps it */
#define MAP_PRIVATE         0x02     /* this process's own copy (copy-on-write after fork) */
#define MAP_FIXED           0x10     /* exactly at addr, replacing what was there */
#define MAP_ANONYMOUS       0x20     /* memory, not a file: starts as zeros */
#define MAP_NORESERVE       0x4000   /* Linux: do not check that it could all be backed */
#define MAP_POPULATE        0x8000   /* make every page present now */
#define MAP_FIXED_NOREPLACE 0x100000 /* exactly at addr, but -EEXIST if something is there */

#define MADV_DONTNEED   4  /* drop the pages: private ones read back as zeros */
#define MADV_NOHUGEPAGE 15 /* Linux: keep this range in 4 KiB pages (advice only) */

#define MREMAP_MAYMOVE 1 /* mremap may move the mapping to grow it */

#define RLIMIT_STACK  3 /* getrlimit/setrlimit: the largest stack, bytes */
#define RLIM_INFINITY (~0UL)

/* ---- one wrapper per system call; each returns the raw result ---- */
long sys_read(int fd, void *buf, size_t count);
long sys_write(int fd, const void *buf, size_t count);
long sys_writev(int fd, const struct iovec *iov, int iovcnt);
__attribute__((noreturn)) void sys_exit(int status);       /* this thread */
__attribute__((noreturn)) void sys_exit_group(int status); /* the whole process */
long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_execve(const char *path, char *const argv[], char *const envp[]);
long sys_wait4(int pid, int *status, int options, struct rusage *usage);
long sys_kill(int pid, int sig);
long sys_nanosleep(const struct timespec *request, struct timespec *remaining);
long sys_sched_yield(void);
long sys_clock_gettime(int clock, struct timespec *now);
long sys_uname(struct utsname *name);
long sys_getrusage(int who, struct rusage *usage);
long sys_arch_prctl(int code, unsigned long address);
long sys_set_tid_address(int *tid_address);
long sys_ioctl(int fd, unsigned long request, void *argument);
long sys_fork(void); /* the child's pid, 0 in the child, or -errno */
long sys_mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
long sys_munmap(void *addr, size_t length);
long sys_mprotect(void *addr, size_t length, int prot);
long sys_madvise(void *addr, size_t length, int advice);
long sys_mremap(void *addr, size_t old_size, size_t new_size, int flags, void *new_addr);
long sys_brk(unsigned long new_break); /* the break afterwards (the old one if refused) */
long sys_getrlimit(int resource, struct rlimit *limit);
long sys_setrlimit(int resource, const struct rlimit *limit);
long sys_rt_sigprocmask(int how, const sigset_t *set, sigset_t *old_set, size_t set_size);
long sys_rt_sigaction(int sig, const struct k_sigaction *action, struct k_sigaction *old_action,
                      size_t set_size);

/* vfork (vfork.asm): a new process that shares this one's memory, and this process
 * waits until the child calls execve or exits. Returns the child's pid in the parent,
 * 0 in the child, or -errno. The child may only call execve or exit (it runs on the
 * parent's stack), which is why this is written in assembly. */
__attribute__((returns_twice)) long sys_vfork(void);

#endif
