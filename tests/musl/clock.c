/*
 * clock — clock_gettime and nanosleep through musl. Prints facts, never times:
 * the output is the same on every run and on every correct kernel.
 */
#include <stdio.h>
#include <time.h>

#define YEAR_2020 1577836800L

static long long nanoseconds(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static const char *yes_no(int condition)
{
    return condition ? "yes" : "no";
}

int main(void)
{
    struct timespec a, b, c, now;
    int ok_a = clock_gettime(CLOCK_MONOTONIC, &a) == 0;
    int ok_b = clock_gettime(CLOCK_MONOTONIC, &b) == 0;
    struct timespec ten_ms = { 0, 10000000 };
    int slept = nanosleep(&ten_ms, NULL) == 0;
    int ok_c = clock_gettime(CLOCK_MONOTONIC, &c) == 0;
    int ok_now = clock_gettime(CLOCK_REALTIME, &now) == 0;

    printf("clock_gettime(CLOCK_MONOTONIC) works: %s\n", yes_no(ok_a && ok_b && ok_c));
    printf("tv_nsec within 0..999999999: %s\n", yes_no(a.tv_nsec >= 0 && a.tv_nsec < 1000000000 &&
                                                       b.tv_nsec >= 0 && b.tv_nsec < 1000000000));
    printf("monotonic non-decreasing: %s\n", yes_no(nanoseconds(&b) >= nanoseconds(&a)));
    printf("nanosleep(10 ms) works: %s\n", yes_no(slept));
    printf("monotonic advanced by at least 10 ms across it: %s\n",
           yes_no(nanoseconds(&c) - nanoseconds(&b) >= 10000000LL));
    printf("clock_gettime(CLOCK_REALTIME) works: %s\n", yes_no(ok_now));
    printf("realtime is after 2020: %s\n", yes_no(now.tv_sec > YEAR_2020));
    return 0;
}
