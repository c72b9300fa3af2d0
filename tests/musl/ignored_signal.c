/*
 * ignored_signal — a signal the receiver ignores is thrown away when it is sent, so
 * it cannot cut a wait4 or a nanosleep short with EINTR.
 *
 * A child waits for a grandchild (which sleeps 300 ms), then sleeps 300 ms itself;
 * meanwhile the parent sends it signals it ignores: SIGURG, SIGCHLD and SIGWINCH by
 * default, SIGTERM because it was set to SIG_IGN. On Linux both calls run to their
 * end. (If a signal arrives before the child sleeps, it is discarded either way: the
 * test can only pass by luck, never fail by bad luck.)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLEEP_NS     300000000L /* how long the grandchild and then the child sleep */
#define SIGNAL_AT_NS 100000000L /* when the parent signals, into each of the two sleeps */

static void sleep_ns(long ns)
{
    struct timespec t = { 0, ns };
    nanosleep(&t, NULL);
}

static void say(const char *what, int result, int expected)
{
    printf("%s: %s\n", what, result == expected ? "ran to the end" : strerror(errno));
    fflush(stdout);
}

static int child(void)
{
    signal(SIGTERM, SIG_IGN);
    pid_t grandchild = fork();
    if (grandchild == 0) {
        sleep_ns(SLEEP_NS);
        _exit(7);
    }
    int status = 0;
    pid_t waited = waitpid(grandchild, &status, 0);
    say("wait4 while ignored signals arrive", waited, grandchild);
    printf("the grandchild's status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    struct timespec t = { 0, SLEEP_NS };
    say("nanosleep while ignored signals arrive", nanosleep(&t, NULL), 0);
    return 0;
}

static void send_ignored_signals(pid_t to)
{
    kill(to, SIGURG);
    kill(to, SIGCHLD);
    kill(to, SIGWINCH);
    kill(to, SIGTERM);
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(child());
    sleep_ns(SIGNAL_AT_NS);
    send_ignored_signals(pid); /* during the wait4 */
    sleep_ns(SLEEP_NS);
    send_ignored_signals(pid); /* during the nanosleep */
    int status = 0;
    waitpid(pid, &status, 0);
    printf("the child: %s %d\n", WIFEXITED(status) ? "exit status" : "killed by signal",
           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return 0;
}
