/*
 * syscall.h — the system-call interface: Linux's x86-64 ABI.
 *
 * A program puts the call number in RAX and up to six arguments in RDI, RSI, RDX,
 * R10, R8, R9, and executes `syscall`; the result comes back in RAX, a negative
 * errno (-EFAULT, -EINVAL, ...) on failure. The numbers are Linux's, so a static
 * binary built for Linux runs here unchanged. Numbers we do not implement return
 * -ENOSYS (and are logged once each).
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "trap.h"

struct syscall_args {
    uint64_t arg[6]; /* RDI, RSI, RDX, R10, R8, R9 */
};

typedef long (*syscall_fn)(struct syscall_args args);

/* Set the MSRs that route `syscall` to syscall_entry. */
void syscall_init(void);

/* Called from syscall_entry.asm with the user registers. */
void syscall_dispatch(struct trap_frame *frame);

/* Work due before any return to user mode: pending signals, preemption. */
void return_to_user_work(struct trap_frame *frame);

/* A point in a long system call (a big console write) where the rest of the
 * system gets a turn: pending interrupts are taken, another process may run, and
 * a fatal signal sent meanwhile is noticed. False if the call should stop there
 * (a fatal signal is pending: the process dies on its way out). */
bool syscall_preempt_point(void);

/* The handlers, by area (kernel/sys_*.c, kernel/fs/sys_*.c). */
long sys_brk(struct syscall_args a);
long sys_mmap(struct syscall_args a);
long sys_munmap(struct syscall_args a);
long sys_mprotect(struct syscall_args a);
long sys_madvise(struct syscall_args a);
long sys_mlock(struct syscall_args a);
long sys_mlock2(struct syscall_args a);
long sys_munlock(struct syscall_args a);
long sys_mlockall(struct syscall_args a);
long sys_munlockall(struct syscall_args a);
long sys_mremap(struct syscall_args a);
long sys_msync(struct syscall_args a);
long sys_mincore(struct syscall_args a);
long sys_vmlab_vmstat(struct syscall_args a);         /* vmlab's own: 500 */
long sys_vmlab_framemap(struct syscall_args a);       /* vmlab's own: 501 */
long sys_vmlab_resident_limit(struct syscall_args a); /* vmlab's own: 502 */
long sys_vmlab_resident_stat(struct syscall_args a);  /* vmlab's own: 503 */
long sys_read(struct syscall_args a);                 /* kernel/fs/sys_rw.c */
long sys_write(struct syscall_args a);
long sys_readv(struct syscall_args a);
long sys_writev(struct syscall_args a);
long sys_pread64(struct syscall_args a);
long sys_pwrite64(struct syscall_args a);
long sys_lseek(struct syscall_args a);
long sys_open(struct syscall_args a); /* kernel/fs/sys_path.c */
long sys_openat(struct syscall_args a);
long sys_stat(struct syscall_args a);
long sys_lstat(struct syscall_args a);
long sys_newfstatat(struct syscall_args a);
long sys_statx(struct syscall_args a);
long sys_getdents64(struct syscall_args a);
long sys_chdir(struct syscall_args a);
long sys_fchdir(struct syscall_args a);
long sys_getcwd(struct syscall_args a);
long sys_readlink(struct syscall_args a);
long sys_readlinkat(struct syscall_args a);
long sys_access(struct syscall_args a);
long sys_faccessat(struct syscall_args a);
long sys_faccessat2(struct syscall_args a);
long sys_mkdir(struct syscall_args a); /* kernel/fs/sys_names.c */
long sys_mkdirat(struct syscall_args a);
long sys_unlink(struct syscall_args a);
long sys_unlinkat(struct syscall_args a);
long sys_rmdir(struct syscall_args a);
long sys_link(struct syscall_args a);
long sys_linkat(struct syscall_args a);
long sys_symlink(struct syscall_args a);
long sys_symlinkat(struct syscall_args a);
long sys_rename(struct syscall_args a);
long sys_renameat(struct syscall_args a);
long sys_renameat2(struct syscall_args a);
long sys_creat(struct syscall_args a);
long sys_statfs(struct syscall_args a); /* kernel/fs/sys_statfs.c */
long sys_fstatfs(struct syscall_args a);
long sys_chmod(struct syscall_args a); /* kernel/fs/sys_attr.c */
long sys_fchmod(struct syscall_args a);
long sys_fchmodat(struct syscall_args a);
long sys_chown(struct syscall_args a);
long sys_fchown(struct syscall_args a);
long sys_lchown(struct syscall_args a);
long sys_fchownat(struct syscall_args a);
long sys_utimensat(struct syscall_args a);
long sys_truncate(struct syscall_args a); /* kernel/fs/sys_sync.c */
long sys_ftruncate(struct syscall_args a);
long sys_fsync(struct syscall_args a);
long sys_fdatasync(struct syscall_args a);
long sys_sync(struct syscall_args a);
long sys_syncfs(struct syscall_args a);
long sys_swapon(struct syscall_args a); /* kernel/swap/swapon.c */
long sys_swapoff(struct syscall_args a);
long sys_umask(struct syscall_args a); /* kernel/fs/umask.c */
long sys_close(struct syscall_args a); /* kernel/fs/sys_fd.c */
long sys_close_range(struct syscall_args a);
long sys_dup(struct syscall_args a);
long sys_dup2(struct syscall_args a);
long sys_dup3(struct syscall_args a);
long sys_fcntl(struct syscall_args a);
long sys_pipe(struct syscall_args a);
long sys_pipe2(struct syscall_args a);
long sys_fstat(struct syscall_args a);
long sys_ioctl(struct syscall_args a);
long sys_exit(struct syscall_args a);
long sys_exit_group(struct syscall_args a);
long sys_getpid(struct syscall_args a);
long sys_getppid(struct syscall_args a);
long sys_gettid(struct syscall_args a);
long sys_wait4(struct syscall_args a);
long sys_vfork(struct syscall_args a);
long sys_fork(struct syscall_args a);
long sys_execve(struct syscall_args a);
long sys_kill(struct syscall_args a);
long sys_set_tid_address(struct syscall_args a);
long sys_nanosleep(struct syscall_args a);
long sys_sched_yield(struct syscall_args a);
long sys_clock_gettime(struct syscall_args a);
long sys_clock_getres(struct syscall_args a);
long sys_sendfile(struct syscall_args a);
long sys_gettimeofday(struct syscall_args a);
long sys_time(struct syscall_args a);
long sys_getrusage(struct syscall_args a);
long sys_uname(struct syscall_args a);
long sys_reboot(struct syscall_args a); /* kernel/sys_reboot.c */
long sys_arch_prctl(struct syscall_args a);
long sys_rt_sigaction(struct syscall_args a);
long sys_rt_sigprocmask(struct syscall_args a);
long sys_rt_sigreturn(struct syscall_args a);
long sys_rt_sigpending(struct syscall_args a);
long sys_rt_sigtimedwait(struct syscall_args a);
long sys_rt_sigsuspend(struct syscall_args a);
long sys_sigaltstack(struct syscall_args a);
long sys_pause(struct syscall_args a);
long sys_tkill(struct syscall_args a);
long sys_tgkill(struct syscall_args a);
long sys_rt_sigqueueinfo(struct syscall_args a);
long sys_rt_tgsigqueueinfo(struct syscall_args a);
/* processes: identity, groups, limits (kernel/pgrp.c, sys_ident.c, rlimit.c, sys_clone.c) */
long sys_clone(struct syscall_args a);
long sys_getrlimit(struct syscall_args a);
long sys_getuid(struct syscall_args a);
long sys_getgid(struct syscall_args a);
long sys_setuid(struct syscall_args a);
long sys_setgid(struct syscall_args a);
long sys_setpgid(struct syscall_args a);
long sys_getpgrp(struct syscall_args a);
long sys_setsid(struct syscall_args a);
long sys_setreuid(struct syscall_args a);
long sys_setregid(struct syscall_args a);
long sys_getgroups(struct syscall_args a);
long sys_setgroups(struct syscall_args a);
long sys_setresuid(struct syscall_args a);
long sys_getresuid(struct syscall_args a);
long sys_setresgid(struct syscall_args a);
long sys_getresgid(struct syscall_args a);
long sys_getpgid(struct syscall_args a);
long sys_setfsuid(struct syscall_args a);
long sys_getsid(struct syscall_args a);
long sys_prctl(struct syscall_args a);
long sys_setrlimit(struct syscall_args a);
long sys_waitid(struct syscall_args a);
long sys_set_robust_list(struct syscall_args a);
long sys_get_robust_list(struct syscall_args a);
long sys_prlimit64(struct syscall_args a);
long sys_rseq(struct syscall_args a);

/* time, timers, waiting on descriptors (issue 14) */
long sys_poll(struct syscall_args a); /* kernel/sys_poll.c */
long sys_ppoll(struct syscall_args a);
long sys_select(struct syscall_args a);
long sys_pselect6(struct syscall_args a);
long sys_alarm(struct syscall_args a); /* kernel/itimer.c */
long sys_getitimer(struct syscall_args a);
long sys_setitimer(struct syscall_args a);
long sys_clock_nanosleep(struct syscall_args a); /* kernel/sys_time.c */
long sys_times(struct syscall_args a);
long sys_sysinfo(struct syscall_args a);   /* kernel/sys_sysinfo.c */
long sys_getrandom(struct syscall_args a); /* kernel/random.c */

#endif
