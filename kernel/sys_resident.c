/*
 * sys_resident.c — vmlab_resident_limit and vmlab_resident_stat: a range of the
 * caller limited to N frames, with its own resident set (mm/resident_limit.h).
 * vmlab's own calls (502, 503); Linux has no such knob (RLIMIT_RSS is ignored
 * there), so a program using them gets -ENOSYS on Linux.
 *
 *   long vmlab_resident_limit(void *addr, size_t len, unsigned long frames);
 *       0; frames 0 removes the limit; -EINVAL (addr not page-aligned, len 0,
 *       not user space), -ENOMEM (a page of the range not mapped, no memory),
 *       -EBUSY (a range is limited already), -ENOSPC (no swap area is on)
 *   long vmlab_resident_stat(struct vmlab_resident *out);
 *       0, -ENOENT (no limited range), -EFAULT
 *
 * The faults counted are exactly the pages brought into the set -- first
 * touches (demand-zero) and swap-ins alike -- which is what a simulator counts
 * as misses; the process's minflt/majflt would also count its stack, its
 * buffers and the retries of a fault that waited for I/O.
 */
#include "cpu.h"
#include "errno.h"
#include "mm/as.h"
#include "mm/resident_limit.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "syscall.h"

struct vmlab_resident {
    uint64_t start, end; /* the range */
    uint64_t limit;      /* frames it may hold */
    uint64_t resident;   /* pages on its set now */
    uint64_t faults;     /* pages brought in since the limit was set */
    uint64_t evictions;  /* pages written out to make room */
};

long sys_vmlab_resident_limit(struct syscall_args a)
{
    return resident_limit_set(current_proc()->as, a.arg[0], a.arg[1], a.arg[2]);
}

long sys_vmlab_resident_stat(struct syscall_args a)
{
    const struct resident_limit *limit = current_proc()->as->resident_limit;
    if (limit == NULL)
        return -ENOENT;
    struct vmlab_resident out = {
        .start = limit->start,
        .end = limit->end,
        .limit = limit->set.limit,
        .resident = limit->set.count,
        .faults = limit->faults,
        .evictions = limit->evictions,
    };
    return copy_to_user(a.arg[0], &out, sizeof out) == 0 ? 0 : -EFAULT;
}
