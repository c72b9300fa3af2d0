/*
 * batch_runner.c — runs several test programs in one boot, one after the other, so
 * that tests/boot/musl-diff.sh and user-programs.sh pay QEMU's start-up once per
 * batch, not per program.
 *
 *   batch_runner --batch SECONDS COUNT PROGRAM [ARG]... COUNT PROGRAM [ARG]... ...
 *
 * Each group is COUNT words: the program's path (its argv[0]) and its arguments.
 * The runner is init (pid 1) on vmlab. For each program it forks, the child execs it
 * with the runner's own fds 0, 1 and 2 (the console, as a program that is init
 * itself gets), and the runner waits for it, killing it after SECONDS. Around each
 * program's output it writes delimiter lines that start with a byte no test prints
 * (0x02):
 *
 *   \002batch begin I\n   ...the program's bytes...   \n\002batch end I STATUS\n
 *
 * STATUS is as a shell tells it: the exit code, 128 + N for signal N, and 124 if
 * the program ran out of time. The newline before the end line is always
 * written, so the host strips exactly one. Processes a program leaves behind are
 * killed and reaped before the next one starts: each program gets the machine
 * as it would after booting alone, minus what the kernel keeps (page cache, /tmp).
 * Without --batch it prints its usage and exits 0 (make user-test-host runs every
 * program here with two arguments of its own).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STATUS_TIMED_OUT 124 /* what timeout(1) and tests/run-elf say */
#define MARK             "\002batch"

static volatile sig_atomic_t alarm_rang;

/* SIGALRM's handler: only notes it; the wait it interrupts sees EINTR. */
static void on_alarm(int sig)
{
    (void)sig;
    alarm_rang = 1;
}

/* Writes all of TEXT to fd 1, unbuffered, so it lands between the programs' bytes
 * in the order they happen. */
static void say(const char *text)
{
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(1, text, left);
        if (n <= 0 && errno != EINTR)
            return;
        if (n > 0) {
            text += n;
            left -= (size_t)n;
        }
    }
}

/* Starts ARGV[0] with ARGV in a child; returns its pid, or -1. */
static pid_t start(char **argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGALRM, SIG_DFL);
        execv(argv[0], argv);
        _exit(127); /* as a shell says for a program it cannot run */
    }
    return pid;
}

/* Waits for PID, killing it with SIGKILL once SECONDS have passed; reaps any other
 * child met on the way. Returns the status as a shell reports it. */
static int wait_for(pid_t pid, unsigned seconds)
{
    int timed_out = 0, wstatus = 0;
    alarm_rang = 0;
    alarm(seconds);
    for (;;) {
        pid_t got = waitpid(-1, &wstatus, 0);
        if (got == pid)
            break;
        if (got < 0 && errno == EINTR && alarm_rang && !timed_out) {
            timed_out = 1;
            kill(pid, SIGKILL);
        } else if (got < 0 && errno == ECHILD) {
            break; /* cannot happen: PID is ours */
        }
    }
    alarm(0);
    if (timed_out)
        return STATUS_TIMED_OUT;
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return WEXITSTATUS(wstatus);
}

/* Kills and reaps whatever the last program left behind (its orphans are ours). */
static void clear_leftovers(void)
{
    kill(-1, SIGKILL); /* everyone but ourselves */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        ;
}

/* Runs program number INDEX (ARGV, null-terminated) with the delimiters around. */
static void run_one(int index, char **argv, unsigned seconds)
{
    char line[64];
    snprintf(line, sizeof line, MARK " begin %d\n", index);
    say(line);
    pid_t pid = start(argv);
    int status = pid < 0 ? 127 : wait_for(pid, seconds);
    clear_leftovers();
    snprintf(line, sizeof line, "\n" MARK " end %d %d\n", index, status);
    say(line);
}

int main(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "--batch") != 0) {
        printf("usage: batch_runner --batch SECONDS COUNT PROGRAM [ARG]... ...\n");
        return 0;
    }
    struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: wait sees EINTR */
    sigaction(SIGALRM, &sa, NULL);
    unsigned seconds = (unsigned)atoi(argv[2]);
    int at = 3, index = 0;
    while (at < argc) {
        int count = atoi(argv[at]);
        if (count < 1 || at + 1 + count > argc) {
            fprintf(stderr, "batch_runner: bad group at word %d\n", at);
            return 2;
        }
        char **group = &argv[at + 1];
        char *after = group[count];
        group[count] = NULL; /* the next group's count, put back below */
        run_one(index++, group, seconds);
        group[count] = after;
        at += 1 + count;
    }
    return 0;
}
