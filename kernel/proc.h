/*
 * proc.h — processes: a program running in its own address space.
 *
 * Each process has a kernel stack (with a guard page), an address space, and,
 * while it is in the kernel, the user registers saved at the top of that stack
 * (`frame`). A process is in exactly one state:
 *
 *   RUNNABLE -> RUNNING -> (exit) ZOMBIE -> (parent's wait4) gone
 *                  |  ^
 *         (sleep)  v  | (wakeup)
 *               SLEEPING
 *
 * pid 0 is the idle process (kmain's own thread); pid 1 is the first program.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/as.h"
#include "itimer.h"
#include "loadctl.h"
#include "mm/fault.h"
#include "rlimit.h"
#include "signal.h"
#include "trap.h"

struct fdtable;

#define MAX_PROCS     128
#define PROC_NAME_MAX 32

enum proc_state {
    PROC_RUNNABLE,
    PROC_RUNNING,
    PROC_SLEEPING,
    PROC_ZOMBIE,
};

struct proc_times {
    uint64_t user_ticks;   /* timer ticks that found it in user mode */
    uint64_t system_ticks; /* ... in the kernel */
};

/* What getrusage and wait4 report (kernel/rusage.h fills struct rusage from it). */
struct usage {
    struct proc_times times;
    uint64_t minor_faults;
    uint64_t major_faults; /* faults that read from the disk */
    uint64_t max_rss_pages;
};

struct proc {
    int pid;
    enum proc_state state;
    char name[PROC_NAME_MAX]; /* the program's file name, for messages */
    struct proc *parent;
    struct addr_space *as; /* NULL for the idle process */
    struct fdtable *files; /* its file descriptors (kernel/fs/fdtable.h); NULL for idle */
    struct inode *cwd;     /* its working directory (kernel/fs/vfs.h); NULL: the root */
    uint32_t umask;        /* permission bits new files do not get (kernel/fs/umask.h) */

    vaddr_t kstack_top;
    uint64_t saved_rsp;       /* kernel RSP while switched out (context_switch) */
    struct trap_frame *frame; /* user registers: the top of the kernel stack */
    uint8_t fpu_state[512] __attribute__((aligned(16))); /* fxsave image */
    uint64_t fs_base;         /* the user's FS base (arch_prctl), for TLS */
    uint64_t gs_base;         /* the user's GS base (arch_prctl) */
    uint64_t clear_child_tid; /* set_tid_address */

    const void *wait_channel; /* what a SLEEPING process waits for */
    uint64_t wake_tick;       /* a timed sleep ends at this tick (0: none) */
    struct proc *vfork_child; /* the vfork child this parent waits for */
    uint64_t oom_kill_tick;   /* when the out-of-memory killer chose it (0: never) */
    bool oom_skip;            /* chosen, but did not die in time: never chosen again */
    bool oom_origin;          /* its system call asks for memory on others' behalf
                                 (swapoff): the killer's first choice until the call
                                 ends, as Linux's set_current_oom_origin */
    uint64_t shortage_frames; /* the frames wanted by the last request of its system
                                 call that found none free (0: none): the one its
                                 -ENOMEM comes from (oom_after_syscall) */

    int exit_status;          /* the wait status, once ZOMBIE */
    uint64_t pending_signals; /* bit (sig - 1) set: raised, not yet acted on */
    uint64_t blocked_signals;
    struct k_sigaction actions[NSIG];
    struct signal_info pending_info[NSIG]; /* the siginfo of each pending signal */
    struct forced_signal forced;           /* a fault it caused, acted on first */
    struct signal_stack altstack;          /* sigaltstack's stack (size 0: none) */
    uint64_t saved_mask;                   /* the mask to restore after rt_sigsuspend... */
    bool restore_mask;                     /* ... once a handler's frame has saved it */
    uint64_t waited_signals;               /* rt_sigtimedwait's set while it sleeps */
    long syscall_nr; /* the system call in progress (-1: none), to restart it */
    struct queued_signal rt_queue[RT_QUEUE_MAX]; /* real-time signals sent again while
                                                    pending, oldest first (signal.h) */
    int rt_queued;
    bool detached;            /* a zombie nobody will wait for (proc_reap_detached) */
    bool kthread;             /* a kernel thread (kernel/kthread.h): no user mode, no signals */
    const void *idle_channel; /* a kernel thread sleeps on it when it has nothing to do */
    bool stopped;             /* job control: stopped by stop_signal until SIGCONT */
    int stop_signal;
    bool stop_unreported;     /* wait4 WUNTRACED has not reported the stop yet */
    bool continue_unreported; /* wait4 WCONTINUED has not reported the SIGCONT yet */

    struct proc_times times;
    struct vm_counters vm;       /* what page faults did for this process */
    uint64_t max_rss;            /* the most frames it ever had mapped (over execs) */
    struct usage children_usage; /* of reaped children: times and faults summed, max rss */

    /* Identity and limits (kernel/pgrp.h, kernel/clone.h, kernel/rlimit.h) */
    int pgid;                             /* its process group */
    int sid;                              /* its session */
    bool did_exec;                        /* has run execve since it was forked (setpgid) */
    uint64_t set_child_tid;               /* CLONE_CHILD_SETTID: its tid goes here first */
    uint64_t robust_list;                 /* set_robust_list: kept for get_robust_list */
    uint64_t robust_list_length;          /* and its length */
    struct rlimit64 limits[RLIMIT_COUNT]; /* getrlimit/setrlimit */
    uint32_t supplementary_groups;        /* setgroups: how many (all root's, gid 0) */
    uint64_t wake_ns; /* a precise timed sleep ends then (monotonic ns; 0: none), sched.h */
    struct itimer itimers[ITIMER_COUNT]; /* alarm, setitimer (itimer.h); fork clears them */

    struct loadctl_state loadctl; /* load control: suspended or not (kernel/loadctl.h) */

    uint64_t user_entered_ns; /* the clock when it last went to user mode (0: not known) */
    uint64_t user_left_ns;    /* the clock when it last left user mode (load control) */

    /* procfs (kernel/fs/procfs/): */
    uint64_t start_tick; /* timer_ticks() when it was made (/proc/PID/stat's starttime) */
};

/* p enters the kernel from user mode: the time it ran its program since it last
 * went to user mode is its virtual time, for its working set (mm/workingset.h).
 * (Exact, from the clock, where the timer's ticks would charge to user mode the
 * ticks that came while the kernel had interrupts off.) */
void proc_leave_user(struct proc *p);

/* A new process record with a kernel stack and the next pid, RUNNABLE only once
 * the caller sets it so; NULL if out of memory or process slots. */
struct proc *proc_alloc(const char *name);

/* Free a zombie's kernel stack and record (wait4, after reading its status). */
void proc_reap(struct proc *p);

/* Free the zombies no parent will wait for (their parent ignores SIGCHLD). */
void proc_reap_detached(void);

/* The process with this pid, or NULL. */
struct proc *proc_find(int pid);

/* Visit every process (for wait4, kill, the scheduler). */
struct proc *proc_at(int slot); /* NULL for an empty slot; slot < MAX_PROCS */

/* The idle process (pid 0): the boot thread, from now on. */
void proc_init_idle(void);
struct proc *proc_idle(void);

/* Set copy_name from a path: "/bin/hello" -> "hello". */
void proc_set_name(struct proc *p, const char *path);

/* True if a signal that ends p is pending: SIGKILL, or an unblocked signal whose
 * action is the default one and that default is to terminate. A process sleeping
 * where Linux sleeps "killable" (vfork, the out-of-memory wait) stops waiting. */
bool proc_fatal_signal_pending(const struct proc *p);

/* True if p is a vfork child still borrowing its waiting parent's memory. */
bool proc_in_vfork(const struct proc *p);

/* Let a vfork parent run again: its child now has its own memory, or is gone. */
void proc_release_vfork_parent(struct proc *child);

/* Remember how much memory is free before the first program starts, so that
 * its end can be checked for leaks (proc_finish_run). */
void proc_record_memory_baseline(void);

/* True once pid 1 has exited; the idle process then calls proc_finish_run. */
bool proc_init_exited(void);

/* After pid 1 exited: reap it, check that every frame came back, print how it
 * ended (the line tests/run-elf reads), and power off. */
void proc_finish_run(void) __attribute__((noreturn));

/* Check every frame's reference count against the page tables (mm/check.h);
 * after proc_enable_memory_checks, also after every process is reaped (the
 * kernel option mmcheck, which tests/run-elf sets). */
bool proc_check_memory(void);
void proc_enable_memory_checks(void);

/* Is p's process group orphaned: does no member have a parent in another group
 * of the same session (a shell that could continue it)? */
bool proc_pgrp_orphaned(const struct proc *p);

/* Tell p's parent that p stopped, continued or exited: SIGCHLD with why (code
 * CLD_*, status), and a wakeup for a parent in wait4. */
void proc_notify_parent(struct proc *p, int code, int status);

/* End the current process with a wait status; never returns. */
void proc_exit(int wait_status) __attribute__((noreturn));

#endif
