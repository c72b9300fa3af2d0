/*
 * unknown_syscalls.c — system calls that do not exist: ENOSYS, quickly, every time.
 *
 * 20,000 calls with numbers no kernel has (512 and up, negative ones) must each
 * return ENOSYS, and quickly: a kernel that prints a console line for each would
 * take many seconds (vmlab limits its lines to a burst; tests/boot/processes.sh
 * counts them). Like Linux, only the low 32 bits of RAX are the number: a number
 * with higher bits set is the call its low half names.
 *
 * With the argument --then-unknown-after-interval, it also waits out the console's
 * rate-limit interval (5 s) and makes one more unknown call, so that the kernel
 * prints how many lines it left out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CALLS         20000
#define FAST_ENOUGH_S 2 /* vmlab takes ~0.05 s; printing a line each took ~30 s */
#define INTERVAL_S    5 /* vmlab's rate-limit interval (kernel/ratelimit.h), plus a margin */

/* The system call instruction itself: libc's syscall() takes the number as a long,
 * but some would check it. */
static long raw_syscall0(long nr)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(nr) : "rcx", "r11", "memory");
    return result;
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The i-th number to try: above every table, negative, or just below 2^31. */
static long unknown_number(int i)
{
    switch (i % 3) {
    case 0: return 512 + i;
    case 1: return -1 - i;
    default: return 0x7fffffffl - i;
    }
}

static void flood(void)
{
    int enosys = 0;
    double start = seconds_now();
    for (int i = 0; i < CALLS; i++)
        enosys += raw_syscall0(unknown_number(i)) == -ENOSYS;
    double took = seconds_now() - start;
    printf("%d unknown system calls: %d returned ENOSYS\n", CALLS, enosys);
    printf("they took under %d s: %s\n", FAST_ENOUGH_S, took < FAST_ENOUGH_S ? "yes" : "no");
}

static void high_bits_ignored(void)
{
    long pid = getpid();
    printf("getpid with bit 32 set in the number is getpid: %s\n",
           raw_syscall0((1l << 32) | SYS_getpid) == pid ? "yes" : "no");
    printf("getpid with bit 63 set in the number is getpid: %s\n",
           raw_syscall0((long)(1ul << 63) | SYS_getpid) == pid ? "yes" : "no");
    printf("number 0xffffffff: %s\n", raw_syscall0(0xffffffffl) == -ENOSYS ? "ENOSYS" : "other");
}

int main(int argc, char **argv)
{
    flood();
    high_bits_ignored();
    if (argc > 1 && strcmp(argv[1], "--then-unknown-after-interval") == 0) {
        struct timespec interval = { INTERVAL_S, 200 * 1000 * 1000 };
        nanosleep(&interval, NULL);
        printf("one more after the interval: %s\n",
               raw_syscall0(100000) == -ENOSYS ? "ENOSYS" : "other");
    }
    return 0;
}
