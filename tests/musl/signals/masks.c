/*
 * masks.c — what is blocked while a handler runs (its signal unless SA_NODEFER, and
 * sa_mask), SA_RESETHAND, the mask the handler's ucontext holds and restores, pending
 * signals delivered once on unblock (real-time ones once per send), and the rules of
 * rt_sigprocmask and rt_sigpending.
 */
#include "signals.h"

static volatile int depth, deepest, runs, raise_inside;
static sigset_t mask_inside;
static volatile int order[8], orders;

static void nesting(int sig)
{
    depth++;
    runs++;
    if (depth > deepest)
        deepest = depth;
    sigprocmask(SIG_SETMASK, NULL, &mask_inside);
    if (runs == 1 && raise_inside)
        raise(sig); /* blocked (one delivery after this one) or nested (SA_NODEFER) */
    depth--;
}

static void with_flags(int flags, int raise_again, const char *what)
{
    raise_inside = raise_again;
    struct sigaction sa = { 0 };
    sa.sa_handler = nesting;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    depth = deepest = runs = 0;
    raise(SIGUSR1);
    sigset_t after;
    sigprocmask(SIG_SETMASK, NULL, &after);
    printf(
        "%s: runs %d, deepest %d, SIGUSR1 blocked inside %s, SIGUSR2 (sa_mask) blocked inside %s, "
        "blocked after: %s\n",
        what, runs, deepest, yes(sigismember(&mask_inside, SIGUSR1)),
        yes(sigismember(&mask_inside, SIGUSR2)),
        yes(sigismember(&after, SIGUSR1) || sigismember(&after, SIGUSR2)));
}

static ucontext_t *saved_context;
static int context_had_usr2, context_had_usr1;

static void look_at_context(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    ucontext_t *uc = context;
    context_had_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
    context_had_usr1 = sigismember(&uc->uc_sigmask, SIGUSR1);
    /* rt_sigreturn restores this mask: block SIGTERM from now on */
    sigaddset(&uc->uc_sigmask, SIGTERM);
    sigdelset(&uc->uc_sigmask, SIGUSR2);
    saved_context = uc;
}

static void in_order(int sig)
{
    if (orders < 8)
        order[orders++] = sig;
}

/* Handlers see their own signal (and sa_mask) blocked, unless SA_NODEFER. */
void masks_in_handlers(void)
{
    with_flags(0, 1, "raise inside the handler");
    with_flags(SA_NODEFER, 1, "with SA_NODEFER");
    with_flags(SA_RESETHAND, 0, "with SA_RESETHAND");
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    printf("after SA_RESETHAND the action is SIG_DFL: %s, SA_RESETHAND kept: %s\n",
           yes(now.sa_handler == SIG_DFL), yes(now.sa_flags & SA_RESETHAND));
    /* a second SIGUSR1 with the action reset terminates (in a child) */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        with_flags(SA_RESETHAND, 0, "child: first SIGUSR1");
        fflush(stdout);
        raise(SIGUSR1);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("second SIGUSR1 after SA_RESETHAND", status);

    /* the ucontext holds the mask from before the handler; changing it changes the
     * mask after rt_sigreturn */
    sigset_t usr2, after;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    catch_with(SIGUSR1, look_at_context, 0);
    raise(SIGUSR1);
    sigprocmask(SIG_SETMASK, NULL, &after);
    printf("uc_sigmask: SIGUSR2 (blocked before) %s, SIGUSR1 (the signal) %s\n",
           yes(context_had_usr2), yes(context_had_usr1));
    printf("after a handler edited uc_sigmask: SIGTERM blocked %s, SIGUSR2 blocked %s\n",
           yes(sigismember(&after, SIGTERM)), yes(sigismember(&after, SIGUSR2)));
    printf("ucontext on the stack near my locals: %s\n",
           yes((char *)saved_context < (char *)&after &&
               (char *)&after - (char *)saved_context < 65536));
}

static volatile int counted;

static void count(int sig)
{
    (void)sig;
    counted++;
}

/* Pending while blocked: standard signals collapse to one, real-time ones queue. */
void pending_signals(void)
{
    catch_plain(SIGUSR1, count, 0);
    sigset_t usr1, pending;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    /* kill, not raise: raise is tkill, and Linux keeps a thread's pending signals
     * apart from the process's (one of each would be two deliveries) */
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    sigpending(&pending);
    printf("two sends while blocked: pending %s, runs so far %d\n",
           yes(sigismember(&pending, SIGUSR1)), counted);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    printf("after unblock: runs %d\n", counted);
    sigpending(&pending);
    printf("pending after: %s\n", yes(sigismember(&pending, SIGUSR1)));

    int rt = SIGRTMIN + 1;
    catch_plain(rt, count, 0);
    sigset_t rts;
    sigemptyset(&rts);
    sigaddset(&rts, rt);
    sigprocmask(SIG_BLOCK, &rts, NULL);
    counted = 0;
    kill(getpid(), rt);
    kill(getpid(), rt);
    kill(getpid(), rt);
    sigprocmask(SIG_UNBLOCK, &rts, NULL);
    printf("SIGRTMIN+1 sent three times while blocked: runs %d\n", counted);

    /* several pending: the lowest number first. Each handler blocks the other two
     * (sa_mask), so one runs at a time; with them unblocked Linux would set up all
     * three frames at once and the last one set up would run first. */
    sigset_t three;
    sigemptyset(&three);
    sigaddset(&three, SIGUSR1);
    sigaddset(&three, SIGUSR2);
    sigaddset(&three, SIGTERM);
    struct sigaction sa = { 0 };
    sa.sa_handler = in_order;
    sa.sa_mask = three;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigprocmask(SIG_BLOCK, &three, NULL);
    kill(getpid(), SIGTERM);
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &three, NULL);
    printf("order of three pending:");
    for (int i = 0; i < orders; i++)
        printf(" %s", signal_name(order[i]));
    printf("\n");

    /* a pending signal that becomes ignored is discarded */
    catch_plain(SIGUSR1, count, 0);
    counted = 0;
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    catch_plain(SIGUSR1, SIG_IGN, 0);
    sigpending(&pending);
    printf("pending, then ignored: still pending %s\n", yes(sigismember(&pending, SIGUSR1)));
    catch_plain(SIGUSR1, count, 0);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    printf("handler installed again, unblocked: runs %d\n", counted);
}

/* rt_sigprocmask and rt_sigpending: how, sizes, what cannot be blocked. */
void mask_rules(void)
{
    sigset_t all, now;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("block everything: SIGKILL blocked %s, SIGSTOP blocked %s, SIGSEGV blocked %s, SIGRTMAX "
           "blocked %s\n",
           yes(sigismember(&now, SIGKILL)), yes(sigismember(&now, SIGSTOP)),
           yes(sigismember(&now, SIGSEGV)), yes(sigismember(&now, SIGRTMAX)));
    uint64_t raw = 0, old = 0;
    show("rt_sigprocmask how 3", syscall(SYS_rt_sigprocmask, 3, &raw, NULL, 8));
    show("rt_sigprocmask how 3, no set", syscall(SYS_rt_sigprocmask, 3, NULL, &old, 8));
    show("rt_sigprocmask sigsetsize 4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &raw, NULL, 4));
    show("rt_sigprocmask set = 8", syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8));
    show("rt_sigprocmask oldset = 8", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, (void *)8, 8));
    raw = ~0ul;
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &raw, &old, 8);
    printf("raw old mask has bit 64 (signal 64): %s, SIGKILL's bit: %s\n", yes(old >> 63),
           yes(old & (1ul << 8)));
    /* the mask changes before the old one is written back: EFAULT, but changed */
    uint64_t usr1_bit = 1ul << (SIGUSR1 - 1), now_raw = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &now_raw, NULL, 8);
    show("rt_sigprocmask SIG_BLOCK SIGUSR1, oldset = 8",
         syscall(SYS_rt_sigprocmask, SIG_BLOCK, &usr1_bit, (void *)8, 8));
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &now_raw, 8);
    printf("SIGUSR1 blocked all the same: %s\n", yes(now_raw & usr1_bit));
    now_raw = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &now_raw, NULL, 8);
    uint64_t pend = 1;
    show("rt_sigpending", syscall(SYS_rt_sigpending, &pend, 8));
    printf("nothing pending: %s\n", yes(pend == 0));
    show("rt_sigpending sigsetsize 4", syscall(SYS_rt_sigpending, &pend, 4));
    show("rt_sigpending sigsetsize 16", syscall(SYS_rt_sigpending, &pend, 16));
    show("rt_sigpending set = 8", syscall(SYS_rt_sigpending, (void *)8, 8));
    /* the mask and the actions across fork: both inherited */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    raise(SIGUSR2);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        sigset_t mine, pending;
        sigprocmask(SIG_SETMASK, NULL, &mine);
        sigpending(&pending);
        printf("child: SIGUSR2 blocked %s, pending %s (a new process starts with none)\n",
               yes(sigismember(&mine, SIGUSR2)), yes(sigismember(&pending, SIGUSR2)));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
}
