/*
 * rusage.h — struct rusage, as getrusage and wait4 return it (Linux's layout).
 */
#ifndef KERNEL_RUSAGE_H
#define KERNEL_RUSAGE_H

#include <stdint.h>

#include "proc.h"

struct linux_timeval {
    int64_t sec, usec;
};

struct linux_rusage {
    struct linux_timeval utime, stime; /* user and system CPU time */
    int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd,
        msgrcv, nsignals, nvcsw, nivcsw;
};

/* Fill a struct rusage from tick counts (the memory fields come with the fault
 * handler's counters). */
void rusage_fill(struct linux_rusage *out, const struct proc_times *times);

#endif
