/*
 * wait.c — waiting for children: wait4 by process group (0 and -pgid) and waitid
 * (P_PID, P_PGID, P_ALL; WEXITED, WNOHANG, WNOWAIT, WSTOPPED, WCONTINUED; the
 * siginfo it fills, and the zeros it writes when it fails or finds nothing yet);
 * SIGTSTP in orphaned process groups.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/* A child that exits with code at once, in group pgid (0: its own new one, -1: mine). */
static pid_t exiting_child(int code, pid_t pgid)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (pgid != -1)
            setpgid(0, pgid);
        _exit(code);
    }
    if (pgid != -1)
        setpgid(pid, pgid == 0 ? pid : pgid); /* both sides, as shells do */
    return pid;
}

/* Let a child become a zombie before we look (WNOHANG, waitid with WNOWAIT). */
static void until_zombie(pid_t pid)
{
    siginfo_t info;
    waitid(P_PID, pid, &info, WEXITED | WNOWAIT);
}

static void wait4_by_group(void)
{
    pid_t mine = exiting_child(1, -1), grouped = exiting_child(2, 0);
    until_zombie(mine);
    until_zombie(grouped);
    int status = 0;
    pid_t got = wait4(-grouped, &status, 0, NULL);
    printf("wait4(-pgid) took the child of that group: %s (%s)\n", got == grouped ? "yes" : "no",
           status_text(status));
    printf("wait4(-pgid) again: %s\n", outcome(wait4(-grouped, &status, 0, NULL)));
    got = wait4(0, &status, 0, NULL);
    printf("wait4(0) took the child of my group: %s (%s)\n", got == mine ? "yes" : "no",
           status_text(status));
    printf("wait4(0) again: %s\n", outcome(wait4(0, &status, WNOHANG, NULL)));
}

static void print_info(const char *what, long result, const siginfo_t *info, pid_t expected)
{
    printf("%s: %s; signo %d, code %d, pid %s, uid %d, status %d\n", what, outcome(result),
           info->si_signo, info->si_code,
           info->si_pid == expected ? "right" : (info->si_pid == 0 ? "0" : "other"),
           (int)info->si_uid, info->si_status);
}

static void waitid_cases(void)
{
    siginfo_t info;
    pid_t child = exiting_child(3, -1);
    until_zombie(child);
    memset(&info, 0x5a, sizeof info);
    long result = waitid(P_PID, child, &info, WEXITED | WNOWAIT);
    print_info("waitid(P_PID, WNOWAIT)", result, &info, child);
    int status = 0;
    printf("  still there for wait4: %s\n",
           waitpid(child, &status, WNOHANG) == child ? "yes" : "no");

    child = exiting_child(4, 0);
    until_zombie(child);
    memset(&info, 0x5a, sizeof info);
    struct rusage usage;
    result = syscall(SYS_waitid, P_PGID, child, &info, WEXITED, &usage);
    print_info("waitid(P_PGID, its group)", result, &info, child);
    printf("  then gone: %s\n", outcome(waitid(P_PID, child, &info, WEXITED | WNOHANG)));

    fflush(stdout);
    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    memset(&info, 0x5a, sizeof info);
    result = waitid(P_ALL, 0, &info, WEXITED | WNOHANG);
    print_info("waitid(P_ALL, WNOHANG) while it runs", result, &info, child);
    kill(child, SIGKILL);
    memset(&info, 0x5a, sizeof info);
    result = waitid(P_ALL, 0, &info, WEXITED);
    print_info("waitid(P_ALL) after SIGKILL", result, &info, child);

    child = exiting_child(0, 0);
    until_zombie(child);
    memset(&info, 0x5a, sizeof info);
    result = waitid(P_PGID, 0, &info, WEXITED | WNOHANG);
    print_info("waitid(P_PGID, 0: my group) with the child in another", result, &info, child);
    waitpid(child, NULL, 0);
}

static void waitid_errors(void)
{
    siginfo_t info;
    memset(&info, 0x5a, sizeof info);
    print_info("waitid(no options)", waitid(P_ALL, 0, &info, 0), &info, 0);
    memset(&info, 0x5a, sizeof info);
    print_info("waitid(P_PID, 0)", waitid(P_PID, 0, &info, WEXITED), &info, 0);
    memset(&info, 0x5a, sizeof info);
    print_info("waitid(idtype 9)", waitid((idtype_t)9, 0, &info, WEXITED), &info, 0);
    memset(&info, 0x5a, sizeof info);
    print_info("waitid(P_ALL) with no children", waitid(P_ALL, 0, &info, WEXITED), &info, 0);
    printf("waitid(bad infop): %s\n",
           outcome(syscall(SYS_waitid, P_ALL, 0, (void *)16, WEXITED, NULL)));
    printf("waitid(NULL infop): %s\n", outcome(syscall(SYS_waitid, P_ALL, 0, NULL, WEXITED, NULL)));
}

static void exit_on_usr1(int sig)
{
    (void)sig;
    _exit(3);
}

/* A child that waits for signals (SIGUSR1: exit 3), in its own group or in mine;
 * returned once its handler is in place. */
static pid_t pausing_child(bool own_group)
{
    int ready[2];
    pipe(ready);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, exit_on_usr1);
        if (own_group)
            setpgid(0, 0);
        write(ready[1], "r", 1);
        for (;;)
            pause();
    }
    if (own_group)
        setpgid(pid, pid);
    char byte;
    read(ready[0], &byte, 1);
    close(ready[0]);
    close(ready[1]);
    return pid;
}

/* waitid sees stops and continues (WSTOPPED, WCONTINUED). */
static void stops_and_continues(void)
{
    siginfo_t info;
    pid_t child = pausing_child(true);
    kill(child, SIGSTOP);
    memset(&info, 0x5a, sizeof info);
    print_info("waitid(WSTOPPED) after SIGSTOP", waitid(P_PID, child, &info, WSTOPPED), &info,
               child);
    kill(child, SIGCONT);
    memset(&info, 0x5a, sizeof info);
    print_info("waitid(WCONTINUED) after SIGCONT", waitid(P_PID, child, &info, WCONTINUED), &info,
               child);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

/* SIGTSTP stops a child whose group has a parent in another group of the session
 * (mine); in my group, which no process of this session can continue (my parent
 * is in another session), the group is orphaned and SIGTSTP stops nothing. */
static void orphaned_groups(void)
{
    pid_t child = pausing_child(true);
    kill(child, SIGTSTP);
    int status = 0;
    waitpid(child, &status, WUNTRACED);
    printf("SIGTSTP to a child in a group of its own: %s\n",
           WIFSTOPPED(status) ? "stopped" : status_text(status));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    child = pausing_child(false);
    kill(child, SIGTSTP);
    kill(child, SIGUSR1);
    waitpid(child, &status, WUNTRACED);
    printf("SIGTSTP to a child in my orphaned group: %s\n",
           WIFSTOPPED(status) ? "stopped" : status_text(status));
}

void wait_tests(void)
{
    wait4_by_group();
    waitid_cases();
    waitid_errors();
    stops_and_continues();
    orphaned_groups();
}
