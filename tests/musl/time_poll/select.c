/*
 * select.c — select and pselect6 (raw system calls, so that what the kernel
 * writes back into the timeout shows): the pipe states as bit sets, EBADF for a
 * set bit on a closed descriptor, EINVAL rules, time limits, a wake-up.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

struct timeval_k {
    long sec, usec;
};

static long raw_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval_k *tv)
{
    return syscall(SYS_select, n, r, w, e, tv);
}

/* Which of fds[0..count) are in set, as "{3 4}". */
static void print_set(const char *name, const fd_set *set, const int *fds, int count)
{
    printf(" %s{", name);
    const char *sep = "";
    for (int i = 0; i < count; i++) {
        if (FD_ISSET(fds[i], set)) {
            printf("%s%d", sep, i);
            sep = " ";
        }
    }
    printf("}");
}

/* select every descriptor of fds in all three sets, at once; print which index
 * came back in which set. */
static void select_all(const char *what, const int *fds, int count)
{
    fd_set r, w, e;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    int top = 0;
    for (int i = 0; i < count; i++) {
        FD_SET(fds[i], &r);
        FD_SET(fds[i], &w);
        FD_SET(fds[i], &e);
        top = fds[i] + 1 > top ? fds[i] + 1 : top;
    }
    struct timeval_k tv = { 0, 0 };
    long n = raw_select(top, &r, &w, &e, &tv);
    if (n < 0) {
        printf("select %s: -1 %s\n", what, errno_name(errno));
        return;
    }
    printf("select %s: %ld", what, n);
    print_set("read", &r, fds, count);
    print_set(" write", &w, fds, count);
    print_set(" except", &e, fds, count);
    printf("\n");
}

static void pipe_states(void)
{
    int a[2], b[2], c[2];
    pipe(a);
    pipe(b);
    pipe(c);
    write(b[1], "data", 4);
    close(c[1]); /* c's read end: hung up */
    int fds[5] = { a[0], a[1], b[0], b[1], c[0] };
    select_all("(empty r, empty w, data r, data w, hung-up r)", fds, 5);
    int d[2];
    pipe(d);
    close(d[0]);
    select_all("(write end without reader)", &d[1], 1);
    int null = open("/dev/null", O_RDWR);
    select_all("(/dev/null)", &null, 1);
    close(null);
    close(d[1]);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
    close(c[0]);
}

static void rules(void)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(40, &r); /* not open (and below 64: Linux cuts nfds at its table's size) */
    struct timeval_k tv = { 0, 0 };
    show("select a closed fd in the read set", raw_select(41, &r, NULL, NULL, &tv));
    FD_ZERO(&r);
    show("select nfds -1", raw_select(-1, &r, NULL, NULL, &tv));
    struct timeval_k negative = { -1, 0 };
    show("select tv_sec -1", raw_select(1, &r, NULL, NULL, &negative));
    struct timeval_k negative_usec = { 0, -1 };
    show("select tv_usec -1", raw_select(1, &r, NULL, NULL, &negative_usec));
    show("select no sets, timeout 0", raw_select(5, NULL, NULL, NULL, &tv));
    show("select bad read set", raw_select(5, (fd_set *)8, NULL, NULL, &tv));
    show("select bad timeout", raw_select(5, NULL, NULL, NULL, (struct timeval_k *)8));
    struct {
        const sigset_t *mask;
        size_t size;
    } sig = { NULL, 8 };
    sigset_t mask;
    sigemptyset(&mask);
    struct timespec zero = { 0, 0 };
    show("pselect6 without mask", syscall(SYS_pselect6, 1, NULL, NULL, NULL, &zero, &sig));
    sig.mask = &mask;
    sig.size = 4;
    show("pselect6 sigsetsize 4", syscall(SYS_pselect6, 1, NULL, NULL, NULL, &zero, &sig));
    sig.size = 8;
    show("pselect6 sigsetsize 8", syscall(SYS_pselect6, 1, NULL, NULL, NULL, &zero, &sig));
    struct timespec bad = { 0, 1000000000 };
    show("pselect6 tv_nsec 1000000000", syscall(SYS_pselect6, 1, NULL, NULL, NULL, &bad, &sig));
}

static void time_limits(void)
{
    int fds[2];
    pipe(fds);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    struct timeval_k tv = { 0, 25000 };
    long long start = monotonic_ns();
    long n = raw_select(fds[0] + 1, &r, NULL, NULL, &tv);
    long long waited = monotonic_ns() - start;
    printf("select empty pipe, 25 ms: %ld, waited at least 25 ms: %s, set cleared: %s, "
           "time left %ld.%06ld\n",
           n, yes_no(waited >= 25 * NS_PER_MS), yes_no(!FD_ISSET(fds[0], &r)), tv.sec, tv.usec);
    struct timespec ts = { 0, 15 * NS_PER_MS };
    FD_SET(fds[0], &r);
    start = monotonic_ns();
    n = syscall(SYS_pselect6, fds[0] + 1, &r, NULL, NULL, &ts, NULL);
    waited = monotonic_ns() - start;
    printf("pselect6 empty pipe, 15 ms: %ld, waited at least 15 ms: %s, time left %ld.%09ld\n", n,
           yes_no(waited >= 15 * NS_PER_MS), (long)ts.tv_sec, ts.tv_nsec);
    write(fds[1], "q", 1);
    FD_SET(fds[0], &r);
    tv = (struct timeval_k){ 3, 0 };
    n = raw_select(fds[0] + 1, &r, NULL, NULL, &tv);
    printf("select ready pipe, 3 s: %ld, time left between 2 and 3 s: %s\n", n,
           yes_no(tv.sec == 2 || (tv.sec == 3 && tv.usec == 0)));
    close(fds[0]);
    close(fds[1]);
}

static void woken_by_child(void)
{
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = { 0, 30 * NS_PER_MS };
        nanosleep(&pause, NULL);
        write(fds[1], "z", 1);
        _exit(0);
    }
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    long n = raw_select(fds[0] + 1, &r, NULL, NULL, NULL);
    printf("select without limit, child writes: %ld, readable: %s\n", n,
           yes_no(FD_ISSET(fds[0], &r)));
    waitpid(child, NULL, 0);
    close(fds[0]);
    close(fds[1]);
}

void select_tests(void)
{
    printf("== select\n");
    pipe_states();
    rules();
    time_limits();
    woken_by_child();
}
