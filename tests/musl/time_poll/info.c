/*
 * info.c — sysinfo (relations between its fields, never their values), times
 * (monotone, children's time after a busy child), getrandom (sizes, flags,
 * EFAULT and a buffer cut short by an unmapped page).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void sysinfo_fields(void)
{
    struct sysinfo s;
    memset(&s, 0xff, sizeof s);
    show("sysinfo", sysinfo(&s));
    printf("  uptime > 0: %s, mem_unit 1: %s\n", yes_no(s.uptime > 0), yes_no(s.mem_unit == 1));
    printf("  0 < freeram <= totalram: %s, totalram over 8 MiB: %s\n",
           yes_no(s.freeram > 0 && s.freeram <= s.totalram), yes_no(s.totalram > (8ul << 20)));
    printf("  freeswap <= totalswap: %s, sharedram and bufferram <= totalram: %s\n",
           yes_no(s.freeswap <= s.totalswap),
           yes_no(s.sharedram <= s.totalram && s.bufferram <= s.totalram));
    printf("  procs >= 1: %s, totalhigh 0: %s\n", yes_no(s.procs >= 1), yes_no(s.totalhigh == 0));
    show("sysinfo bad pointer", syscall(SYS_sysinfo, (void *)8));
}

static long long cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void times_counts(void)
{
    struct tms a, b;
    clock_t t1 = times(&a);
    long long until = cpu_ns() + 30 * NS_PER_MS;
    while (cpu_ns() < until)
        ;
    clock_t t2 = times(&b);
    printf("times: not -1: %s, monotone: %s, own time grew: %s\n",
           yes_no(t1 != (clock_t)-1 && t2 != (clock_t)-1), yes_no(t2 >= t1),
           yes_no(b.tms_utime + b.tms_stime > a.tms_utime + a.tms_stime));
    pid_t child = fork();
    if (child == 0) {
        long long end = cpu_ns() + 60 * NS_PER_MS;
        while (cpu_ns() < end)
            ;
        _exit(0);
    }
    waitpid(child, NULL, 0);
    times(&b);
    printf("times: a reaped busy child's time counts: %s\n",
           yes_no(b.tms_cutime + b.tms_cstime >= 1));
    printf("times(NULL) is not an error: %s\n", yes_no(syscall(SYS_times, NULL) != -1));
    show("times bad pointer", syscall(SYS_times, (void *)8));
}

static void getrandom_calls(void)
{
    static unsigned char buf[100000];
    static const size_t sizes[] = { 0, 1, 16, 256, 257, 4096, 100000 };
    char what[64];
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        snprintf(what, sizeof what, "getrandom %zu bytes", sizes[i]);
        show(what, syscall(SYS_getrandom, buf, sizes[i], 0));
    }
    int differ = 0;
    for (int i = 1; i < 256; i++)
        differ += buf[i] != buf[0];
    printf("getrandom bytes are not all alike: %s\n", yes_no(differ > 0));
    show("getrandom GRND_NONBLOCK", syscall(SYS_getrandom, buf, 64, GRND_NONBLOCK));
    show("getrandom GRND_RANDOM 512", syscall(SYS_getrandom, buf, 512, GRND_RANDOM));
    show("getrandom GRND_RANDOM|GRND_NONBLOCK",
         syscall(SYS_getrandom, buf, 64, GRND_RANDOM | GRND_NONBLOCK));
    show("getrandom GRND_INSECURE", syscall(SYS_getrandom, buf, 64, 4));
    show("getrandom GRND_RANDOM|GRND_INSECURE", syscall(SYS_getrandom, buf, 64, GRND_RANDOM | 4));
    show("getrandom flags 8", syscall(SYS_getrandom, buf, 64, 8));
    show("getrandom bad pointer", syscall(SYS_getrandom, (void *)8, 64, 0));
    show("getrandom kernel address", syscall(SYS_getrandom, (void *)0xffff800000000000ul, 64, 0));
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(pages + 4096, 4096);
    show("getrandom 300 bytes, 100 before an unmapped page",
         syscall(SYS_getrandom, pages + 4096 - 100, 300, 0));
    munmap(pages, 4096);
}

void info_tests(void)
{
    printf("== sysinfo, times, getrandom\n");
    sysinfo_fields();
    times_counts();
    getrandom_calls();
}
