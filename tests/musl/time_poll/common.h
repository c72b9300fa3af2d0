/*
 * common.h — helpers shared by the parts of time_poll (main.c lists the parts).
 *
 * Every line printed is a fact that is the same on every run and on every correct
 * kernel: results, errno names, revents in hex, and relations between times
 * ("waited at least 30 ms: yes"), never the times themselves.
 */
#ifndef TIME_POLL_COMMON_H
#define TIME_POLL_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NS_PER_MS 1000000LL

/* The result of a raw system call: the value, or "-1 ENAME". */
static inline const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EBADF: return "EBADF";
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOSYS: return "ENOSYS";
    case EPIPE: return "EPIPE";
    default: return strerror(e);
    }
}

static inline void show(const char *what, long result)
{
    if (result < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %ld\n", what, result);
}

static inline long long monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static inline const char *yes_no(int condition)
{
    return condition ? "yes" : "no";
}

void poll_tests(void);
void select_tests(void);
void sleep_tests(void);
void itimer_tests(void);
void info_tests(void);
void console_tests(void);
void signal_tests(void);

#endif
