/*
 * time_calls — time(2), gettimeofday(2) and clock_getres(2) made as system calls.
 *
 * musl and glibc read the time from the vDSO where the kernel maps one; vmlab maps
 * none, so glibc's static programs (Debian's busybox) make these calls themselves.
 * This program makes them directly (syscall(2)), on Linux and on vmlab alike, and
 * prints facts, never times: the output is the same on every correct kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define YEAR_2020   1577836800L
#define BAD_POINTER 1 /* an address no program maps */

struct timeval_abi {
    int64_t sec, usec;
};

struct timezone_abi {
    int32_t minuteswest, dsttime;
};

static const char *yes_no(int condition)
{
    return condition ? "yes" : "no";
}

/* A failed call's errno by name, for the cases checked here. */
static const char *outcome(long result)
{
    if (result >= 0)
        return "0";
    return errno == EFAULT ? "EFAULT" : errno == EINVAL ? "EINVAL" : strerror(errno);
}

static void time_call(void)
{
    struct timespec before, after;
    clock_gettime(CLOCK_REALTIME, &before);
    int64_t stored = 0;
    long seconds = syscall(SYS_time, &stored);
    clock_gettime(CLOCK_REALTIME, &after);
    printf("time: after 2020: %s\n", yes_no(seconds > YEAR_2020));
    printf("time: between two clock_gettime readings: %s\n",
           yes_no(seconds >= before.tv_sec && seconds <= after.tv_sec));
    printf("time: the same value stored at tloc: %s\n", yes_no(stored == seconds));
    printf("time(NULL) works: %s\n", yes_no(syscall(SYS_time, NULL) >= seconds));
    printf("time(bad pointer): %s\n", outcome(syscall(SYS_time, (void *)BAD_POINTER)));
}

static void gettimeofday_call(void)
{
    struct timespec before, after;
    struct timeval_abi tv = { -1, -1 };
    struct timezone_abi tz = { -1, -1 };
    clock_gettime(CLOCK_REALTIME, &before);
    long result = syscall(SYS_gettimeofday, &tv, &tz);
    clock_gettime(CLOCK_REALTIME, &after);
    long long us = tv.sec * 1000000LL + tv.usec;
    long long from = before.tv_sec * 1000000LL + before.tv_nsec / 1000;
    long long to = after.tv_sec * 1000000LL + after.tv_nsec / 1000;
    printf("gettimeofday: %s\n", outcome(result));
    printf("gettimeofday: tv_usec within 0..999999: %s\n",
           yes_no(tv.usec >= 0 && tv.usec < 1000000));
    printf("gettimeofday: between two clock_gettime readings: %s\n",
           yes_no(us >= from && us <= to));
    printf("gettimeofday: the time zone record was written: %s\n", yes_no(tz.dsttime != -1));
    printf("gettimeofday(NULL, NULL): %s\n", outcome(syscall(SYS_gettimeofday, NULL, NULL)));
    printf("gettimeofday(bad tv): %s\n",
           outcome(syscall(SYS_gettimeofday, (void *)BAD_POINTER, NULL)));
    printf("gettimeofday(tv, bad tz): %s\n",
           outcome(syscall(SYS_gettimeofday, &tv, (void *)BAD_POINTER)));
}

static void clock_getres_call(void)
{
    static const struct {
        clockid_t clock;
        const char *name;
    } fine[] = { { CLOCK_REALTIME, "CLOCK_REALTIME" },
                 { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
                 { CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW" },
                 { CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
                 { CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID" },
                 { CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID" } };
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        struct timespec res = { -1, -1 };
        long result = syscall(SYS_clock_getres, fine[i].clock, &res);
        printf("clock_getres(%s): %s, %lld s %ld ns\n", fine[i].name, outcome(result),
               (long long)res.tv_sec, res.tv_nsec);
    }
    struct timespec res;
    printf("clock_getres(CLOCK_MONOTONIC, NULL): %s\n",
           outcome(syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL)));
    printf("clock_getres(clock 100): %s\n", outcome(syscall(SYS_clock_getres, 100, &res)));
    printf("clock_getres(CLOCK_MONOTONIC, bad pointer): %s\n",
           outcome(syscall(SYS_clock_getres, CLOCK_MONOTONIC, (void *)BAD_POINTER)));
}

int main(void)
{
    time_call();
    gettimeofday_call();
    clock_getres_call();
    return 0;
}
