/*
 * groups.c — process groups and sessions with Linux's rules: who may move whom
 * (setpgid: the caller or a child not yet exec'd, in the same session, never a
 * session leader), into which group (its own new one or one of the session), and
 * setsid's refusal for a group leader. Runs in a session leader (main.c).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define NO_SUCH_PID 99999

static void ids_of_a_leader(void)
{
    pid_t me = getpid();
    printf("session leader: getsid(0) %s, getpgrp() %s, getpgid(0) %s, getsid(me) %s\n",
           getsid(0) == me ? "me" : "other", getpgrp() == me ? "me" : "other",
           getpgid(0) == me ? "me" : "other", getsid(me) == me ? "me" : "other");
    printf("setsid again: %s\n", outcome(setsid()));
    printf("setpgid(0, 0) by a session leader: %s\n", outcome(setpgid(0, 0)));
    printf("setpgid(0, -1): %s\n", outcome(setpgid(0, -1)));
    printf("setpgid(no such pid, 0): %s\n", outcome(setpgid(NO_SUCH_PID, 0)));
    printf("setpgid(my parent, 0): %s\n", outcome(setpgid(getppid(), 0)));
    printf("getpgid(no such pid): %s\n", outcome(getpgid(NO_SUCH_PID)));
    printf("getsid(no such pid): %s\n", outcome(getsid(NO_SUCH_PID)));
    printf("getpgid(-1): %s\n", outcome(getpgid(-1)));
}

/* A child that waits until its stdin (a pipe from us) is closed. */
static pid_t waiting_child(int *release_fd)
{
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        dup2(p[0], 0);
        _exit(wait_for_stdin_eof());
    }
    close(p[0]);
    *release_fd = p[1];
    return pid;
}

static void release(pid_t pid, int fd)
{
    close(fd);
    waitpid(pid, NULL, 0);
}

static void moving_a_child(void)
{
    int fd;
    pid_t me = getpid(), child = waiting_child(&fd);
    printf("a child starts in my group: %s, my session: %s\n", getpgid(child) == me ? "yes" : "no",
           getsid(child) == me ? "yes" : "no");
    printf("setpgid(child, child): %s, ", outcome(setpgid(child, child)));
    printf("its group is its pid: %s\n", getpgid(child) == child ? "yes" : "no");
    printf("setpgid(child, 0) again: %s\n", outcome(setpgid(child, 0)));
    printf("setpgid(child, my group): %s, ", outcome(setpgid(child, me)));
    printf("back in mine: %s\n", getpgid(child) == me ? "yes" : "no");
    printf("setpgid(child, a group that does not exist): %s\n",
           outcome(setpgid(child, NO_SUCH_PID)));
    setpgid(child, child);
    printf("kill(-its group, 0): %s\n", outcome(kill(-child, 0)));
    printf("kill(-no such group, 0): %s\n", outcome(kill(-NO_SUCH_PID, 0)));
    printf("kill(0, 0): %s\n", outcome(kill(0, 0)));
    printf("kill(-its group, SIGTERM): %s, ", outcome(kill(-child, SIGTERM)));
    int status = 0;
    waitpid(child, &status, 0);
    printf("the child %s\n", status_text(status));
    close(fd);
}

/* A child that has run execve can no longer be moved (EACCES). The new program
 * says it runs (on a pipe) before the test: vfork returns a little before execve
 * is done, and Linux allows the move until then. */
static void moving_an_execd_child(const char *self)
{
    int p[2], running[2];
    pipe(p);
    pipe(running);
    fflush(stdout);
    pid_t child = vfork();
    if (child == 0) {
        dup2(p[0], 0);
        dup2(running[1], 1);
        close(p[0]);
        close(p[1]);
        execl(self, self, "wait-stdin", (char *)NULL);
        _exit(127);
    }
    close(p[0]);
    close(running[1]);
    char byte;
    read(running[0], &byte, 1);
    close(running[0]);
    printf("setpgid(a child after execve, its pid): %s\n", outcome(setpgid(child, child)));
    release(child, p[1]);
}

/* A child in a session of its own cannot be moved (EPERM), nor be joined. */
static void child_in_another_session(void)
{
    int ready[2], fd;
    pipe(ready);
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(p[1]);
        setsid();
        write(ready[1], "x", 1);
        dup2(p[0], 0);
        _exit(wait_for_stdin_eof());
    }
    close(p[0]);
    fd = p[1];
    char byte;
    read(ready[0], &byte, 1);
    printf("a child that called setsid: its session is its pid: %s\n",
           getsid(child) == child ? "yes" : "no");
    printf("setpgid(that child, its pid): %s\n", outcome(setpgid(child, child)));
    printf("setpgid(0, that child's group): %s\n", outcome(setpgid(0, child)));
    release(child, fd);
    close(ready[0]);
    close(ready[1]);
}

/* A group leader that is not a session leader cannot start a session. */
static int setsid_as_group_leader(void)
{
    printf("in a child: setpgid(0, 0): %s, ", outcome(setpgid(0, 0)));
    printf("setsid: %s\n", outcome(setsid()));
    fflush(stdout);
    return 0;
}

static int setsid_as_member(void)
{
    long sid = setsid();
    printf("in a child still in my group: setsid gives its pid: %s, ",
           sid == getpid() ? "yes" : "no");
    printf("then getpgrp: %s\n", getpgrp() == getpid() ? "its pid" : "other");
    fflush(stdout);
    return 0;
}

void group_tests(const char *self)
{
    ids_of_a_leader();
    moving_a_child();
    moving_an_execd_child(self);
    child_in_another_session();
    in_child(setsid_as_group_leader);
    in_child(setsid_as_member);
}
