/*
 * delivery.c — a handler runs for kill, raise and tgkill; what siginfo says about
 * the sender; the rules of sigaction itself; kill's targets 0, -1 and -pgid.
 */
#include "signals.h"

static volatile int deliveries;
static volatile int last_signal;
static siginfo_t last_info;

static void count(int sig)
{
    deliveries++;
    last_signal = sig;
}

static void record(int sig, siginfo_t *info, void *context)
{
    (void)context;
    deliveries++;
    last_signal = sig;
    last_info = *info;
}

/* kill and raise to oneself run the handler before the call returns (the signal is
 * pending and unblocked when the kernel goes back to user mode). */
void handlers_run(void)
{
    catch_plain(SIGUSR1, count, 0);
    deliveries = 0;
    show("kill(self, SIGUSR1)", kill(getpid(), SIGUSR1));
    printf("handler ran before kill returned: %s (%d time)\n", yes(deliveries == 1), deliveries);
    deliveries = 0;
    catch_plain(SIGTERM, count, 0);
    show("raise(SIGTERM)", raise(SIGTERM));
    printf("handler for SIGTERM ran: %s, signal %s\n", yes(deliveries == 1),
           signal_name(last_signal));
    deliveries = 0;
    for (int i = 0; i < 100; i++)
        kill(getpid(), SIGUSR1);
    printf("100 kills, 100 deliveries: %s\n", yes(deliveries == 100));
    catch_plain(SIGUSR1, SIG_IGN, 0);
    deliveries = 0;
    kill(getpid(), SIGUSR1);
    printf("ignored: handler not run: %s\n", yes(deliveries == 0));
    catch_plain(SIGUSR1, count, 0);
    kill(getpid(), SIGUSR1);
    printf("handler installed again runs: %s\n", yes(deliveries == 1));
}

/* si_signo, si_code, si_pid and si_uid for each way of sending. */
void siginfo_fields(void)
{
    catch_with(SIGUSR1, record, 0);
    kill(getpid(), SIGUSR1);
    printf("kill: si_signo %s, si_code %s, si_pid == getpid: %s, si_uid == getuid: %s\n",
           signal_name(last_info.si_signo), code_name(SIGUSR1, last_info.si_code),
           yes(last_info.si_pid == getpid()), yes(last_info.si_uid == getuid()));
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
    printf("tgkill: si_signo %s, si_code %s, si_pid == getpid: %s, si_uid == getuid: %s\n",
           signal_name(last_info.si_signo), code_name(SIGUSR1, last_info.si_code),
           yes(last_info.si_pid == getpid()), yes(last_info.si_uid == getuid()));
    syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1);
    printf("tkill: si_code %s\n", code_name(SIGUSR1, last_info.si_code));
    raise(SIGUSR1);
    printf("raise: si_code %s\n", code_name(SIGUSR1, last_info.si_code));

    /* From a child: si_pid is the child's pid. The parent blocks SIGUSR1 so the
     * signal waits until the child has gone, then takes it. */
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    int status;
    waitpid(child, &status, 0);
    deliveries = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("from a child: delivered on unblock %s, si_code %s, si_pid == the child: %s\n",
           yes(deliveries == 1), code_name(SIGUSR1, last_info.si_code),
           yes(last_info.si_pid == child));

    show("tgkill to another tgid",
         syscall(SYS_tgkill, getpid() + 100000, syscall(SYS_gettid), SIGUSR1));
    show("tgkill signal 0 (a probe)", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0));
    show("tgkill signal 65", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 65));
    show("tkill tid 0", syscall(SYS_tkill, 0, SIGUSR1));
}

static void handler_a(int sig)
{
    (void)sig;
}

/* What sigaction keeps and what it refuses. */
void action_rules(void)
{
    struct sigaction sa = { 0 }, old;
    sa.sa_handler = handler_a;
    sa.sa_flags = SA_RESTART | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGUSR1, &sa, NULL);
    memset(&old, 0, sizeof old);
    show("sigaction(SIGUSR1) query", sigaction(SIGUSR1, NULL, &old));
    printf("old handler is the one installed: %s\n", yes(old.sa_handler == handler_a));
    printf(
        "old flags: SA_RESTART %s, SA_NODEFER %s, SA_SIGINFO %s, SA_ONSTACK %s, SA_RESTORER %s\n",
        yes(old.sa_flags & SA_RESTART), yes(old.sa_flags & SA_NODEFER),
        yes(old.sa_flags & SA_SIGINFO), yes(old.sa_flags & SA_ONSTACK),
        yes(old.sa_flags & SA_RESTORER));
    printf("old mask: SIGUSR2 %s, SIGTERM %s, SIGUSR1 %s\n",
           yes(sigismember(&old.sa_mask, SIGUSR2)), yes(sigismember(&old.sa_mask, SIGTERM)),
           yes(sigismember(&old.sa_mask, SIGUSR1)));
    struct sigaction dfl = { 0 };
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGUSR1, &dfl, &old);
    printf("replacing returns the old one: %s\n", yes(old.sa_handler == handler_a));
    sigaction(SIGUSR1, NULL, &old);
    printf("now SIG_DFL: %s\n", yes(old.sa_handler == SIG_DFL));

    show("sigaction(SIGKILL, handler)", sigaction(SIGKILL, &sa, NULL));
    show("sigaction(SIGSTOP, handler)", sigaction(SIGSTOP, &sa, NULL));
    show("sigaction(SIGKILL, SIG_IGN)",
         sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL));
    show("sigaction(SIGKILL, query)", sigaction(SIGKILL, NULL, &old));
    struct kernel_sigaction k = { handler_a, 0, NULL, 0 };
    show("rt_sigaction signal 0", raw_rt_sigaction(0, &k, NULL, 8));
    show("rt_sigaction signal 65", raw_rt_sigaction(65, &k, NULL, 8));
    show("rt_sigaction sigsetsize 4", raw_rt_sigaction(SIGUSR1, &k, NULL, 4));
    show("rt_sigaction sigsetsize 16", raw_rt_sigaction(SIGUSR1, &k, NULL, 16));
    show("rt_sigaction act = 8", raw_rt_sigaction(SIGUSR1, (void *)8, NULL, 8));
    show("rt_sigaction oldact = 8", raw_rt_sigaction(SIGUSR1, NULL, (void *)8, 8));
    show("rt_sigaction oldact read-only", raw_rt_sigaction(SIGUSR1, NULL, (void *)action_rules, 8));
    show("rt_sigaction oldact in the kernel",
         raw_rt_sigaction(SIGUSR1, NULL, (void *)0xffff800000000000ul, 8));
    /* a refused new action leaves the old one */
    sigaction(SIGUSR1, &sa, NULL);
    raw_rt_sigaction(SIGUSR1, (void *)8, NULL, 8);
    sigaction(SIGUSR1, NULL, &old);
    printf("after a refused act the handler stays: %s\n", yes(old.sa_handler == handler_a));
    /* the order of the checks: the new action is read (EFAULT) before SIGKILL is
     * refused; it is installed before the old one is written back (EFAULT after) */
    show("rt_sigaction SIGKILL, act = 8", raw_rt_sigaction(SIGKILL, (void *)8, NULL, 8));
    k.handler = (void *)SIG_IGN;
    show("rt_sigaction good act, oldact = 8", raw_rt_sigaction(SIGUSR1, &k, (void *)8, 8));
    sigaction(SIGUSR1, NULL, &old);
    printf("the new action is in place all the same: %s\n", yes(old.sa_handler == SIG_IGN));
    /* SIGKILL and SIGSTOP in sa_mask are dropped */
    sigfillset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR1, NULL, &old);
    printf("mask of all: SIGKILL kept %s, SIGSTOP kept %s, SIGTERM kept %s\n",
           yes(sigismember(&old.sa_mask, SIGKILL)), yes(sigismember(&old.sa_mask, SIGSTOP)),
           yes(sigismember(&old.sa_mask, SIGTERM)));
}

/* kill to 0 (my group), -pgid, and -1 (everyone but init and me), in a group of my own. */
void kill_targets(void)
{
    catch_plain(SIGUSR1, count, 0);
    show("setpgid(0, 0)", setpgid(0, 0));
    printf("getpgrp == getpid: %s\n", yes(getpgrp() == getpid()));
    deliveries = 0;
    show("kill(0, SIGUSR1)", kill(0, SIGUSR1));
    printf("my group includes me: %s\n", yes(deliveries == 1));
    show("kill(-pgid, SIGUSR1)", kill(-getpgrp(), SIGUSR1));
    printf("delivered again: %s\n", yes(deliveries == 2));
    show("kill(0, 0)", kill(0, 0));
    show("kill(-pgid, 0)", kill(-getpgrp(), 0));
    show("kill(-(pgid + 100000), 0)", kill(-(getpgrp() + 100000), 0));
    /* -1 with signal 0 only: a real signal would reach every process of the host */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(3);
    }
    show("kill(-1, 0) with a child alive", kill(-1, 0));
    show("kill(child, 0)", kill(child, 0));
    show("kill(child, 65)", kill(child, 65));
    show("kill(child, -1)", kill(child, -1));
    kill(child, SIGTERM);
    int status;
    waitpid(child, &status, 0);
    show_wait("the child after SIGTERM", status);
    show("kill(the reaped child, 0)", kill(child, 0));
    /* a zombie is still there to be signalled (nothing happens to it) */
    fflush(stdout);
    child = fork();
    if (child == 0)
        _exit(0);
    sleep_ms(100); /* it has exited: a zombie now, not reaped */
    show("kill(a zombie, 0)", kill(child, 0));
    show("kill(a zombie, SIGKILL)", kill(child, SIGKILL));
    show("tgkill(a zombie, SIGUSR1)", syscall(SYS_tgkill, child, child, SIGUSR1));
    waitpid(child, &status, 0);
    show_wait("the zombie reaped", status);
}

static void *seen_return_address, *seen_info, *seen_context, *seen_fpregs;

static void look_at_frame(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    seen_return_address = __builtin_return_address(0);
    seen_info = info;
    seen_context = context;
    seen_fpregs = ((ucontext_t *)context)->uc_mcontext.fpregs;
}

static volatile int forked_child_ran;

static void fork_inside(int sig)
{
    (void)sig;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        forked_child_ran = 1;
        return; /* the child returns from the handler too: its own copy of the frame */
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("a child forked inside a handler, returned from it", status);
}

/* Linux's rt_sigframe: the handler's return address is sa_restorer, siginfo
 * follows the 304-byte ucontext, the FPU image lies above them. A handler that
 * forks: the child returns through its own copy of the frame. */
void frame_layout(void)
{
    catch_with(SIGUSR1, look_at_frame, 0);
    raise(SIGUSR1);
    struct kernel_sigaction now;
    raw_rt_sigaction(SIGUSR1, NULL, &now, 8);
    printf("handler returns to sa_restorer: %s\n", yes(seen_return_address == now.restorer));
    printf("siginfo 304 bytes after the ucontext: %s\n",
           yes((char *)seen_info - (char *)seen_context == 304));
    printf("FPU image above the siginfo: %s, 16-byte aligned: %s\n",
           yes((char *)seen_fpregs >= (char *)seen_info + 128),
           yes(((uintptr_t)seen_fpregs & 15) == 0));

    catch_plain(SIGUSR2, fork_inside, 0);
    raise(SIGUSR2);
    if (forked_child_ran) {
        printf("child: back from the handler after raise\n");
        fflush(stdout);
        _exit(4);
    }
    printf("parent: back from the handler\n");
}

static void quiet(int sig)
{
    (void)sig;
}

/* After execve: what the new program finds (run as "signals --after-exec"). */
int after_exec(void)
{
    struct sigaction a;
    sigaction(SIGUSR1, NULL, &a);
    printf("after exec: handled SIGUSR1 is SIG_DFL: %s\n", yes(a.sa_handler == SIG_DFL));
    sigaction(SIGUSR2, NULL, &a);
    printf("after exec: ignored SIGUSR2 stays SIG_IGN: %s\n", yes(a.sa_handler == SIG_IGN));
    sigset_t mask, pending;
    sigprocmask(SIG_SETMASK, NULL, &mask);
    sigpending(&pending);
    printf("after exec: SIGTERM still blocked %s, still pending %s\n",
           yes(sigismember(&mask, SIGTERM)), yes(sigismember(&pending, SIGTERM)));
    stack_t ss;
    sigaltstack(NULL, &ss);
    printf("after exec: alternate stack disabled: %s\n", yes(ss.ss_flags == SS_DISABLE));
    return 0;
}

/* execve keeps the mask, pending signals and ignored actions; handlers become
 * SIG_DFL (the code they pointed at is gone) and the alternate stack goes. */
void across_exec(void)
{
    catch_plain(SIGUSR1, quiet, 0);
    catch_plain(SIGUSR2, SIG_IGN, 0);
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, NULL);
    kill(getpid(), SIGTERM);
    static char alt[4 * SIGSTKSZ];
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    fflush(stdout);
    char *argv[] = { (char *)self_path, "--after-exec", NULL };
    execv(self_path, argv);
    printf("execv failed: %s\n", errno_name(errno));
}
