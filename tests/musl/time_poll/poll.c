/*
 * poll.c — poll and ppoll: what each end of a pipe reports in each state, the
 * files that are always ready, bad descriptors, the limits and the time limits.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define EVERYTHING (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLWRNORM | POLLRDBAND | POLLWRBAND)

/* poll one descriptor for every event, at once: "what: result revents". */
static void poll_one(const char *what, int fd, short events)
{
    struct pollfd p = { fd, events, 0x7777 };
    int n = poll(&p, 1, 0);
    if (n < 0)
        printf("poll %s: -1 %s\n", what, errno_name(errno));
    else
        printf("poll %s: %d revents %#x\n", what, n, (unsigned)(unsigned short)p.revents);
}

static void pipe_states(void)
{
    int fds[2];
    pipe(fds);
    poll_one("empty pipe, read end", fds[0], EVERYTHING);
    poll_one("empty pipe, write end", fds[1], EVERYTHING);
    poll_one("empty pipe, write end, POLLIN only", fds[1], POLLIN);
    write(fds[1], "hello", 5);
    poll_one("5 bytes, read end", fds[0], EVERYTHING);
    poll_one("5 bytes, read end, POLLOUT only", fds[0], POLLOUT);
    poll_one("5 bytes, read end, no events", fds[0], 0);
    close(fds[1]);
    poll_one("5 bytes, writer closed, read end", fds[0], EVERYTHING);
    poll_one("5 bytes, writer closed, read end, no events", fds[0], 0);
    char buf[16];
    read(fds[0], buf, sizeof buf);
    poll_one("drained, writer closed, read end", fds[0], EVERYTHING);
    close(fds[0]);

    pipe(fds);
    close(fds[0]);
    poll_one("reader closed, write end", fds[1], EVERYTHING);
    poll_one("reader closed, write end, no events", fds[1], 0);
    close(fds[1]);
}

/* Fill a pipe with 4 KiB writes until EAGAIN; the write end is not writable then,
 * nor after a 1-byte read (its page still holds the rest), but is after 4 KiB. */
static void full_pipe(void)
{
    int fds[2];
    pipe2(fds, O_NONBLOCK);
    static char page[4096];
    long total = 0, n;
    while ((n = write(fds[1], page, sizeof page)) > 0)
        total += n;
    printf("pipe filled with 4 KiB writes: %ld bytes, then %s\n", total, errno_name(errno));
    poll_one("full pipe, write end", fds[1], EVERYTHING);
    poll_one("full pipe, read end", fds[0], EVERYTHING);
    read(fds[0], page, 1);
    poll_one("full pipe less 1 byte, write end", fds[1], EVERYTHING);
    read(fds[0], page, sizeof page - 1);
    poll_one("full pipe less 4 KiB, write end", fds[1], EVERYTHING);
    close(fds[0]);
    close(fds[1]);
}

#define SCRATCH_FILE "/tmp/time_poll.scratch"

static void always_ready(void)
{
    int null = open("/dev/null", O_RDWR), zero = open("/dev/zero", O_RDONLY);
    int self = open(SCRATCH_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);
    int root = open("/", O_RDONLY | O_DIRECTORY);
    unlink(SCRATCH_FILE);
    poll_one("/dev/null", null, EVERYTHING);
    poll_one("/dev/zero (read-only)", zero, EVERYTHING);
    poll_one("a regular file", self, EVERYTHING);
    poll_one("a directory", root, EVERYTHING);
    close(null);
    close(zero);
    close(self);
    close(root);
}

/* Several entries at once: bad ones, skipped ones, duplicates. */
static void many_entries(void)
{
    int fds[2];
    pipe(fds);
    write(fds[1], "x", 1);
    struct pollfd p[6] = {
        { fds[0], POLLIN, 0 },  { -1, POLLIN, 0x55 }, { 99, POLLIN, 0 },
        { fds[1], POLLOUT, 0 }, { fds[0], 0, 0 },     { -5, 0, 0 },
    };
    int n = poll(p, 6, 0);
    printf("poll 6 entries (ready, -1, closed 99, writable, no events, -5): %d revents", n);
    for (int i = 0; i < 6; i++)
        printf(" %#x", (unsigned)(unsigned short)p[i].revents);
    printf("\n");
    show("poll 0 entries, timeout 0", poll(NULL, 0, 0));
    show("poll NULL array of 1", poll(NULL, 1, 0));
    struct rlimit limit = { 1024, 1024 };
    getrlimit(RLIMIT_NOFILE, &limit); /* vmlab without getrlimit: 1024, its limit */
    if (limit.rlim_cur > (1 << 20))
        limit.rlim_cur = 1 << 20;
    struct pollfd *big = calloc(limit.rlim_cur + 1, sizeof *big);
    for (rlim_t i = 0; i <= limit.rlim_cur; i++)
        big[i].fd = -1;
    show("poll RLIMIT_NOFILE + 1 entries", poll(big, limit.rlim_cur + 1, 0));
    free(big);
    close(fds[0]);
    close(fds[1]);
}

/* Time limits: an empty pipe is never ready, so poll waits out its timeout. */
static void time_limits(void)
{
    int fds[2];
    pipe(fds);
    struct pollfd p = { fds[0], POLLIN, 0 };
    long long start = monotonic_ns();
    int n = poll(&p, 1, 30);
    long long waited = monotonic_ns() - start;
    printf("poll empty pipe, 30 ms: %d, waited at least 30 ms: %s, under 1 s: %s\n", n,
           yes_no(waited >= 30 * NS_PER_MS), yes_no(waited < 1000 * NS_PER_MS));

    struct timespec ts = { 0, 20 * NS_PER_MS };
    start = monotonic_ns();
    n = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
    waited = monotonic_ns() - start;
    printf("ppoll empty pipe, 20 ms: %d, waited at least 20 ms: %s, time left written: %ld.%09ld\n",
           n, yes_no(waited >= 20 * NS_PER_MS), (long)ts.tv_sec, ts.tv_nsec);
    struct timespec bad = { 0, 1000000000 };
    show("ppoll tv_nsec 1000000000", syscall(SYS_ppoll, &p, 1, &bad, NULL, 8));
    struct timespec negative = { -1, 0 };
    show("ppoll tv_sec -1", syscall(SYS_ppoll, &p, 1, &negative, NULL, 8));
    show("ppoll bad timespec pointer", syscall(SYS_ppoll, &p, 1, (void *)8, NULL, 8));
    sigset_t mask;
    sigemptyset(&mask);
    struct timespec zero = { 0, 0 };
    show("ppoll sigsetsize 4", syscall(SYS_ppoll, &p, 1, &zero, &mask, 4));
    show("ppoll with a mask, sigsetsize 8", syscall(SYS_ppoll, &p, 1, &zero, &mask, 8));
    write(fds[1], "y", 1);
    ts = (struct timespec){ 5, 0 };
    n = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
    printf("ppoll ready pipe, 5 s: %d, time left between 4 and 5 s: %s\n", n,
           yes_no(ts.tv_sec == 4 || (ts.tv_sec == 5 && ts.tv_nsec == 0)));
    close(fds[0]);
    close(fds[1]);
}

/* A poll without time limit is woken by what a child does to the pipe. */
static void woken_by_child(const char *what, int close_instead)
{
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = { 0, 30 * NS_PER_MS };
        nanosleep(&pause, NULL);
        if (!close_instead)
            write(fds[1], "z", 1);
        _exit(0);
    }
    if (close_instead)
        close(fds[1]); /* else the parent's write end keeps the pipe from hanging up */
    struct pollfd p = { fds[0], POLLIN, 0 };
    int n = poll(&p, 1, -1);
    printf("poll without limit, child %s: %d revents %#x\n", what, n,
           (unsigned)(unsigned short)p.revents);
    waitpid(child, NULL, 0);
    close(fds[0]);
    if (!close_instead)
        close(fds[1]);
}

void poll_tests(void)
{
    printf("== poll\n");
    pipe_states();
    full_pipe();
    always_ready();
    many_entries();
    time_limits();
    woken_by_child("writes", 0);
    woken_by_child("exits (last writer gone)", 1);
}
