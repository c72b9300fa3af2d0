/*
 * signal.h — Linux's signals: numbers, actions, siginfo, the alternate stack,
 * wait-status encoding.
 *
 * Each process keeps a mask of blocked signals, a set of pending ones (with the
 * siginfo of each), and an action per signal (rt_sigaction). A signal is raised by
 * kill or sigqueue, by the kernel (SIGCHLD, SIGPIPE, the console's Ctrl-C) or by the process's
 * own fault (a forced signal). When the process next returns to user mode, each
 * pending, unblocked signal takes its action: ignore, terminate, or run the user's
 * handler on a frame Linux's way (kernel/signal_frame.c), until rt_sigreturn.
 * Job control: SIGSTOP (and SIGTSTP, SIGTTIN, SIGTTOU by default) stop the process
 * where it is about to return to user mode, until SIGCONT or SIGKILL is sent; the
 * parent hears of both (SIGCHLD, wait4 WUNTRACED / WCONTINUED). Real-time signals
 * (32..64) are queued: each one sent is delivered.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#define SIGHUP   1
#define SIGINT   2
#define SIGQUIT  3
#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGBUS   7
#define SIGFPE   8
#define SIGKILL  9
#define SIGUSR1  10
#define SIGSEGV  11
#define SIGUSR2  12
#define SIGPIPE  13
#define SIGALRM  14
#define SIGTERM  15
#define SIGCHLD  17
#define SIGCONT  18
#define SIGSTOP  19
#define SIGTSTP  20
#define SIGTTIN  21
#define SIGTTOU  22
#define SIGURG   23
#define SIGWINCH 28
#define NSIG     64 /* signals 1..64 */

#define SIG_DFL 0ul
#define SIG_IGN 1ul

/* sa_flags (Linux's values) */
#define SA_NOCLDSTOP 0x00000001ul /* no SIGCHLD when a child stops (none stop here) */
#define SA_NOCLDWAIT 0x00000002ul /* children leave no zombie behind */
#define SA_SIGINFO   0x00000004ul /* the handler takes (sig, siginfo_t *, ucontext_t *) */
#define SA_RESTORER  0x04000000ul /* restorer: where the handler returns (rt_sigreturn) */
#define SA_ONSTACK   0x08000000ul /* run on the alternate stack (sigaltstack) */
#define SA_RESTART   0x10000000ul /* an interrupted system call restarts */
#define SA_NODEFER   0x40000000ul /* do not block the signal during its own handler */
#define SA_RESETHAND 0x80000000ul /* back to SIG_DFL once the handler is called */

/* rt_sigaction's struct, as the kernel ABI has it (not libc's struct sigaction). */
struct k_sigaction {
    uint64_t handler; /* SIG_DFL, SIG_IGN or a function address */
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};

static inline uint64_t signal_bit(int sig)
{
    return 1ul << (sig - 1);
}

/* si_code values: why the kernel sent a signal (Linux's numbers). */
#define SI_USER       0    /* kill() */
#define SI_KERNEL     0x80 /* sent by the kernel for no finer reason */
#define SI_TKILL      (-6) /* tkill() or tgkill() */
#define CLD_EXITED    1    /* SIGCHLD: the child called exit */
#define CLD_KILLED    2    /* SIGCHLD: a signal ended the child */
#define CLD_DUMPED    3    /* SIGCHLD: ... and it would have dumped core */
#define CLD_STOPPED   5    /* SIGCHLD: a stop signal stopped the child */
#define CLD_CONTINUED 6    /* SIGCHLD: SIGCONT resumed it */
#define SEGV_MAPERR   1    /* SIGSEGV: no mapping at the address */
#define SEGV_ACCERR   2    /* SIGSEGV: a mapping, but it forbids the access */
#define BUS_ADRALN    1    /* SIGBUS: misaligned access (#AC) */
#define BUS_ADRERR    2    /* SIGBUS: no such page behind a mapping (past a file's end) */
#define ILL_ILLOPN    2    /* SIGILL: illegal operand (#UD) */
#define TRAP_TRACE    2    /* SIGTRAP: a single step (#DB with RFLAGS.TF) */
#define FPE_INTDIV    1    /* SIGFPE: integer divide by zero (#DE) */

/* What the kernel remembers about a pending signal: the fields of siginfo_t it
 * fills (kernel/signal_frame.c lays them out as Linux does). */
struct signal_info {
    int32_t code;   /* si_code: SI_USER, SEGV_MAPERR, CLD_EXITED, ... */
    int32_t pid;    /* si_pid: the sender (kill), or the child (SIGCHLD) */
    int32_t uid;    /* si_uid */
    int32_t status; /* si_status (SIGCHLD): the exit code, or the signal */
    uint64_t addr;  /* si_addr (faults) */
    uint32_t utime; /* si_utime, si_stime (SIGCHLD), in clock ticks */
    uint32_t stime;
    uint64_t value; /* si_value (sigqueue's SI_QUEUE) */
};

/* Real-time signals (SIGRTMIN..64) are queued: each one sent is delivered, in
 * order, with its own siginfo; the standard ones merge while pending. */
#define SIGRTMIN     32
#define RT_QUEUE_MAX 32 /* queued beyond the one pending of each number, per process */
struct queued_signal {
    int32_t sig;
    struct signal_info info;
};

/* The alternate signal stack (sigaltstack's stack_t, Linux's layout). */
struct signal_stack {
    uint64_t sp;
    int32_t flags; /* SS_ONSTACK, SS_DISABLE, SS_AUTODISARM */
    int32_t pad;
    uint64_t size;
};
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ   2048 /* Linux's x86 minimum (sigaltstack: -ENOMEM below it) */

/* A signal the process brought on itself (a fault, an exception, running out of
 * memory): Linux's force_sig. It acts whatever the mask and the disposition say;
 * the kernel prints `reason` in its one line when the process dies of it. */
struct forced_signal {
    int signal;       /* 0: none pending */
    int code;         /* si_code, e.g. SEGV_MAPERR */
    uint64_t address; /* si_addr: the faulting address (page faults), else the rip */
    char reason[200]; /* "page fault at address 0x0, rip 0x401000: address not mapped" */
};

/* Signals that can be neither blocked nor caught nor ignored. */
#define UNBLOCKABLE_SIGNALS (signal_bit(SIGKILL) | signal_bit(SIGSTOP))

/* Wait statuses, as wait4 reports them. */
static inline int wait_status_exited(int code)
{
    return (code & 0xff) << 8;
}

static inline int wait_status_signaled(int sig)
{
    return sig & 0x7f;
}

static inline int wait_status_stopped(int sig)
{
    return (sig & 0xff) << 8 | 0x7f;
}

#define WAIT_STATUS_CONTINUED 0xffff

/* Synchronous signals are taken before others, as Linux does: the fault that just
 * happened is the one whose frame should describe the faulting instruction. */
#define SYNCHRONOUS_SIGNALS                                                                        \
    (signal_bit(SIGSEGV) | signal_bit(SIGBUS) | signal_bit(SIGILL) | signal_bit(SIGTRAP) |         \
     signal_bit(SIGFPE) | signal_bit(31 /* SIGSYS */))

/* True if the default action of sig is to ignore it. */
bool signal_default_ignores(int sig);

/* True if the default action of sig is to stop the process (job control). */
bool signal_default_stops(int sig);

/* "SIGSEGV", or "signal 42". */
const char *signal_name(int sig);

#endif
