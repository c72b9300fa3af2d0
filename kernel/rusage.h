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
    int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd, msgrcv,
        nsignals, nvcsw, nivcsw;
};

/* The usage of a process itself (as for RUSAGE_SELF). */
struct usage proc_usage(const struct proc *p);

void rusage_fill(struct linux_rusage *out, const struct usage *usage);

#endif
