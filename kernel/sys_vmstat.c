/*
 * sys_vmstat.c — vmlab_vmstat: the memory counters, for the demo programs.
 *
 * This is vmlab's own system call (number 500, beyond Linux's), since there is
 * no /proc to read them from: on Linux the same program gets -ENOSYS.
 *
 *   long vmlab_vmstat(struct vmlab_vmstat *out);
 */
#include "cpu.h"
#include "errno.h"
#include "mm/fault.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "syscall.h"

struct vmlab_vmstat {
    uint64_t total_frames, free_frames, kernel_frames, page_table_frames, user_frames;
    struct vm_counters machine; /* since boot */
    struct vm_counters self;    /* the calling process */
    uint64_t self_rss_pages, self_max_rss_pages;
};

long sys_vmlab_vmstat(struct syscall_args a)
{
    struct proc *p = current_proc();
    struct pmm_stats frames = pmm_stats();
    struct vmlab_vmstat out = {
        .total_frames = frames.total,
        .free_frames = frames.free,
        .kernel_frames = frames.used[FRAME_KERNEL],
        .page_table_frames = frames.used[FRAME_PAGE_TABLE],
        .user_frames = frames.used[FRAME_USER],
        .machine = vm_totals,
        .self = p->vm,
        .self_rss_pages = p->as->rss,
        .self_max_rss_pages = p->as->max_rss > p->max_rss ? p->as->max_rss : p->max_rss,
    };
    return copy_to_user(a.arg[0], &out, sizeof out) == 0 ? 0 : -EFAULT;
}
