/*
 * itimer.c — alarm, setitimer, getitimer: what the calls return (alarm's
 * rounding, the old value, the interval kept), their EINVAL and EFAULT rules,
 * that fork does not pass a timer on, and that an expired timer's signal
 * (default action: terminate) ends a sleeping or busy process.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void alarm_returns(void)
{
    printf("alarm(5): %u\n", alarm(5));
    printf("alarm(3): %u\n", alarm(3));
    pid_t child = fork();
    if (child == 0) {
        printf("child's alarm(0) (fork passes none on): %u\n", alarm(0));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("alarm(0): %u\n", alarm(0));
    printf("alarm(0) again: %u\n", alarm(0));
}

static void print_itimer(const char *what, const struct itimerval *v)
{
    printf("%s: interval %ld.%06ld, value %s\n", what, (long)v->it_interval.tv_sec,
           (long)v->it_interval.tv_usec,
           v->it_value.tv_sec == 0 && v->it_value.tv_usec == 0 ? "0" : "running");
}

static void set_and_get(void)
{
    struct itimerval v = { { 0, 200000 }, { 10, 0 } }, old, now;
    show("setitimer REAL 10 s, interval 0.2 s", setitimer(ITIMER_REAL, &v, &old));
    print_itimer("  old", &old);
    getitimer(ITIMER_REAL, &now);
    print_itimer("getitimer REAL", &now);
    printf("  value at most 10 s and more than 9 s: %s\n",
           yes_no((now.it_value.tv_sec == 9) ||
                  (now.it_value.tv_sec == 10 && now.it_value.tv_usec == 0)));
    struct itimerval off = { { 0, 300000 }, { 0, 0 } };
    show("setitimer REAL 0 (off), interval 0.3 s", setitimer(ITIMER_REAL, &off, &old));
    print_itimer("  old", &old);
    getitimer(ITIMER_REAL, &now);
    print_itimer("getitimer REAL (the interval is not kept)", &now);
    struct itimerval cpu = { { 0, 0 }, { 1, 0 } };
    setitimer(ITIMER_VIRTUAL, &cpu, NULL);
    getitimer(ITIMER_VIRTUAL, &now);
    /* Linux adds a tick (1 to 10 ms, by its HZ) to a CPU-time timer */
    printf("getitimer VIRTUAL after 1 s: within 1.1 s: %s\n",
           yes_no(now.it_value.tv_sec == 0 ||
                  (now.it_value.tv_sec == 1 && now.it_value.tv_usec < 100000)));
    setitimer(ITIMER_VIRTUAL, &off, NULL);
}

static void rules(void)
{
    struct itimerval v = { { 0, 0 }, { 1, 0 } }, now;
    show("setitimer which 3", syscall(SYS_setitimer, 3, &v, NULL));
    show("getitimer which -1", syscall(SYS_getitimer, -1, &now));
    struct itimerval bad_usec = { { 0, 0 }, { 0, 1000000 } };
    show("setitimer tv_usec 1000000", syscall(SYS_setitimer, ITIMER_REAL, &bad_usec, NULL));
    struct itimerval bad_interval = { { 0, -1 }, { 1, 0 } };
    show("setitimer interval tv_usec -1", syscall(SYS_setitimer, ITIMER_REAL, &bad_interval, NULL));
    struct itimerval negative = { { 0, 0 }, { -1, 0 } };
    show("setitimer tv_sec -1", syscall(SYS_setitimer, ITIMER_REAL, &negative, NULL));
    show("setitimer bad new pointer", syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL));
    show("getitimer bad pointer", syscall(SYS_getitimer, ITIMER_REAL, (void *)8));
    getitimer(ITIMER_REAL, &now);
    print_itimer("getitimer REAL after the refusals", &now);
}

/* A child whose timer runs out dies of the timer's signal: "killed by 14". */
static void dies_of(const char *what, int which, int busy)
{
    long long start = monotonic_ns();
    pid_t child = fork();
    if (child == 0) {
        struct itimerval v = { { 0, 0 }, { 0, 30000 } }; /* 30 ms */
        setitimer(which, &v, NULL);
        if (busy) {
            while (monotonic_ns() - start < 5000 * NS_PER_MS)
                ;
        } else {
            struct timespec long_sleep = { 5, 0 };
            nanosleep(&long_sleep, NULL);
        }
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("%s: %s %d, within 2 s: %s\n", what, WIFSIGNALED(status) ? "killed by" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
           yes_no(monotonic_ns() - start < 2000 * NS_PER_MS));
}

static volatile sig_atomic_t alarms;

static void count_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* A periodic ITIMER_REAL with a SIGALRM handler: five signals, 10 ms apart,
 * caught while pause() waits; then one ends a read of an empty pipe (EINTR, as
 * the handler has no SA_RESTART). */
static void caught(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = count_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval every_10ms = { { 0, 10000 }, { 0, 10000 } }, off = { { 0, 0 }, { 0, 0 } };
    long long start = monotonic_ns();
    setitimer(ITIMER_REAL, &every_10ms, NULL);
    while (alarms < 5)
        pause();
    setitimer(ITIMER_REAL, &off, NULL);
    long long took = monotonic_ns() - start;
    printf("ITIMER_REAL every 10 ms, 5 SIGALRMs caught: at least 50 ms: %s, under 1 s: %s\n",
           yes_no(took >= 50 * 1000000LL), yes_no(took < 1000 * 1000000LL));
    int fds[2];
    pipe(fds);
    alarms = 0;
    struct itimerval once = { { 0, 0 }, { 0, 30000 } };
    setitimer(ITIMER_REAL, &once, NULL);
    char c;
    long n = read(fds[0], &c, 1);
    printf("read of an empty pipe, SIGALRM after 30 ms: %ld %s, caught: %d\n", n,
           n < 0 ? errno_name(errno) : "", (int)alarms);
    close(fds[0]);
    close(fds[1]);
    signal(SIGALRM, SIG_DFL);
}

void itimer_tests(void)
{
    printf("== interval timers\n");
    alarm_returns();
    set_and_get();
    rules();
    caught();
    dies_of("sleeping child, ITIMER_REAL 30 ms", ITIMER_REAL, 0);
    dies_of("busy child, ITIMER_REAL 30 ms", ITIMER_REAL, 1);
    dies_of("busy child, ITIMER_VIRTUAL 30 ms", ITIMER_VIRTUAL, 1);
    dies_of("busy child, ITIMER_PROF 30 ms", ITIMER_PROF, 1);
}
