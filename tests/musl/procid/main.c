/*
 * procid — process identity as Linux defines it, printed line by line so that the
 * same static binary gives the same output on Linux and on vmlab
 * (tests/boot/musl-diff.sh compares them):
 *
 *   clone.c    clone's fork and vfork flag sets, the tid flags, posix_spawn, EINVAL
 *   groups.c   setpgid, getpgid, getpgrp, setsid, getsid and their errors; kill -pgid
 *   wait.c     wait4 by group, waitid (P_PID, P_PGID, P_ALL, WNOHANG, WNOWAIT)
 *   ids.c      uid/gid calls (root), getgroups/setgroups, prctl names
 *   limits.c   getrlimit/setrlimit/prlimit64 rules, inheritance, and enforcement:
 *              RLIMIT_STACK (SIGSEGV), RLIMIT_AS and RLIMIT_DATA (ENOMEM), brk
 *
 * It prints no pids: only whether they are the ones expected. Everything runs in a
 * child that starts a session of its own, so the caller's session does not
 * matter. Other modes (argv[1]) are for the programs it runs, and for
 * tests/boot/job-control.sh on vmlab: "defaults" prints the resource limits a
 * process starts with; "tty" asks the console who it belongs to; "sleep NAME"
 * says so and waits for a signal; "refused" tries the clone flag sets only vmlab
 * refuses (threads).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static char text[64];

const char *outcome(long result)
{
    if (result >= 0)
        snprintf(text, sizeof text, "%ld", result);
    else
        snprintf(text, sizeof text, "-1 %s", strerror(errno));
    return text;
}

const char *status_text(int status)
{
    static char described[64];
    if (WIFEXITED(status))
        snprintf(described, sizeof described, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(described, sizeof described, "killed by %s", strsignal(WTERMSIG(status)));
    else
        snprintf(described, sizeof described, "status 0x%x", status);
    return described;
}

int in_child(int (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn());
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

int wait_for_stdin_eof(void)
{
    char byte;
    while (read(0, &byte, 1) > 0)
        ;
    return 0;
}

static const char *const limit_names[] = { "CPU",      "FSIZE", "DATA",   "STACK",
                                           "CORE",     "RSS",   "NPROC",  "NOFILE",
                                           "MEMLOCK",  "AS",    "LOCKS",  "SIGPENDING",
                                           "MSGQUEUE", "NICE",  "RTPRIO", "RTTIME" };

static void print_limit_value(unsigned long value)
{
    if (value == RLIM_INFINITY)
        printf("unlimited");
    else
        printf("%lu", value);
}

/* "defaults": every limit, soft and hard. */
static int print_defaults(void)
{
    for (int r = 0; r < RLIMIT_NLIMITS; r++) {
        struct rlimit l;
        getrlimit(r, &l);
        printf("RLIMIT_%s ", limit_names[r]);
        print_limit_value(l.rlim_cur);
        printf(" ");
        print_limit_value(l.rlim_max);
        printf("\n");
    }
    return 0;
}

/* "nofile": RLIMIT_NOFILE, as execve kept it. */
static int print_nofile(void)
{
    struct rlimit l;
    getrlimit(RLIMIT_NOFILE, &l);
    printf("  after execve: soft %lu, hard %lu\n", (unsigned long)l.rlim_cur,
           (unsigned long)l.rlim_max);
    return 0;
}

/* In a child moved to a background group of its own: read the console, or make
 * its group the foreground; with the job-control signal ignored or not. Its
 * outcome, or how it stopped, as the parent sees it. */
static const char *in_background(bool do_read, bool ignore)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        if (ignore)
            signal(do_read ? SIGTTIN : SIGTTOU, SIG_IGN);
        char byte;
        pid_t mine = getpgrp(), parents = getpgid(getppid());
        long result = do_read ? read(0, &byte, 1) : ioctl(0, TIOCSPGRP, &mine);
        if (!do_read && result == 0)
            ioctl(0, TIOCSPGRP, &parents); /* give the terminal back */
        _exit(result == 0 ? 0 : errno);
    }
    int status = 0;
    waitpid(pid, &status, WUNTRACED);
    if (WIFSTOPPED(status)) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return WSTOPSIG(status) == SIGTTIN
                   ? "stopped by SIGTTIN"
                   : (WSTOPSIG(status) == SIGTTOU ? "stopped by SIGTTOU" : "stopped");
    }
    return WIFEXITED(status) ? (WEXITSTATUS(status) == 0 ? "0" : strerror(WEXITSTATUS(status)))
                             : status_text(status);
}

/* "tty": the console's view of the caller's session (vmlab: under the shell). */
static int print_tty(void)
{
    pid_t group = -1, session = -1;
    int got_group = ioctl(0, TIOCGPGRP, &group), got_session = ioctl(0, TIOCGSID, &session);
    printf("TIOCGPGRP: %d, the foreground is my group: %s\n", got_group,
           group == getpgrp() ? "yes" : "no");
    printf("TIOCGSID: %d, the console's session is mine: %s\n", got_session,
           session == getsid(0) ? "yes" : "no");
    printf("I lead my group: %s\n", getpgrp() == getpid() ? "yes" : "no");
    printf("TIOCSCTTY (not a session leader): %s\n", outcome(ioctl(0, TIOCSCTTY, 0)));
    pid_t nobody = 99999, negative = -2;
    printf("TIOCSPGRP to no group: %s\n", outcome(ioctl(0, TIOCSPGRP, &nobody)));
    printf("TIOCSPGRP to -2: %s\n", outcome(ioctl(0, TIOCSPGRP, &negative)));
    printf("TIOCSPGRP to init's group: %s\n", outcome(ioctl(0, TIOCSPGRP, &(pid_t){ 1 })));
    printf("TIOCGPGRP, bad pointer: %s\n", outcome(ioctl(0, TIOCGPGRP, (pid_t *)16)));
    printf("background read: %s\n", in_background(true, false));
    printf("background read, SIGTTIN ignored: %s\n", in_background(true, true));
    printf("background TIOCSPGRP: %s\n", in_background(false, false));
    printf("background TIOCSPGRP, SIGTTOU ignored: %s\n", in_background(false, true));
    return 0;
}

/* "sleep NAME": say so, and wait for a signal (Ctrl-C). */
static __attribute__((noreturn)) int sleep_for_a_signal(const char *name)
{
    printf("sleeping until a signal: %s\n", name);
    fflush(stdout);
    for (;;)
        pause();
}

static int all_tests_in_a_session(const char *self)
{
    printf("setsid in a fresh child: %s\n", setsid() == getpid() ? "my pid" : "other");
    clone_tests(self);
    group_tests(self);
    wait_tests();
    id_tests();
    limit_tests(self);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    if (argc > 1 && strcmp(argv[1], "defaults") == 0)
        return print_defaults();
    if (argc > 1 && strcmp(argv[1], "tty") == 0)
        return print_tty();
    if (argc > 1 && strcmp(argv[1], "refused") == 0)
        return print_vmlab_refusals();
    if (argc > 1 && strcmp(argv[1], "sleep") == 0)
        return sleep_for_a_signal(argc > 2 ? argv[2] : "");
    if (argc > 1 && strcmp(argv[1], "wait-stdin") == 0)
        return write(1, "r", 1) == 1 ? wait_for_stdin_eof() : 1; /* "running", then wait */
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return argc > 2 ? atoi(argv[2]) : 0;
    if (argc > 1 && strcmp(argv[1], "nofile") == 0)
        return print_nofile();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int code = all_tests_in_a_session(argv[0]);
        fflush(stdout);
        _exit(code);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("the tests' process: %s\n", status_text(status));
    return 0;
}
