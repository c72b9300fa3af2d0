/*
 * nanosleep_forever.c — nanosleep's argument checks, and sleeps too long to count.
 *
 * A tv_sec so large that it overflows 64 bits of nanoseconds must sleep (in
 * effect forever, until a signal), not wrap around into a short sleep; a negative
 * tv_sec or a tv_nsec outside 0..999999999 is EINVAL; an unreadable request is
 * EFAULT. One child per huge value sleeps; the parent works (and sleeps) a while,
 * finds every child still asleep, then kills each with SIGKILL.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_SEC 1000000000l

/* The exit codes of a child whose sleep ended: 10 + what nanosleep returned */
#define RETURNED_ZERO 10

static long raw_nanosleep(const struct timespec *request, struct timespec *left)
{
    return syscall(SYS_nanosleep, request, left) == 0 ? 0 : -errno;
}

static const char *error_name(long result)
{
    switch (result) {
    case 0: return "0";
    case -EINVAL: return "EINVAL";
    case -EFAULT: return "EFAULT";
    case -EINTR: return "EINTR";
    default: return "another error";
    }
}

static void check_refused(const char *what, time_t sec, long nsec)
{
    struct timespec request = { sec, nsec };
    printf("nanosleep(%s): %s\n", what, error_name(raw_nanosleep(&request, NULL)));
}

static const struct {
    const char *what;
    time_t sec;
    long nsec;
} huge[] = {
    { "tv_sec = 2^63 - 1", INT64_MAX, 0 },
    { "tv_sec = 2^63 - 1, tv_nsec = 999999999", INT64_MAX, NS_PER_SEC - 1 },
    { "tv_sec = 2^62", INT64_C(1) << 62, 0 },
    { "tv_sec = 18446744074 (just over 2^64 ns)", INT64_C(18446744074), 0 },
    { "tv_sec = 10^12", INT64_C(1000000000000), 0 },
};
#define HUGE_COUNT (sizeof huge / sizeof huge[0])

/* The parent's work meanwhile: some computing, then half a second asleep. */
static unsigned long work_a_while(void)
{
    volatile unsigned long sum = 0;
    for (unsigned long i = 0; i < 20 * 1000 * 1000; i++)
        sum += i;
    struct timespec half = { 0, NS_PER_SEC / 2 };
    nanosleep(&half, NULL);
    return sum;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered for the children to copy */
    check_refused("tv_nsec = 10^9", 0, NS_PER_SEC);
    check_refused("tv_nsec = -1", 0, -1);
    check_refused("tv_sec = -1", -1, 0);
    check_refused("tv_sec = -2^63", INT64_MIN, 0);
    check_refused("tv_sec = 2^63 - 1, tv_nsec = -1", INT64_MAX, -1);
    check_refused("tv_sec = 0, tv_nsec = 0", 0, 0);
    printf("nanosleep(NULL): %s\n", error_name(raw_nanosleep(NULL, NULL)));

    pid_t children[HUGE_COUNT];
    for (unsigned i = 0; i < HUGE_COUNT; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            struct timespec request = { huge[i].sec, huge[i].nsec };
            long result = raw_nanosleep(&request, NULL);
            _exit(RETURNED_ZERO - (int)result); /* a sleep that ended at all is wrong */
        }
    }
    work_a_while();
    for (unsigned i = 0; i < HUGE_COUNT; i++) {
        int status = 0;
        pid_t ended = waitpid(children[i], &status, WNOHANG);
        printf("a child sleeping with %s is still asleep: %s\n", huge[i].what,
               ended == 0 ? "yes" : "no");
        kill(children[i], SIGKILL);
        waitpid(children[i], &status, 0);
        printf("  and SIGKILL ends it: %s\n",
               WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "yes" : "no");
    }
    return 0;
}
