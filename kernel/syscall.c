/*
 * syscall.c — routing `syscall` here, and from a number to its handler.
 */
#include "syscall.h"

#include <stddef.h>

#include "clock.h"
#include "cpu.h"
#include "errno.h"
#include "framemap_view.h"
#include "gdt.h"
#include "printk.h"
#include "proc.h"
#include "ratelimit.h"
#include "sched.h"
#include "loadctl.h"
#include "mm/workingset.h"
#include "oom.h"
#include "signal_delivery.h"
#include "x86.h"

#define EFER_SCE (1ul << 0) /* syscall/sysret enabled */

#define RFLAGS_TF (1ul << 8)
#define RFLAGS_DF (1ul << 10)
#define RFLAGS_NT (1ul << 14) /* nested task: IRET in 64-bit mode faults (#GP) if set */

enum {
    NR_read = 0,
    NR_write = 1,
    NR_open = 2,
    NR_close = 3,
    NR_stat = 4,
    NR_fstat = 5,
    NR_lstat = 6,
    NR_lseek = 8,
    NR_mmap = 9,
    NR_mprotect = 10,
    NR_munmap = 11,
    NR_brk = 12,
    NR_rt_sigaction = 13,
    NR_rt_sigprocmask = 14,
    NR_rt_sigreturn = 15,
    NR_ioctl = 16,
    NR_pread64 = 17,
    NR_pwrite64 = 18,
    NR_readv = 19,
    NR_writev = 20,
    NR_access = 21,
    NR_pipe = 22,
    NR_sched_yield = 24,
    NR_mremap = 25,
    NR_msync = 26,
    NR_mincore = 27,
    NR_madvise = 28,
    NR_mlock = 149,
    NR_munlock = 150,
    NR_mlockall = 151,
    NR_munlockall = 152,
    NR_mlock2 = 325,
    NR_dup = 32,
    NR_dup2 = 33,
    NR_pause = 34,
    NR_nanosleep = 35,
    NR_getpid = 39,
    NR_fork = 57,
    NR_vfork = 58,
    NR_execve = 59,
    NR_exit = 60,
    NR_wait4 = 61,
    NR_kill = 62,
    NR_uname = 63,
    NR_fcntl = 72,
    NR_fsync = 74,
    NR_fdatasync = 75,
    NR_truncate = 76,
    NR_ftruncate = 77,
    NR_getcwd = 79,
    NR_chdir = 80,
    NR_fchdir = 81,
    NR_rename = 82,
    NR_mkdir = 83,
    NR_rmdir = 84,
    NR_link = 86,
    NR_unlink = 87,
    NR_symlink = 88,
    NR_creat = 85,
    NR_readlink = 89,
    NR_chmod = 90,
    NR_fchmod = 91,
    NR_chown = 92,
    NR_fchown = 93,
    NR_lchown = 94,
    NR_umask = 95,
    NR_getrusage = 98,
    NR_getppid = 110,
    NR_statfs = 137,
    NR_fstatfs = 138,
    NR_rt_sigpending = 127,
    NR_rt_sigtimedwait = 128,
    NR_rt_sigqueueinfo = 129,
    NR_rt_sigsuspend = 130,
    NR_sigaltstack = 131,
    NR_arch_prctl = 158,
    NR_sync = 162,
    NR_swapon = 167, /* kernel/swap/swapon.c */
    NR_swapoff = 168,
    NR_reboot = 169,
    NR_gettid = 186,
    NR_tkill = 200,
    NR_getdents64 = 217,
    NR_set_tid_address = 218,
    NR_clock_gettime = 228,
    NR_clock_getres = 229,
    NR_sendfile = 40,
    NR_gettimeofday = 96,
    NR_time = 201,
    NR_exit_group = 231,
    NR_tgkill = 234,
    NR_rt_tgsigqueueinfo = 297,
    NR_openat = 257,
    NR_mkdirat = 258,
    NR_fchownat = 260,
    NR_newfstatat = 262,
    NR_unlinkat = 263,
    NR_renameat = 264,
    NR_linkat = 265,
    NR_symlinkat = 266,
    NR_readlinkat = 267,
    NR_fchmodat = 268,
    NR_faccessat = 269,
    NR_utimensat = 280,
    NR_dup3 = 292,
    NR_pipe2 = 293,
    NR_renameat2 = 316,
    NR_syncfs = 306,
    NR_statx = 332,
    NR_close_range = 436,
    NR_faccessat2 = 439,
    /* processes: identity, groups, limits (kernel/pgrp.c, sys_ident.c, rlimit.c, sys_clone.c) */
    NR_clone = 56,
    NR_getrlimit = 97,
    NR_getuid = 102,
    NR_getgid = 104,
    NR_setuid = 105,
    NR_setgid = 106,
    NR_geteuid = 107,
    NR_getegid = 108,
    NR_setpgid = 109,
    NR_getpgrp = 111,
    NR_setsid = 112,
    NR_setreuid = 113,
    NR_setregid = 114,
    NR_getgroups = 115,
    NR_setgroups = 116,
    NR_setresuid = 117,
    NR_getresuid = 118,
    NR_setresgid = 119,
    NR_getresgid = 120,
    NR_getpgid = 121,
    NR_setfsuid = 122,
    NR_setfsgid = 123,
    NR_getsid = 124,
    NR_prctl = 157,
    NR_setrlimit = 160,
    NR_waitid = 247,
    NR_set_robust_list = 273,
    NR_get_robust_list = 274,
    NR_prlimit64 = 302,
    NR_rseq = 334,
    NR_poll = 7,
    NR_select = 23,
    NR_alarm = 37,
    NR_getitimer = 36,
    NR_setitimer = 38,
    NR_sysinfo = 99,
    NR_times = 100,
    NR_clock_nanosleep = 230,
    NR_pselect6 = 270,
    NR_ppoll = 271,
    NR_getrandom = 318,
    NR_vmlab_vmstat = 500, /* vmlab's own, beyond Linux's numbers */
    NR_vmlab_framemap = 501,
    NR_vmlab_resident_limit = 502,
    NR_vmlab_resident_stat = 503,
    NUM_SYSCALLS = 512,
};

static const syscall_fn table[NUM_SYSCALLS] = {
    [NR_read] = sys_read,
    [NR_write] = sys_write,
    [NR_open] = sys_open,
    [NR_close] = sys_close,
    [NR_fstat] = sys_fstat,
    [NR_lseek] = sys_lseek,
    [NR_brk] = sys_brk,
    [NR_mmap] = sys_mmap,
    [NR_mprotect] = sys_mprotect,
    [NR_munmap] = sys_munmap,
    [NR_madvise] = sys_madvise,
    [NR_mlock] = sys_mlock,
    [NR_munlock] = sys_munlock,
    [NR_mlockall] = sys_mlockall,
    [NR_munlockall] = sys_munlockall,
    [NR_mlock2] = sys_mlock2,
    [NR_mremap] = sys_mremap,
    [NR_msync] = sys_msync,
    [NR_mincore] = sys_mincore,
    [NR_rt_sigaction] = sys_rt_sigaction,
    [NR_rt_sigprocmask] = sys_rt_sigprocmask,
    [NR_rt_sigreturn] = sys_rt_sigreturn,
    [NR_rt_sigpending] = sys_rt_sigpending,
    [NR_rt_sigtimedwait] = sys_rt_sigtimedwait,
    [NR_rt_sigqueueinfo] = sys_rt_sigqueueinfo,
    [NR_rt_tgsigqueueinfo] = sys_rt_tgsigqueueinfo,
    [NR_rt_sigsuspend] = sys_rt_sigsuspend,
    [NR_sigaltstack] = sys_sigaltstack,
    [NR_pause] = sys_pause,
    [NR_tkill] = sys_tkill,
    [NR_tgkill] = sys_tgkill,
    [NR_ioctl] = sys_ioctl,
    [NR_pread64] = sys_pread64,
    [NR_pwrite64] = sys_pwrite64,
    [NR_readv] = sys_readv,
    [NR_writev] = sys_writev,
    [NR_pipe] = sys_pipe,
    [NR_dup] = sys_dup,
    [NR_dup2] = sys_dup2,
    [NR_fcntl] = sys_fcntl,
    [NR_sched_yield] = sys_sched_yield,
    [NR_nanosleep] = sys_nanosleep,
    [NR_getpid] = sys_getpid,
    [NR_fork] = sys_fork,
    [NR_vfork] = sys_vfork,
    [NR_execve] = sys_execve,
    [NR_exit] = sys_exit,
    [NR_wait4] = sys_wait4,
    [NR_kill] = sys_kill,
    [NR_uname] = sys_uname,
    [NR_getrusage] = sys_getrusage,
    [NR_getppid] = sys_getppid,
    [NR_arch_prctl] = sys_arch_prctl,
    [NR_gettid] = sys_gettid,
    [NR_set_tid_address] = sys_set_tid_address,
    [NR_clock_gettime] = sys_clock_gettime,
    [NR_clock_getres] = sys_clock_getres,
    [NR_sendfile] = sys_sendfile,
    [NR_gettimeofday] = sys_gettimeofday,
    [NR_time] = sys_time,
    [NR_exit_group] = sys_exit_group,
    [NR_openat] = sys_openat,
    [NR_dup3] = sys_dup3,
    [NR_pipe2] = sys_pipe2,
    [NR_close_range] = sys_close_range,
    [NR_stat] = sys_stat,
    [NR_lstat] = sys_lstat,
    [NR_newfstatat] = sys_newfstatat,
    [NR_statx] = sys_statx,
    [NR_getdents64] = sys_getdents64,
    [NR_getcwd] = sys_getcwd,
    [NR_readlink] = sys_readlink,
    [NR_readlinkat] = sys_readlinkat,
    [NR_access] = sys_access,
    [NR_faccessat] = sys_faccessat,
    [NR_faccessat2] = sys_faccessat2,
    [NR_chdir] = sys_chdir,
    [NR_creat] = sys_creat,
    [NR_truncate] = sys_truncate,
    [NR_ftruncate] = sys_ftruncate,
    [NR_fsync] = sys_fsync,
    [NR_fdatasync] = sys_fdatasync,
    [NR_sync] = sys_sync,
    [NR_reboot] = sys_reboot,
    [NR_swapon] = sys_swapon,
    [NR_swapoff] = sys_swapoff,
    [NR_syncfs] = sys_syncfs,
    [NR_umask] = sys_umask,
    [NR_fchdir] = sys_fchdir,
    [NR_vmlab_vmstat] = sys_vmlab_vmstat,
    [NR_vmlab_framemap] = sys_vmlab_framemap,
    [NR_vmlab_resident_limit] = sys_vmlab_resident_limit,
    [NR_vmlab_resident_stat] = sys_vmlab_resident_stat,
    [NR_rename] = sys_rename,
    [NR_mkdir] = sys_mkdir,
    [NR_rmdir] = sys_rmdir,
    [NR_link] = sys_link,
    [NR_unlink] = sys_unlink,
    [NR_symlink] = sys_symlink,
    [NR_mkdirat] = sys_mkdirat,
    [NR_unlinkat] = sys_unlinkat,
    [NR_renameat] = sys_renameat,
    [NR_linkat] = sys_linkat,
    [NR_symlinkat] = sys_symlinkat,
    [NR_renameat2] = sys_renameat2,
    [NR_poll] = sys_poll, /* kernel/sys_poll.c */
    [NR_ppoll] = sys_ppoll,
    [NR_select] = sys_select,
    [NR_pselect6] = sys_pselect6,
    [NR_alarm] = sys_alarm, /* kernel/itimer.c */
    [NR_getitimer] = sys_getitimer,
    [NR_setitimer] = sys_setitimer,
    [NR_clock_nanosleep] = sys_clock_nanosleep, /* kernel/sys_time.c */
    [NR_times] = sys_times,
    [NR_sysinfo] = sys_sysinfo,     /* kernel/sys_sysinfo.c */
    [NR_getrandom] = sys_getrandom, /* kernel/random.c */
    [NR_chmod] = sys_chmod,
    [NR_fchmod] = sys_fchmod,
    [NR_fchmodat] = sys_fchmodat,
    [NR_chown] = sys_chown,
    [NR_fchown] = sys_fchown,
    [NR_lchown] = sys_lchown,
    [NR_fchownat] = sys_fchownat,
    [NR_utimensat] = sys_utimensat,
    [NR_statfs] = sys_statfs,
    [NR_fstatfs] = sys_fstatfs,
    [NR_clone] = sys_clone,
    [NR_getrlimit] = sys_getrlimit,
    [NR_getuid] = sys_getuid,
    [NR_getgid] = sys_getgid,
    [NR_setuid] = sys_setuid,
    [NR_setgid] = sys_setgid,
    [NR_geteuid] = sys_getuid,
    [NR_getegid] = sys_getgid,
    [NR_setpgid] = sys_setpgid,
    [NR_getpgrp] = sys_getpgrp,
    [NR_setsid] = sys_setsid,
    [NR_setreuid] = sys_setreuid,
    [NR_setregid] = sys_setregid,
    [NR_getgroups] = sys_getgroups,
    [NR_setgroups] = sys_setgroups,
    [NR_setresuid] = sys_setresuid,
    [NR_getresuid] = sys_getresuid,
    [NR_setresgid] = sys_setresgid,
    [NR_getresgid] = sys_getresgid,
    [NR_getpgid] = sys_getpgid,
    [NR_setfsuid] = sys_setfsuid,
    [NR_setfsgid] = sys_setfsuid,
    [NR_getsid] = sys_getsid,
    [NR_prctl] = sys_prctl,
    [NR_setrlimit] = sys_setrlimit,
    [NR_waitid] = sys_waitid,
    [NR_set_robust_list] = sys_set_robust_list,
    [NR_get_robust_list] = sys_get_robust_list,
    [NR_prlimit64] = sys_prlimit64,
    [NR_rseq] = sys_rseq,
};

static uint64_t reported_unknown[NUM_SYSCALLS / 64];

extern char syscall_entry[];

void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* STAR[47:32]: kernel CS (SS = CS + 8). STAR[63:48]: base for sysret, whose
     * CS = base + 16 and SS = base + 8: hence the GDT order user data, user code. */
    wrmsr(MSR_STAR,
          ((uint64_t)KERNEL_CODE_SELECTOR << 32) | ((uint64_t)USER_CODE32_SELECTOR << 48));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* The flags cleared on entry. A program may set NT itself (popf); the kernel
     * returns with iretq, which faults in the kernel if NT is set then, so NT is
     * cleared as Linux clears it. (An interrupt or exception clears NT itself.) */
    wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC);
}

/* One line per unknown system call number, the first time it is called (a program
 * probing for a call it can do without asks again and again); numbers beyond the
 * table every time. A program can make thousands a second, so the lines are
 * rate-limited too: a burst, then a count of those left out. */
static void report_unknown(int nr)
{
    static struct ratelimit limit = { .interval_ticks = RATELIMIT_DEFAULT_TICKS,
                                      .burst = RATELIMIT_DEFAULT_BURST };
    uint64_t word = (unsigned)nr / 64, bit = 1ul << ((unsigned)nr % 64);
    if (nr >= 0 && nr < NUM_SYSCALLS) {
        if (reported_unknown[word] & bit)
            return;
        reported_unknown[word] |= bit;
    }
    if (!ratelimit_allow(&limit, "syscall"))
        return;
    struct proc *p = current_proc();
    kprintf("syscall: pid %d (%s) called unknown system call %d: -ENOSYS\n", p->pid, p->name, nr);
}

void return_to_user_work(struct trap_frame *frame)
{
    framemap_view_work(); /* the memory view, if shown: redraw when due */
    cli();
    struct proc *p = current_proc();
    workingset_sample_if_due(p->as); /* a window of tau of its time has passed */
    do { /* a signal sent while another process had its turn acts before user mode */
        signal_act_on_pending(frame);
        loadctl_hold_point(); /* load control suspended it: it waits here */
        sched_preempt_point();
    } while (signal_pending(p));
    p->user_entered_ns = clock_monotonic_ns(); /* its user time starts (proc_leave_user) */
}

bool syscall_preempt_point(void)
{
    interrupt_window();
    sched_preempt_point();
    return !proc_fatal_signal_pending(current_proc());
}

void syscall_dispatch(struct trap_frame *frame)
{
    struct proc *p = current_proc();
    proc_leave_user(p);
    p->frame = frame;
    /* As on Linux, the number is RAX's low 32 bits (signed): the high half is ignored */
    int nr = (int)frame->rax;
    struct syscall_args args = { { frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8,
                                   frame->r9 } };
    long result;
    p->syscall_nr = nr; /* to run it again if a signal interrupts it (signal_delivery.c) */
    if (nr >= 0 && nr < NUM_SYSCALLS && table[nr] != NULL) {
        /* When the call fails with -ENOMEM because an allocation in it found no
         * frame, free memory (oom_after_syscall: reclaim, then the OOM killer) and
         * run it again, as Linux's allocator retries inside the allocation: a
         * program sees ENOMEM for a request too large, not for a passing shortage.
         * A call undoes its own work before it returns an error, so running it
         * again is safe. (The loop is here, not in a function of its own, so that
         * a backtrace shows the call right under syscall_dispatch.) */
        for (unsigned round = 0;; round++) {
            p->shortage_frames = 0;
            result = table[nr](args);
            if (result != -ENOMEM || p->shortage_frames == 0 || !oom_after_syscall(p, nr, round))
                break;
        }
        p->oom_origin = false; /* swapoff's mark lasts as long as the call */
    } else {
        report_unknown(nr);
        result = -ENOSYS;
    }
    frame->rax = (uint64_t)result;
    return_to_user_work(frame);
}
