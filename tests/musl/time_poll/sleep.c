/*
 * sleep.c — nanosleep and clock_nanosleep: which clocks can be slept on, the
 * argument rules and their order, TIMER_ABSTIME (a moment past returns at once,
 * a moment ahead is waited for), and precision: a 1 ms sleep lasts about 1 ms.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define TIMER_ABSTIME_FLAG 1
#define PRECISION_SLEEPS   200
#define PRECISION_BOUND_MS 1500

static long raw_clock_nanosleep(long clock, long flags, const struct timespec *request,
                                struct timespec *left)
{
    return syscall(SYS_clock_nanosleep, clock, flags, request, left);
}

static void rules(void)
{
    struct timespec zero = { 0, 0 }, bad_nsec = { 0, 1000000000 }, negative = { -1, 0 };
    static const struct {
        const char *name;
        long clock;
    } clocks[] = {
        { "CLOCK_REALTIME", CLOCK_REALTIME },
        { "CLOCK_MONOTONIC", CLOCK_MONOTONIC },
        { "CLOCK_BOOTTIME", CLOCK_BOOTTIME },
        { "CLOCK_TAI", 11 },
        { "CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW },
        { "CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE },
        { "CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE },
        { "CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID },
        { "clock 10 (none)", 10 },
        { "clock 100 (none)", 100 },
    };
    char what[96];
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        snprintf(what, sizeof what, "clock_nanosleep %s 0 s", clocks[i].name);
        show(what, raw_clock_nanosleep(clocks[i].clock, 0, &zero, NULL));
        snprintf(what, sizeof what, "clock_nanosleep %s bad pointer", clocks[i].name);
        show(what, raw_clock_nanosleep(clocks[i].clock, 0, (void *)8, NULL));
    }
    show("clock_nanosleep tv_nsec 1000000000",
         raw_clock_nanosleep(CLOCK_MONOTONIC, 0, &bad_nsec, NULL));
    show("clock_nanosleep tv_sec -1", raw_clock_nanosleep(CLOCK_MONOTONIC, 0, &negative, NULL));
    show("clock_nanosleep ABSTIME tv_sec -1",
         raw_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME_FLAG, &negative, NULL));
    show("clock_nanosleep flags 0x10 (ignored)",
         raw_clock_nanosleep(CLOCK_MONOTONIC, 0x10, &zero, NULL));
    show("nanosleep tv_nsec -1", syscall(SYS_nanosleep, &(struct timespec){ 0, -1 }, NULL));
    show("nanosleep bad pointer", syscall(SYS_nanosleep, (void *)8, NULL));
    printf("musl clock_nanosleep CLOCK_THREAD_CPUTIME_ID: %s\n",
           errno_name(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &zero, NULL)));
}

static void absolute(void)
{
    static const struct {
        const char *name;
        clockid_t clock;
    } clocks[] = {
        { "CLOCK_MONOTONIC", CLOCK_MONOTONIC },
        { "CLOCK_REALTIME", CLOCK_REALTIME },
        { "CLOCK_BOOTTIME", CLOCK_BOOTTIME },
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec past = { 0, 5 }, left = { 7, 7 };
        long long start = monotonic_ns();
        long r = raw_clock_nanosleep(clocks[i].clock, TIMER_ABSTIME_FLAG, &past, &left);
        printf("%s ABSTIME in the past: %ld, at once: %s, left untouched: %s\n", clocks[i].name, r,
               yes_no(monotonic_ns() - start < 100 * NS_PER_MS),
               yes_no(left.tv_sec == 7 && left.tv_nsec == 7));
        struct timespec target;
        clock_gettime(clocks[i].clock, &target);
        target.tv_nsec += 20 * NS_PER_MS;
        if (target.tv_nsec >= 1000000000) {
            target.tv_sec++;
            target.tv_nsec -= 1000000000;
        }
        r = raw_clock_nanosleep(clocks[i].clock, TIMER_ABSTIME_FLAG, &target, NULL);
        struct timespec now;
        clock_gettime(clocks[i].clock, &now);
        int reached = now.tv_sec > target.tv_sec ||
                      (now.tv_sec == target.tv_sec && now.tv_nsec >= target.tv_nsec);
        printf("%s ABSTIME 20 ms ahead: %ld, the clock reached it: %s\n", clocks[i].name, r,
               yes_no(reached));
    }
}

/* 200 sleeps of 1 ms: never shorter than asked, and together well under the
 * 2 s that a 100 Hz tick makes of them (each rounded up to a 10 ms tick). The
 * bound, 1.5 s, leaves room for a busy machine (0.4 s with load 8 on 2 cores). */
static void precision(void)
{
    struct timespec one_ms = { 0, NS_PER_MS };
    int too_short = 0;
    long long start = monotonic_ns();
    for (int i = 0; i < PRECISION_SLEEPS; i++) {
        long long before = monotonic_ns();
        nanosleep(&one_ms, NULL);
        too_short += monotonic_ns() - before < NS_PER_MS;
    }
    long long total = monotonic_ns() - start;
    printf("%d sleeps of 1 ms: none shorter: %s, all under 1.5 s: %s\n", PRECISION_SLEEPS,
           yes_no(too_short == 0), yes_no(total < PRECISION_BOUND_MS * NS_PER_MS));
    start = monotonic_ns();
    for (int i = 0; i < PRECISION_SLEEPS; i++)
        clock_nanosleep(CLOCK_MONOTONIC, 0, &one_ms, NULL);
    total = monotonic_ns() - start;
    printf("%d clock_nanosleeps of 1 ms: at least 200 ms: %s, under 1.5 s: %s\n", PRECISION_SLEEPS,
           yes_no(total >= PRECISION_SLEEPS * NS_PER_MS),
           yes_no(total < PRECISION_BOUND_MS * NS_PER_MS));
}

void sleep_tests(void)
{
    printf("== sleep\n");
    rules();
    absolute();
    precision();
}
