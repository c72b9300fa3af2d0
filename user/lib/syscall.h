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
#define SYS_open            2
#define SYS_close           3
#define SYS_stat            4
#define SYS_fstat           5
#define SYS_lstat           6
#define SYS_lseek           8
#define SYS_mmap            9
#define SYS_mprotect        10
#define SYS_munmap          11
#define SYS_brk             12
#define SYS_rt_sigaction    13
#define SYS_rt_sigprocmask  14
#define SYS_rt_sigreturn    15
#define SYS_ioctl           16
#define SYS_pread64         17
#define SYS_writev          20
#define SYS_sched_yield     24
#define SYS_dup             32
#define SYS_dup2            33
#define SYS_mremap          25
#define SYS_msync           26
#define SYS_mincore         27
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
#define SYS_fcntl           72
#define SYS_fsync           74
#define SYS_ftruncate       77
#define SYS_getcwd          79
#define SYS_chdir           80
#define SYS_rename          82
#define SYS_mkdir           83
#define SYS_rmdir           84
#define SYS_unlink          87
#define SYS_readlink        89
#define SYS_umask           95
#define SYS_getrlimit       97
#define SYS_getrusage       98
#define SYS_setpgid         109
#define SYS_getppid         110
#define SYS_getpgrp         111
#define SYS_arch_prctl      158
#define SYS_setrlimit       160
#define SYS_sync            162
#define SYS_reboot          169
#define SYS_gettid          186
#define SYS_getdents64      217
#define SYS_set_tid_address 218
#define SYS_clock_gettime   228
#define SYS_exit_group      231
#define SYS_openat          257
#define SYS_mkdirat         258
#define SYS_newfstatat      262
#define SYS_unlinkat        263
#define SYS_dup3            292
#define SYS_readlinkat      267
#define SYS_pipe2           293

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
#define TIOCSPGRP  0x5410 /* ioctl: make a process group the foreground (tcsetpgrp) */

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
#define MADV_WILLNEED   3  /* read the pages in ahead of use (a file mapping) */
#define MADV_NOHUGEPAGE 15 /* Linux: keep this range in 4 KiB pages (advice only) */

#define MS_ASYNC      1 /* msync: start writing dirty pages back, do not wait */
#define MS_INVALIDATE 2 /* msync: drop cached copies so others' writes are seen */
#define MS_SYNC       4 /* msync: write dirty pages back and wait until they are on the disk */

#define MREMAP_MAYMOVE 1 /* mremap may move the mapping to grow it */

#define RLIMIT_STACK  3 /* getrlimit/setrlimit: the largest stack, bytes */
#define RLIM_INFINITY (~0UL)

/* ---- files: open flags, modes, struct stat, directory entries ---- */
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100  /* create the file if it does not exist */
#define O_EXCL      0200  /* with O_CREAT: fail with -EEXIST if it does */
#define O_TRUNC     01000 /* cut an existing file to length 0 */
#define O_APPEND    02000 /* every write goes to the end */
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000  /* fail with -ENOTDIR unless it is a directory */
#define O_NOFOLLOW  0400000  /* fail with -ELOOP if the last component is a symlink */
#define O_CLOEXEC   02000000 /* close this descriptor when the process calls execve */

#define AT_FDCWD            (-100) /* *at calls: a relative path starts at the cwd */
#define AT_SYMLINK_NOFOLLOW 0x100  /* newfstatat: do not follow a last symlink */
#define AT_REMOVEDIR        0x200  /* unlinkat: remove a directory (as rmdir) */

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define F_DUPFD         0 /* fcntl: a copy at the lowest free number >= arg */
#define F_GETFD         1
#define F_SETFD         2
#define F_DUPFD_CLOEXEC 1030 /* the same, with FD_CLOEXEC set */
#define FD_CLOEXEC      1

/* st_mode: the type in the top bits, then set-user-ID, set-group-ID, sticky, and
 * the nine permission bits rwx for owner, group, others. */
#define S_IFMT     0170000
#define S_IFSOCK   0140000
#define S_IFLNK    0120000
#define S_IFREG    0100000
#define S_IFBLK    0060000
#define S_IFDIR    0040000
#define S_IFCHR    0020000
#define S_IFIFO    0010000
#define S_ISUID    04000
#define S_ISGID    02000
#define S_ISVTX    01000
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)

/* struct stat as Linux fills it on x86-64 (stat, fstat, lstat, newfstatat). */
struct stat {
    unsigned long st_dev;   /* the device the file lives on */
    unsigned long st_ino;   /* its inode number there */
    unsigned long st_nlink; /* hard links (names) to it */
    unsigned int st_mode;   /* type and permissions (S_IF*, 0777) */
    unsigned int st_uid, st_gid;
    unsigned int pad0;
    unsigned long st_rdev; /* for a device file: which device */
    long st_size;          /* bytes */
    long st_blksize;       /* the best size for I/O */
    long st_blocks;        /* space used, in 512-byte units */
    struct timespec st_atim, st_mtim, st_ctim;
    long unused[3];
};

/* One entry of what getdents64 returns; entries follow each other, each
 * d_reclen bytes long (8-byte aligned), the name zero-terminated. */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;           /* where the next entry starts (for lseek) */
    unsigned short d_reclen; /* the size of this entry */
    unsigned char d_type;    /* DT_* or DT_UNKNOWN */
    char d_name[];
};
#define DT_UNKNOWN 0
#define DT_DIR     4
#define DT_REG     8
#define DT_LNK     10

_Static_assert(sizeof(struct stat) == 144, "struct stat is 144 bytes on x86-64");
_Static_assert(sizeof(struct linux_dirent64) == 19 + 5, "d_name starts at byte 19");

/* ---- one wrapper per system call; each returns the raw result ---- */
long sys_read(int fd, void *buf, size_t count);
long sys_write(int fd, const void *buf, size_t count);
long sys_writev(int fd, const struct iovec *iov, int iovcnt);
long sys_open(const char *path, int flags, int mode);
long sys_openat(int dirfd, const char *path, int flags, int mode);
long sys_close(int fd);
long sys_lseek(int fd, long offset, int whence);
long sys_pread64(int fd, void *buf, size_t count, long offset);
long sys_dup(int fd);
long sys_dup2(int old_fd, int new_fd);
long sys_dup3(int old_fd, int new_fd, int flags);
long sys_fcntl(int fd, int command, long argument);
long sys_pipe2(int fds[2], int flags);             /* fds[0] the read end, fds[1] the write end */
long sys_stat(const char *path, struct stat *st);  /* follows a last symlink */
long sys_lstat(const char *path, struct stat *st); /* the symlink itself */
long sys_fstat(int fd, struct stat *st);
long sys_ftruncate(int fd, long length); /* cut or extend (with zeros) the file to length */
long sys_fsync(int fd);                  /* the file's data and inode on the disk */
long sys_newfstatat(int dirfd, const char *path, struct stat *st, int flags);
long sys_getdents64(int fd, void *buf, size_t size); /* bytes of entries, 0 at the end */
long sys_getcwd(char *buf, size_t size);             /* the length with its zero */
long sys_chdir(const char *path);
long sys_mkdir(const char *path, int mode);
long sys_mkdirat(int dirfd, const char *path, int mode);
long sys_rmdir(const char *path);
long sys_unlink(const char *path);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_rename(const char *old_path, const char *new_path);
long sys_readlink(const char *path, char *buf, size_t size); /* no zero added */
long sys_readlinkat(int dirfd, const char *path, char *buf, size_t size);
long sys_umask(int mask);                                  /* the previous mask */
__attribute__((noreturn)) void sys_exit(int status);       /* this thread */
__attribute__((noreturn)) void sys_exit_group(int status); /* the whole process */
long sys_getpid(void);
long sys_getppid(void);
long sys_setpgid(int pid, int pgid); /* move pid (0: me) into group pgid (0: its own) */
long sys_getpgrp(void);
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
long sys_msync(void *addr, size_t length, int flags); /* MS_SYNC, MS_ASYNC, MS_INVALIDATE */
/* One byte per page of [addr, addr + length) into vec: bit 0 set if the page is resident. */
long sys_mincore(void *addr, size_t length, unsigned char *vec);
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
