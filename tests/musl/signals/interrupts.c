/*
 * interrupts.c — signals meeting sleeping system calls: sigsuspend and pause return
 * EINTR once a handler ran; a read on an empty pipe returns EINTR, or restarts with
 * SA_RESTART; SIGCHLD at a child's exit with CLD_EXITED and its status; SIGPIPE on a
 * write without readers, handled (write returns EPIPE).
 */
#include "signals.h"

static volatile int runs;
static siginfo_t last;

static void count(int sig)
{
    (void)sig;
    runs++;
}

static void record(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    runs++;
    last = *info;
}

/* A child that sends SIG to its parent every 20 ms until *stop is set (by the parent,
 * once its call returned): whenever the parent falls asleep, a signal comes after.
 * It gives up after PESTER_ROUNDS (a parent that never wakes is killed by main's
 * watchdog; this child must not outlive it). */
#define PESTER_ROUNDS 500

static pid_t pester(int sig, volatile int *stop)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (int round = 0; !*stop && round < PESTER_ROUNDS; round++) {
            kill(getppid(), sig);
            sleep_ms(20);
        }
        _exit(0);
    }
    return child;
}

static void stop_pestering(pid_t child, volatile int *stop)
{
    *stop = 1;
    int status;
    waitpid(child, &status, 0);
}

/* sigsuspend and pause: they return only after a handler ran, with EINTR. */
void sleeping_calls(void)
{
    catch_plain(SIGUSR1, count, 0);
    sigset_t usr1, old, empty;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    raise(SIGUSR1);
    int r = sigsuspend(&empty);
    int e = errno;
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf(
        "sigsuspend with SIGUSR1 pending: %d %s, handler ran %d, SIGUSR1 blocked again after: %s\n",
        r, errno_name(e), runs, yes(sigismember(&now, SIGUSR1)));

    /* the mask given to sigsuspend is in force while the handler runs too */
    volatile int *stop = shared_page();
    runs = 0;
    pid_t child = pester(SIGUSR1, stop);
    r = sigsuspend(&empty);
    e = errno;
    stop_pestering(child, stop);
    printf("sigsuspend woken by another process: %d %s, handler ran: %s\n", r, errno_name(e),
           yes(runs >= 1));
    sigprocmask(SIG_SETMASK, &old, NULL);

    *stop = 0;
    runs = 0;
    child = pester(SIGUSR1, stop);
    r = pause();
    e = errno;
    stop_pestering(child, stop);
    printf("pause: %d %s, handler ran: %s\n", r, errno_name(e), yes(runs >= 1));

    /* an ignored signal does not end pause: only the handled one does */
    catch_plain(SIGUSR2, SIG_IGN, 0);
    *stop = 0;
    runs = 0;
    child = pester(SIGUSR2, stop);
    fflush(stdout);
    pid_t waker = fork();
    if (waker == 0) {
        sleep_ms(150);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    r = pause();
    e = errno;
    stop_pestering(child, stop);
    int status;
    waitpid(waker, &status, 0);
    printf("pause with ignored SIGUSR2 sent every 20 ms, then SIGUSR1: %d %s, SIGUSR1's handler "
           "ran %d\n",
           r, errno_name(e), runs);
}

/* read on an empty pipe while signals come: EINTR without SA_RESTART; with it the read
 * goes on until the data comes. */
void interrupted_reads(void)
{
    int p[2];
    pipe(p);
    volatile int *stop = shared_page();
    catch_plain(SIGUSR1, count, 0);
    pid_t child = pester(SIGUSR1, stop);
    char c;
    long r = read(p[0], &c, 1);
    int e = errno;
    stop_pestering(child, stop);
    printf("read on an empty pipe, handler without SA_RESTART: %ld %s, handler ran: %s\n", r,
           errno_name(e), yes(runs >= 1));

    /* SA_RESTART: the child sends five signals 20 ms apart, then writes one byte */
    catch_plain(SIGUSR1, count, SA_RESTART);
    runs = 0;
    stop[1] = 0;
    fflush(stdout);
    child = fork();
    if (child == 0) {
        while (!stop[1]) /* the parent is about to read */
            sched_yield();
        for (int i = 0; i < 5; i++) {
            sleep_ms(20);
            kill(getppid(), SIGUSR1);
        }
        sleep_ms(20);
        write(p[1], "x", 1);
        _exit(0);
    }
    stop[1] = 1;
    r = read(p[0], &c, 1);
    e = errno;
    int status;
    waitpid(child, &status, 0);
    if (r < 0)
        printf("read with SA_RESTART: -1 %s\n", errno_name(e));
    else
        printf("read with SA_RESTART: %ld, byte '%c', handler ran %d\n", r, c, runs);

    /* write on a full pipe is interrupted the same way (no SA_RESTART: EINTR, nothing
     * written, since nothing fitted) */
    catch_plain(SIGUSR1, count, 0);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    char block[4096] = { 0 };
    while (write(p[1], block, sizeof block) > 0)
        ;
    while (write(p[1], block, 1) > 0)
        ;
    fcntl(p[1], F_SETFL, 0);
    *stop = 0;
    runs = 0;
    child = pester(SIGUSR1, stop);
    r = write(p[1], block, 1);
    e = errno;
    stop_pestering(child, stop);
    printf("write to a full pipe, handler without SA_RESTART: %ld %s, handler ran: %s\n", r,
           errno_name(e), yes(runs >= 1));

    /* nanosleep: EINTR with the time left, whatever SA_RESTART says */
    catch_plain(SIGUSR1, count, SA_RESTART);
    *stop = 0;
    child = pester(SIGUSR1, stop);
    struct timespec t = { 10, 0 }, left = { 0, 0 };
    r = nanosleep(&t, &left);
    e = errno;
    stop_pestering(child, stop);
    /* (Linux may report a hair more than was asked when the signal came at once) */
    long long left_ms = left.tv_sec * 1000ll + left.tv_nsec / 1000000;
    printf("nanosleep(10 s) with SA_RESTART: %ld %s, time left between 5 and 10.1 s: %s\n", r,
           errno_name(e), yes(left_ms >= 5000 && left_ms <= 10100));

    /* wait4 with SA_RESTART goes on; without it returns EINTR */
    catch_plain(SIGUSR1, count, 0);
    *stop = 0;
    fflush(stdout);
    pid_t sleeper = fork();
    if (sleeper == 0) {
        pause();
        _exit(0);
    }
    child = pester(SIGUSR1, stop);
    r = waitpid(sleeper, &status, 0);
    e = errno;
    stop_pestering(child, stop);
    printf("waitpid for a sleeping child, handler without SA_RESTART: %ld %s\n", r, errno_name(e));
    kill(sleeper, SIGKILL);
    waitpid(sleeper, &status, 0);
}

/* SIGCHLD with SA_SIGINFO: the child's pid, CLD_EXITED or CLD_KILLED, the status. */
void child_signals(void)
{
    catch_with(SIGCHLD, record, 0);
    sigset_t chld, empty;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    sigsuspend(&empty);
    printf("SIGCHLD at exit(7): runs %d, si_code %s, si_status %d, si_pid == the child: %s, si_uid "
           "== getuid: %s\n",
           runs, code_name(SIGCHLD, last.si_code), last.si_status, yes(last.si_pid == child),
           yes(last.si_uid == getuid()));
    int status;
    waitpid(child, &status, 0);
    show_wait("its wait status", status);

    runs = 0;
    fflush(stdout);
    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    kill(child, SIGTERM);
    sigsuspend(&empty);
    printf("SIGCHLD for a child killed by SIGTERM: runs %d, si_code %s, si_status %s\n", runs,
           code_name(SIGCHLD, last.si_code), signal_name(last.si_status));
    waitpid(child, &status, 0);
    show_wait("its wait status", status);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);

    /* SIGCHLD ignored (SIG_DFL): nothing runs, the child is still reaped by wait */
    catch_plain(SIGCHLD, SIG_DFL, 0);
    runs = 0;
    child = fork();
    if (child == 0)
        _exit(9);
    waitpid(child, &status, 0);
    show_wait("with SIGCHLD at SIG_DFL", status);
}

/* SIGPIPE: with a handler, the write returns EPIPE after the handler ran. */
void broken_pipe(void)
{
    catch_with(SIGPIPE, record, 0);
    int p[2];
    pipe(p);
    close(p[0]);
    long r = write(p[1], "x", 1);
    int e = errno;
    printf("write without readers, SIGPIPE handled: %ld %s, handler ran %d, si_code %s, si_pid == "
           "getpid: %s\n",
           r, errno_name(e), runs, code_name(SIGPIPE, last.si_code), yes(last.si_pid == getpid()));
    catch_plain(SIGPIPE, SIG_IGN, 0);
    runs = 0;
    r = write(p[1], "x", 1);
    e = errno;
    printf("SIGPIPE ignored: %ld %s, handler ran %d\n", r, errno_name(e), runs);
    catch_plain(SIGPIPE, SIG_DFL, 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show_wait("SIGPIPE at SIG_DFL", status);
}

/* rt_sigtimedwait: takes a blocked pending signal with its siginfo; EAGAIN after
 * the timeout; EINTR when another signal's handler runs; EINVAL for a bad time. */
void waiting_for_signals(void)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    kill(getpid(), SIGUSR1);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    struct timespec zero = { 0, 0 }, short_wait = { 0, 20000000 };
    int r = sigtimedwait(&usr1, &info, &zero);
    printf("sigtimedwait with SIGUSR1 pending: %s, si_code %s, si_pid == getpid: %s\n",
           r > 0 ? signal_name(r) : errno_name(errno), code_name(SIGUSR1, info.si_code),
           yes(info.si_pid == getpid()));
    sigset_t pending;
    sigpending(&pending);
    printf("taken off the pending set: %s\n", yes(!sigismember(&pending, SIGUSR1)));
    r = sigtimedwait(&usr1, &info, &zero);
    printf("nothing pending, timeout 0: %d %s\n", r, errno_name(errno));
    r = sigtimedwait(&usr1, &info, &short_wait);
    printf("nothing pending, 20 ms: %d %s\n", r, errno_name(errno));
    struct timespec bad = { 0, 1000000000 };
    r = sigtimedwait(&usr1, &info, &bad);
    printf("tv_nsec 1e9: %d %s\n", r, errno_name(errno));
    /* a signal in the set that arrives during the wait, from another process */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(50);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    r = sigwaitinfo(&usr1, &info);
    printf("sigwaitinfo woken by a child's SIGUSR1: %s, si_pid == the child: %s\n",
           r > 0 ? signal_name(r) : errno_name(errno), yes(info.si_pid == child));
    int status;
    waitpid(child, &status, 0);
    /* another signal, handled, ends the wait */
    catch_plain(SIGUSR2, count, SA_RESTART);
    runs = 0;
    child = fork();
    if (child == 0) {
        sleep_ms(50);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    /* (the system call itself: musl's sigwaitinfo calls it again after EINTR) */
    r = syscall(SYS_rt_sigtimedwait, &usr1, &info, NULL, 8);
    printf("rt_sigtimedwait, SIGUSR2 handled (SA_RESTART) instead: %d %s, handler ran %d\n", r,
           errno_name(errno), runs);
    waitpid(child, &status, 0);
    /* an ignored signal can still be waited for */
    catch_plain(SIGCHLD, SIG_DFL, 0);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    child = fork();
    if (child == 0)
        _exit(3);
    r = sigwaitinfo(&chld, &info);
    printf("sigwaitinfo for SIGCHLD (default: ignored): %s, si_code %s, si_status %d\n",
           r > 0 ? signal_name(r) : errno_name(errno), code_name(SIGCHLD, info.si_code),
           info.si_status);
    waitpid(child, &status, 0);
}

/* Which calls restart with SA_RESTART: read and wait4 do; pause and sigsuspend
 * never do (-EINTR once the handler ran). SIGCHLD ignored or SA_NOCLDWAIT: no
 * zombies, wait4 waits for them all, then ECHILD. */
void restarting_calls(void)
{
    volatile int *stop = shared_page();
    catch_plain(SIGUSR1, count, SA_RESTART);
    pid_t child = pester(SIGUSR1, stop);
    int r = pause();
    int e = errno;
    stop_pestering(child, stop);
    printf("pause, handler with SA_RESTART: %d %s\n", r, errno_name(e));
    sigset_t empty;
    sigemptyset(&empty);
    *stop = 0;
    child = pester(SIGUSR1, stop);
    r = sigsuspend(&empty);
    e = errno;
    stop_pestering(child, stop);
    printf("sigsuspend, handler with SA_RESTART: %d %s\n", r, errno_name(e));

    *stop = 0;
    runs = 0;
    fflush(stdout);
    pid_t sleeper = fork();
    if (sleeper == 0) {
        sleep_ms(300);
        _exit(6);
    }
    child = pester(SIGUSR1, stop);
    int status;
    r = waitpid(sleeper, &status, 0);
    e = errno;
    stop_pestering(child, stop);
    printf("waitpid with SA_RESTART while signals come: the child's pid %s, ", yes(r == sleeper));
    show_wait("status", status);
    printf("handler ran meanwhile: %s\n", yes(runs > 0));

    catch_plain(SIGCHLD, SIG_IGN, 0);
    child = fork();
    if (child == 0) {
        sleep_ms(50);
        _exit(1);
    }
    r = waitpid(-1, &status, 0);
    printf("SIGCHLD ignored: waitpid: %d %s\n", r, errno_name(errno));
    catch_with(SIGCHLD, record, SA_NOCLDWAIT);
    runs = 0;
    child = fork();
    if (child == 0)
        _exit(2);
    r = waitpid(-1, &status, 0);
    e = errno;
    printf("SA_NOCLDWAIT with a handler: waitpid %d %s, handler ran %s, si_status %d\n", r,
           errno_name(e), yes(runs == 1), last.si_status);
}

static void scribble(int sig)
{
    (void)sig;
    volatile char junk[8192];
    memset((char *)junk, 0xaa, sizeof junk);
    runs++;
}

/* A parent waiting in vfork shares its stack with the child: a handler run there
 * would write over the child's frames. Signals wait until the child has gone. */
void vfork_and_signals(void)
{
    catch_plain(SIGUSR1, scribble, 0);
    volatile int *stop = shared_page();
    pid_t pesterer = pester(SIGUSR1, stop);
    sleep_ms(50);
    runs = 0;
    pid_t child = vfork();
    if (child == 0) {
        volatile unsigned char canary[2048];
        for (int i = 0; i < 2048; i++)
            canary[i] = (unsigned char)i;
        for (int k = 0; k < 10; k++) {
            sleep_ms(10);
            for (int i = 0; i < 2048; i++)
                if (canary[i] != (unsigned char)i)
                    _exit(1);
        }
        _exit(0);
    }
    int after = runs;
    stop_pestering(pesterer, stop);
    int status;
    waitpid(child, &status, 0);
    show_wait("a vfork child while its parent is sent signals", status);
    printf("the parent's handler ran once the child had gone: %s\n", yes(after >= 1));
}
