/*
 * signals.c — sleeping calls and signals: a signal whose default is to be ignored
 * (SIGCHLD) does not end a poll; a signal with a handler ends nanosleep (with the
 * time left), clock_nanosleep TIMER_ABSTIME (no time left written), poll and
 * select with EINTR; ppoll and pselect6 wait with their own mask, so a pending
 * signal they unblock ends them at once.
 *
 * Each case uses its own signal and blocks it afterwards; the handler counts, and
 * each case says whether it ran once.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static volatile sig_atomic_t handled;

static void count_signal(int sig)
{
    (void)sig;
    handled++;
}

/* A handler without SA_RESTART (sleeping calls answer EINTR with or without it). */
static void catch (int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = count_signal;
    sigaction(sig, &sa, NULL);
}

/* Did the handler run exactly once since the last look? */
static const char *ran_once(void)
{
    int once = handled == 1;
    handled = 0;
    return yes_no(once);
}

static void block(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

/* A child that sends sig to this process after 30 ms, then exits. */
static pid_t signal_soon(int sig)
{
    pid_t parent = getpid(), child = fork();
    if (child == 0) {
        struct timespec pause = { 0, 30 * NS_PER_MS };
        nanosleep(&pause, NULL);
        kill(parent, sig);
        _exit(0);
    }
    return child;
}

static void sigchld_does_not_interrupt(void)
{
    handled = 0;
    int fds[2];
    pipe(fds);
    pid_t child = signal_soon(0); /* signal 0: none; the child just exits */
    struct pollfd p = { fds[0], POLLIN, 0 };
    int n = poll(&p, 1, 150);
    printf("poll 150 ms while a child exits (SIGCHLD, default action): %d\n", n);
    waitpid(child, NULL, 0);
    close(fds[0]);
    close(fds[1]);
}

static void nanosleep_interrupted(void)
{
    catch (SIGUSR1);
    pid_t child = signal_soon(SIGUSR1);
    struct timespec request = { 5, 0 }, left = { 0, 0 };
    long r = syscall(SYS_nanosleep, &request, &left);
    printf("nanosleep 5 s, SIGUSR1 with a handler: %ld %s, time left between 4 and 5 s: %s, "
           "handler ran: %s\n",
           r, r < 0 ? errno_name(errno) : "", yes_no(left.tv_sec == 4), ran_once());
    block(SIGUSR1);
    waitpid(child, NULL, 0);
}

static void absolute_interrupted(void)
{
    catch (SIGUSR2);
    pid_t child = signal_soon(SIGUSR2);
    struct timespec target, left = { 7, 7 };
    clock_gettime(CLOCK_MONOTONIC, &target);
    target.tv_sec += 5;
    long r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 1, &target, &left);
    printf("clock_nanosleep ABSTIME +5 s, SIGUSR2 with a handler: %ld %s, left untouched: %s, "
           "handler ran: %s\n",
           r, r < 0 ? errno_name(errno) : "", yes_no(left.tv_sec == 7 && left.tv_nsec == 7),
           ran_once());
    block(SIGUSR2);
    waitpid(child, NULL, 0);
}

static void poll_interrupted(void)
{
    int fds[2];
    pipe(fds);
    catch (SIGHUP);
    pid_t child = signal_soon(SIGHUP);
    struct pollfd p = { fds[0], POLLIN, 0 };
    int n = poll(&p, 1, 5000);
    printf("poll 5 s, SIGHUP with a handler: %d %s, handler ran: %s\n", n,
           n < 0 ? errno_name(errno) : "", ran_once());
    block(SIGHUP);
    waitpid(child, NULL, 0);
    catch (SIGWINCH);
    child = signal_soon(SIGWINCH);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    n = select(fds[0] + 1, &r, NULL, NULL, NULL);
    printf("select without limit, SIGWINCH with a handler: %d %s, handler ran: %s\n", n,
           n < 0 ? errno_name(errno) : "", ran_once());
    block(SIGWINCH);
    waitpid(child, NULL, 0);
    close(fds[0]);
    close(fds[1]);
}

/* A blocked signal is pending; the call's own mask unblocks it for the wait. */
static void own_mask(void)
{
    int fds[2];
    pipe(fds);
    sigset_t empty;
    sigemptyset(&empty);
    catch (SIGTERM);
    block(SIGTERM);
    raise(SIGTERM);
    struct pollfd p = { fds[0], POLLIN, 0 };
    struct timespec second = { 1, 0 };
    long long start = monotonic_ns();
    long n = syscall(SYS_ppoll, &p, 1, &second, &empty, 8);
    printf("ppoll 1 s, a pending SIGTERM its mask unblocks: %ld %s, at once: %s, handler ran: %s\n",
           n, n < 0 ? errno_name(errno) : "", yes_no(monotonic_ns() - start < 500 * NS_PER_MS),
           ran_once());
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("  SIGTERM blocked again after: %s\n", yes_no(sigismember(&now, SIGTERM)));
    catch (SIGQUIT);
    block(SIGQUIT);
    raise(SIGQUIT);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    struct {
        const sigset_t *mask;
        size_t size;
    } sig = { &empty, 8 };
    second = (struct timespec){ 1, 0 };
    start = monotonic_ns();
    n = syscall(SYS_pselect6, fds[0] + 1, &r, NULL, NULL, &second, &sig);
    printf("pselect6 1 s, a pending SIGQUIT its mask unblocks: %ld %s, at once: %s, handler ran: "
           "%s\n",
           n, n < 0 ? errno_name(errno) : "", yes_no(monotonic_ns() - start < 500 * NS_PER_MS),
           ran_once());
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("  SIGQUIT blocked again after: %s\n", yes_no(sigismember(&now, SIGQUIT)));
    struct pollfd still = { fds[0], POLLIN, 0 };
    printf("  poll with both blocked again: %d, no handler ran: %s\n", poll(&still, 1, 20),
           yes_no(handled == 0));
    close(fds[0]);
    close(fds[1]);
}

void signal_tests(void)
{
    printf("== sleeping calls and signals\n");
    sigchld_does_not_interrupt();
    nanosleep_interrupted();
    absolute_interrupted();
    poll_interrupted();
    own_mask();
}
