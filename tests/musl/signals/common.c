/*
 * common.c — what the parts of the signals test share: printing results, installing
 * handlers, running a part in a process of its own, a page shared across fork.
 */
#include "signals.h"

const char *yes(int condition)
{
    return condition ? "yes" : "no";
}

const char *signal_name(int sig)
{
    static char other[16];
    switch (sig) {
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGCHLD: return "SIGCHLD";
    default: snprintf(other, sizeof other, "signal %d", sig); return other;
    }
}

/* si_code by its name in <signal.h>, for the signal it came with. */
const char *code_name(int sig, int code)
{
    static char other[16];
    switch (code) {
    case SI_USER: return "SI_USER";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    }
    if (sig == SIGSEGV && code == SEGV_MAPERR)
        return "SEGV_MAPERR";
    if (sig == SIGSEGV && code == SEGV_ACCERR)
        return "SEGV_ACCERR";
    if (sig == SIGBUS && code == BUS_ADRERR)
        return "BUS_ADRERR";
    if (sig == SIGBUS && code == BUS_ADRALN)
        return "BUS_ADRALN";
    if (sig == SIGFPE && code == FPE_INTDIV)
        return "FPE_INTDIV";
    if (sig == SIGILL && code == ILL_ILLOPN)
        return "ILL_ILLOPN";
    if (sig == SIGTRAP && code == TRAP_BRKPT)
        return "TRAP_BRKPT";
    if (sig == SIGCHLD && code == CLD_EXITED)
        return "CLD_EXITED";
    if (sig == SIGCHLD && code == CLD_KILLED)
        return "CLD_KILLED";
    if (sig == SIGCHLD && code == CLD_DUMPED)
        return "CLD_DUMPED";
    snprintf(other, sizeof other, "code %d", code);
    return other;
}

const char *errno_name(int e)
{
    static char other[16];
    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EPIPE: return "EPIPE";
    case EAGAIN: return "EAGAIN";
    case ENOSYS: return "ENOSYS";
    case ECHILD: return "ECHILD";
    default: snprintf(other, sizeof other, "errno %d", e); return other;
    }
}

/* "what: 0" or "what: -1 EINVAL" (a libc call's result, errno read right after). */
void show(const char *what, long result)
{
    if (result < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %ld\n", what, result);
}

/* sigaction(sig) with an SA_SIGINFO handler and FLAGS; the mask during it is empty. */
void catch_with(int sig, void (*action)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = action;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0)
        printf("sigaction(%s) failed: %s\n", signal_name(sig), errno_name(errno));
}

/* sigaction(sig) with a plain handler (or SIG_DFL/SIG_IGN) and FLAGS. */
void catch_plain(int sig, void (*handler)(int), int flags)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0)
        printf("sigaction(%s) failed: %s\n", signal_name(sig), errno_name(errno));
}

/* "what: exit N" or "what: killed by SIGX" from a wait status. */
void show_wait(const char *what, int status)
{
    if (WIFSIGNALED(status))
        printf("%s: killed by %s\n", what, signal_name(WTERMSIG(status)));
    else if (WIFEXITED(status))
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
    else
        printf("%s: wait status 0x%x\n", what, status);
}

/* Run one part in a child process, so that a part which dies (a handler never run,
 * a fault that kills) costs only its own remaining lines; its end is a line too.
 * A watchdog kills a part still running after PART_SECONDS (a sleep that no signal
 * ends), so the run always finishes. */
#define PART_SECONDS 20

void in_own_process(const char *name, void (*part)(void))
{
    printf("== %s\n", name);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        part();
        fflush(stdout);
        _exit(0);
    }
    pid_t watchdog = fork();
    if (watchdog == 0) {
        sleep_ms(PART_SECONDS * 1000);
        kill(pid, SIGKILL);
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        printf("fork or wait failed\n");
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        show_wait("(this part ended early)", status);
    kill(watchdog, SIGKILL);
    waitpid(watchdog, &status, 0);
}

/* A zeroed page shared with the children forked after (MAP_SHARED | MAP_ANONYMOUS). */
volatile int *shared_page(void)
{
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("shared page: mmap failed\n");
        exit(1);
    }
    return p;
}

void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* rt_sigaction itself, so bad sizes and pointers reach the kernel unchanged. */
long raw_rt_sigaction(long sig, const void *act, void *old, long setsize)
{
    return syscall(SYS_rt_sigaction, sig, act, old, setsize);
}
