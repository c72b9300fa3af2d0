/*
 * timetest — clocks, sleeping, and how much CPU time a process has used.
 *
 *   clock_gettime(CLOCK_MONOTONIC)  time since boot: never goes backwards
 *   clock_gettime(CLOCK_REALTIME)   the date: seconds since 1970-01-01
 *   nanosleep                       give up the CPU for at least the time asked
 *   getrusage                       CPU time and other counters of us or our children
 *
 * Times are only compared with each other, never with how fast this machine is;
 * nanosleep is used to measure, not to wait for anything.
 */
#include <stdbool.h>

#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define NSEC_PER_SEC  1000000000L
#define NSEC_PER_MSEC 1000000L
#define SLEEP_MSEC    20
#define YEAR_2020     1577836800L /* 2020-01-01 00:00:00 UTC, in seconds since 1970 */
#define YEAR_2100     4102444800L

static long nanoseconds(const struct timespec *t)
{
    return t->tv_sec * NSEC_PER_SEC + t->tv_nsec;
}

static bool valid_timespec(const struct timespec *t)
{
    return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < NSEC_PER_SEC;
}

static void check_clocks(void)
{
    check_section("clock_gettime");
    struct timespec a, b, now;
    EXPECT_RESULT(sys_clock_gettime(CLOCK_MONOTONIC, &a), 0, "CLOCK_MONOTONIC");
    EXPECT_RESULT(sys_clock_gettime(CLOCK_MONOTONIC, &b), 0, "CLOCK_MONOTONIC again");
    EXPECT(valid_timespec(&a) && valid_timespec(&b), "both are valid (0 <= tv_nsec < 1e9)");
    EXPECT(nanoseconds(&b) >= nanoseconds(&a), "the second reading is not earlier");

    bool never_back = true;
    struct timespec previous = b;
    for (int i = 0; i < 1000; i++) {
        sys_clock_gettime(CLOCK_MONOTONIC, &now);
        if (nanoseconds(&now) < nanoseconds(&previous))
            never_back = false;
        previous = now;
    }
    EXPECT(never_back, "1000 more readings never go backwards");

    EXPECT_RESULT(sys_clock_gettime(CLOCK_REALTIME, &now), 0, "CLOCK_REALTIME");
    EXPECT(valid_timespec(&now) && now.tv_sec > YEAR_2020 && now.tv_sec < YEAR_2100,
           "a plausible date: between 2020 and 2100 (%ld seconds since 1970)", now.tv_sec);

    EXPECT_RESULT(sys_clock_gettime(12345, &now), -EINVAL, "a clock that does not exist: -EINVAL");
    EXPECT_RESULT(sys_clock_gettime(CLOCK_MONOTONIC, BAD_POINTER_NULL_PAGE), -EFAULT,
                  "result pointer (void *)8: -EFAULT");
    EXPECT_RESULT(sys_clock_gettime(CLOCK_REALTIME, BAD_POINTER_KERNEL), -EFAULT,
                  "result pointer into the kernel: -EFAULT");
    EXPECT_RESULT(sys_clock_gettime(CLOCK_MONOTONIC, (void *)image_last_bytes(8)), -EFAULT,
                  "a struct timespec half in mapped memory: -EFAULT");
}

static void check_sleep(void)
{
    check_section("nanosleep");
    struct timespec before, after, real_before, real_after;
    struct timespec request = { 0, SLEEP_MSEC * NSEC_PER_MSEC };
    sys_clock_gettime(CLOCK_REALTIME, &real_before);
    sys_clock_gettime(CLOCK_MONOTONIC, &before);
    EXPECT_RESULT(sys_nanosleep(&request, NULL), 0, "nanosleep(%d ms)", SLEEP_MSEC);
    sys_clock_gettime(CLOCK_MONOTONIC, &after);
    sys_clock_gettime(CLOCK_REALTIME, &real_after);
    EXPECT(nanoseconds(&after) - nanoseconds(&before) >= SLEEP_MSEC * NSEC_PER_MSEC,
           "CLOCK_MONOTONIC advanced by at least %d ms across it", SLEEP_MSEC);
    /* Only "not backwards": on Linux an administrator (or NTP) may set the date. */
    EXPECT(nanoseconds(&real_after) >= nanoseconds(&real_before),
           "CLOCK_REALTIME did not go backwards");

    struct timespec zero = { 0, 0 };
    EXPECT_RESULT(sys_nanosleep(&zero, NULL), 0, "nanosleep(0) returns at once with 0");

    struct timespec bad_nsec = { 0, NSEC_PER_SEC };
    struct timespec negative_nsec = { 0, -1 };
    struct timespec negative_sec = { -1, 0 };
    EXPECT_RESULT(sys_nanosleep(&bad_nsec, NULL), -EINVAL, "tv_nsec = 1000000000: -EINVAL");
    EXPECT_RESULT(sys_nanosleep(&negative_nsec, NULL), -EINVAL, "tv_nsec = -1: -EINVAL");
    EXPECT_RESULT(sys_nanosleep(&negative_sec, NULL), -EINVAL, "tv_sec = -1: -EINVAL");
    EXPECT_RESULT(sys_nanosleep(BAD_POINTER_NULL_PAGE, NULL), -EFAULT,
                  "request pointer (void *)8: -EFAULT");
    EXPECT_RESULT(sys_nanosleep(BAD_POINTER_NONCANONICAL, NULL), -EFAULT,
                  "request pointer 0x8000000000000000 (not an address at all): -EFAULT");
    struct timespec *edge = (void *)image_last_bytes(8);
    edge->tv_sec = 0;
    EXPECT_RESULT(sys_nanosleep(edge, NULL), -EFAULT, "a request half in mapped memory: -EFAULT");
}

static bool valid_rusage(const struct rusage *u)
{
    return u->ru_utime.tv_sec >= 0 && u->ru_utime.tv_usec >= 0 && u->ru_utime.tv_usec < 1000000 &&
           u->ru_stime.tv_sec >= 0 && u->ru_stime.tv_usec >= 0 && u->ru_stime.tv_usec < 1000000 &&
           u->ru_maxrss >= 0 && u->ru_minflt >= 0 && u->ru_majflt >= 0 && u->ru_nvcsw >= 0 &&
           u->ru_nivcsw >= 0;
}

static void check_rusage(void)
{
    check_section("getrusage");
    struct rusage usage;
    memset(&usage, 0xff, sizeof(usage)); /* all -1: the kernel must overwrite it */
    EXPECT_RESULT(sys_getrusage(RUSAGE_SELF, &usage), 0, "RUSAGE_SELF");
    EXPECT(valid_rusage(&usage), "our usage is filled in and sane (no negative numbers, "
                                 "microseconds below 1000000)");
    memset(&usage, 0xff, sizeof(usage));
    EXPECT_RESULT(sys_getrusage(RUSAGE_CHILDREN, &usage), 0, "RUSAGE_CHILDREN");
    EXPECT(valid_rusage(&usage), "our children's usage is filled in and sane");

    EXPECT_RESULT(sys_getrusage(2, &usage), -EINVAL, "who = 2: -EINVAL");
    EXPECT_RESULT(sys_getrusage(-2, &usage), -EINVAL, "who = -2: -EINVAL");
    EXPECT_RESULT(sys_getrusage(RUSAGE_SELF, BAD_POINTER_UNMAPPED), -EFAULT,
                  "pointer to unmapped memory: -EFAULT");
    EXPECT_RESULT(sys_getrusage(RUSAGE_SELF, BAD_POINTER_KERNEL), -EFAULT,
                  "pointer into the kernel: -EFAULT");
    EXPECT_RESULT(sys_getrusage(RUSAGE_SELF, (void *)image_last_bytes(64)), -EFAULT,
                  "a struct rusage (144 bytes) of which only 64 are mapped: -EFAULT");
    EXPECT_RESULT(sys_getrusage(RUSAGE_SELF, opaque_pointer(__image_start)), -EFAULT,
                  "a pointer to our own code at 0x400000, which is read-only: -EFAULT");
}

int main(void)
{
    printf("timetest: clocks, nanosleep and getrusage\n");
    check_clocks();
    check_sleep();
    check_rusage();
    return check_summary("timetest");
}
