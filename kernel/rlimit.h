/*
 * rlimit.h — resource limits: getrlimit, setrlimit, prlimit64.
 *
 * Each process has Linux's sixteen limits, a soft one (what is enforced) and a
 * hard one (the ceiling the soft one may be raised to; only a privileged process
 * raises it, and the one user here, root, is privileged). fork copies them and
 * execve keeps them. The memory limits are enforced by mm/ (mm/limits.h), which
 * gets a copy in the address space (rlimit_apply); RLIMIT_NOFILE bounds the
 * descriptor numbers (up to the table's FD_MAX, 1024); the others are stored and
 * reported.
 */
#ifndef KERNEL_RLIMIT_H
#define KERNEL_RLIMIT_H

#include <stdint.h>

struct proc;

#define RLIMIT_CPU        0
#define RLIMIT_FSIZE      1
#define RLIMIT_DATA       2
#define RLIMIT_STACK      3
#define RLIMIT_CORE       4
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6
#define RLIMIT_NOFILE     7
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9
#define RLIMIT_LOCKS      10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE   12
#define RLIMIT_NICE       13
#define RLIMIT_RTPRIO     14
#define RLIMIT_RTTIME     15
#define RLIMIT_COUNT      16

#define RLIM_INFINITY UINT64_MAX

/* Linux's struct rlimit64 (and, on x86-64, struct rlimit too). */
struct rlimit64 {
    uint64_t cur; /* the soft limit */
    uint64_t max; /* the hard limit */
};

/* Give p the limits Linux gives init (INIT_RLIMITS). */
void rlimit_init(struct proc *p);

/* Copy p's memory limits into its address space, where mm/ enforces them, and
 * RLIMIT_NOFILE into its descriptor table (after execve's new address space, or
 * a change; fork copies both). */
void rlimit_apply(struct proc *p);

/* p's soft limit of resource. */
uint64_t rlimit_current(const struct proc *p, int resource);

#endif
