/*
 * signal.h — Linux's signals: numbers, default actions, wait-status encoding.
 *
 * What is implemented: each process keeps a mask of blocked signals and a
 * disposition per signal (rt_sigprocmask, rt_sigaction); kill and CPU exceptions
 * raise signals; a pending, unblocked signal takes effect when the process next
 * returns to user mode, with its DEFAULT action (terminate, or ignore). What is
 * NOT implemented yet: running a user handler. A signal whose disposition is a
 * handler stays pending (it is never delivered, and does not terminate).
 * Stop/continue signals are treated as their default action would be for a
 * process without job control: SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU stop nothing and
 * are ignored, SIGCONT is ignored.
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
#define SI_KERNEL   0x80 /* sent by the kernel for no finer reason */
#define SEGV_MAPERR 1    /* SIGSEGV: no mapping at the address */
#define SEGV_ACCERR 2    /* SIGSEGV: a mapping, but it forbids the access */
#define BUS_ADRALN  1    /* SIGBUS: misaligned access (#AC) */
#define BUS_ADRERR  2    /* SIGBUS: no such page behind a mapping (past a file's end) */
#define ILL_ILLOPN  2    /* SIGILL: illegal operand (#UD) */
#define FPE_INTDIV  1    /* SIGFPE: integer divide by zero (#DE) */

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

/* True if the default action of sig is to ignore it. */
bool signal_default_ignores(int sig);

/* "SIGSEGV", or "signal 42". */
const char *signal_name(int sig);

#endif
