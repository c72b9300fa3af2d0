/*
 * syscall.c — entering the kernel: the `syscall` instruction and one wrapper per call.
 *
 * The registers (Linux x86-64 convention, also ours):
 *
 *     rax  the number              rax  the result (-errno on failure)
 *     rdi  argument 1              rcx  destroyed: the CPU keeps the return address here
 *     rsi  argument 2              r11  destroyed: the CPU keeps RFLAGS here
 *     rdx  argument 3
 *     r10  argument 4  (not rcx as in a function call: `syscall` overwrites rcx)
 *     r8   argument 5
 *     r9   argument 6
 *
 * "memory" in the clobbers tells the compiler the kernel may read or write any
 * memory we passed it, so values are stored before and reloaded after the call.
 */
#include "syscall.h"

long syscall0(long number)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number) : "rcx", "r11", "memory");
    return result;
}

long syscall1(long number, long a1)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a1) : "rcx", "r11", "memory");
    return result;
}

long syscall2(long number, long a1, long a2)
{
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2)
                     : "rcx", "r11", "memory");
    return result;
}

long syscall3(long number, long a1, long a2, long a3)
{
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory");
    return result;
}

long syscall4(long number, long a1, long a2, long a3, long a4)
{
    long result;
    register long r10 __asm__("r10") = a4;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
}

long syscall5(long number, long a1, long a2, long a3, long a4, long a5)
{
    long result;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return result;
}

long syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6)
{
    long result;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}

/* ---- the wrappers: one line each, the casts are the whole work ---- */

long sys_read(int fd, void *buf, size_t count)
{
    return syscall3(SYS_read, fd, (long)buf, (long)count);
}

long sys_write(int fd, const void *buf, size_t count)
{
    return syscall3(SYS_write, fd, (long)buf, (long)count);
}

long sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
    return syscall3(SYS_writev, fd, (long)iov, iovcnt);
}

void sys_exit(int status)
{
    syscall1(SYS_exit, status);
    __builtin_unreachable();
}

void sys_exit_group(int status)
{
    syscall1(SYS_exit_group, status);
    __builtin_unreachable();
}

long sys_getpid(void)
{
    return syscall0(SYS_getpid);
}

long sys_getppid(void)
{
    return syscall0(SYS_getppid);
}

long sys_setpgid(int pid, int pgid)
{
    return syscall2(SYS_setpgid, pid, pgid);
}

long sys_getpgrp(void)
{
    return syscall0(SYS_getpgrp);
}

long sys_gettid(void)
{
    return syscall0(SYS_gettid);
}

long sys_execve(const char *path, char *const argv[], char *const envp[])
{
    return syscall3(SYS_execve, (long)path, (long)argv, (long)envp);
}

long sys_wait4(int pid, int *status, int options, struct rusage *usage)
{
    return syscall4(SYS_wait4, pid, (long)status, options, (long)usage);
}

long sys_kill(int pid, int sig)
{
    return syscall2(SYS_kill, pid, sig);
}

long sys_nanosleep(const struct timespec *request, struct timespec *remaining)
{
    return syscall2(SYS_nanosleep, (long)request, (long)remaining);
}

long sys_sched_yield(void)
{
    return syscall0(SYS_sched_yield);
}

long sys_clock_gettime(int clock, struct timespec *now)
{
    return syscall2(SYS_clock_gettime, clock, (long)now);
}

long sys_uname(struct utsname *name)
{
    return syscall1(SYS_uname, (long)name);
}

long sys_getrusage(int who, struct rusage *usage)
{
    return syscall2(SYS_getrusage, who, (long)usage);
}

long sys_arch_prctl(int code, unsigned long address)
{
    return syscall2(SYS_arch_prctl, code, (long)address);
}

long sys_set_tid_address(int *tid_address)
{
    return syscall1(SYS_set_tid_address, (long)tid_address);
}

long sys_ioctl(int fd, unsigned long request, void *argument)
{
    return syscall3(SYS_ioctl, fd, (long)request, (long)argument);
}

long sys_rt_sigprocmask(int how, const sigset_t *set, sigset_t *old_set, size_t set_size)
{
    return syscall4(SYS_rt_sigprocmask, how, (long)set, (long)old_set, (long)set_size);
}

long sys_rt_sigaction(int sig, const struct k_sigaction *action, struct k_sigaction *old_action,
                      size_t set_size)
{
    return syscall4(SYS_rt_sigaction, sig, (long)action, (long)old_action, (long)set_size);
}

long sys_fork(void)
{
    return syscall0(SYS_fork);
}

long sys_mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)
{
    return syscall6(SYS_mmap, (long)addr, (long)length, prot, flags, fd, offset);
}

long sys_munmap(void *addr, size_t length)
{
    return syscall2(SYS_munmap, (long)addr, (long)length);
}

long sys_mprotect(void *addr, size_t length, int prot)
{
    return syscall3(SYS_mprotect, (long)addr, (long)length, prot);
}

long sys_madvise(void *addr, size_t length, int advice)
{
    return syscall3(SYS_madvise, (long)addr, (long)length, advice);
}

long sys_mremap(void *addr, size_t old_size, size_t new_size, int flags, void *new_addr)
{
    return syscall5(SYS_mremap, (long)addr, (long)old_size, (long)new_size, flags, (long)new_addr);
}

long sys_msync(void *addr, size_t length, int flags)
{
    return syscall3(SYS_msync, (long)addr, (long)length, flags);
}

long sys_mincore(void *addr, size_t length, unsigned char *vec)
{
    return syscall3(SYS_mincore, (long)addr, (long)length, (long)vec);
}

long sys_brk(unsigned long new_break)
{
    return syscall1(SYS_brk, (long)new_break);
}

long sys_getrlimit(int resource, struct rlimit *limit)
{
    return syscall2(SYS_getrlimit, resource, (long)limit);
}

long sys_setrlimit(int resource, const struct rlimit *limit)
{
    return syscall2(SYS_setrlimit, resource, (long)limit);
}

/* ---- files and directories ---- */

long sys_open(const char *path, int flags, int mode)
{
    return syscall3(SYS_open, (long)path, flags, mode);
}

long sys_openat(int dirfd, const char *path, int flags, int mode)
{
    return syscall4(SYS_openat, dirfd, (long)path, flags, mode);
}

long sys_close(int fd)
{
    return syscall1(SYS_close, fd);
}

long sys_lseek(int fd, long offset, int whence)
{
    return syscall3(SYS_lseek, fd, offset, whence);
}

long sys_pread64(int fd, void *buf, size_t count, long offset)
{
    return syscall4(SYS_pread64, fd, (long)buf, (long)count, offset);
}

long sys_dup(int fd)
{
    return syscall1(SYS_dup, fd);
}

long sys_dup2(int old_fd, int new_fd)
{
    return syscall2(SYS_dup2, old_fd, new_fd);
}

long sys_dup3(int old_fd, int new_fd, int flags)
{
    return syscall3(SYS_dup3, old_fd, new_fd, flags);
}

long sys_fcntl(int fd, int command, long argument)
{
    return syscall3(SYS_fcntl, fd, command, argument);
}

long sys_pipe2(int fds[2], int flags)
{
    return syscall2(SYS_pipe2, (long)fds, flags);
}

long sys_stat(const char *path, struct stat *st)
{
    return syscall2(SYS_stat, (long)path, (long)st);
}

long sys_lstat(const char *path, struct stat *st)
{
    return syscall2(SYS_lstat, (long)path, (long)st);
}

long sys_fstat(int fd, struct stat *st)
{
    return syscall2(SYS_fstat, fd, (long)st);
}

long sys_ftruncate(int fd, long length)
{
    return syscall2(SYS_ftruncate, fd, length);
}

long sys_fsync(int fd)
{
    return syscall1(SYS_fsync, fd);
}

long sys_newfstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    return syscall4(SYS_newfstatat, dirfd, (long)path, (long)st, flags);
}

long sys_getdents64(int fd, void *buf, size_t size)
{
    return syscall3(SYS_getdents64, fd, (long)buf, (long)size);
}

long sys_getcwd(char *buf, size_t size)
{
    return syscall2(SYS_getcwd, (long)buf, (long)size);
}

long sys_chdir(const char *path)
{
    return syscall1(SYS_chdir, (long)path);
}

long sys_mkdir(const char *path, int mode)
{
    return syscall2(SYS_mkdir, (long)path, mode);
}

long sys_mkdirat(int dirfd, const char *path, int mode)
{
    return syscall3(SYS_mkdirat, dirfd, (long)path, mode);
}

long sys_rmdir(const char *path)
{
    return syscall1(SYS_rmdir, (long)path);
}

long sys_unlink(const char *path)
{
    return syscall1(SYS_unlink, (long)path);
}

long sys_unlinkat(int dirfd, const char *path, int flags)
{
    return syscall3(SYS_unlinkat, dirfd, (long)path, flags);
}

long sys_rename(const char *old_path, const char *new_path)
{
    return syscall2(SYS_rename, (long)old_path, (long)new_path);
}

long sys_readlink(const char *path, char *buf, size_t size)
{
    return syscall3(SYS_readlink, (long)path, (long)buf, (long)size);
}

long sys_umask(int mask)
{
    return syscall1(SYS_umask, mask);
}

long sys_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
    return syscall4(SYS_readlinkat, dirfd, (long)path, (long)buf, (long)size);
}
