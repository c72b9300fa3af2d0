/*
 * sys_framemap.c — vmlab_framemap: write the map of physical memory to the serial
 * port (kernel/framemap_export.c), so a program can show what its memory looks
 * like at a moment it chooses (e.g. right after fork, while pages are COW-shared).
 *
 * vmlab's own system call (number 501, beyond Linux's); Linux answers -ENOSYS.
 *
 *   long vmlab_framemap(unsigned long flags, void *start, size_t length);
 *
 * flags must be 0. With length > 0 the dump also counts the frames that the
 * caller's pages [start, start + length) hold, by class (start page-aligned,
 * length at most 256 MiB, all in user space). 0, -EINVAL, or -ENOMEM.
 */
#include "cpu.h"
#include "errno.h"
#include "framemap_export.h"
#include "lib/format.h"
#include "mm/layout.h"
#include "proc.h"
#include "syscall.h"

/* The range a program asked for: false if it is not a sane part of user space. */
static bool read_range(struct proc *p, uint64_t start, uint64_t length, struct framemap_range *r)
{
    if (length > FRAMEMAP_RANGE_MAX_PAGES * PAGE_SIZE)
        return false; /* checked before rounding up, which could wrap to 0 */
    uint64_t pages = align_up(length, PAGE_SIZE) / PAGE_SIZE;
    if (!is_page_aligned(start) || start >= USER_SPACE_END ||
        pages * PAGE_SIZE > USER_SPACE_END - start)
        return false;
    *r = (struct framemap_range){
        .as = p->as, .pid = p->pid, .start = start, .end = start + pages * PAGE_SIZE
    };
    return true;
}

long sys_vmlab_framemap(struct syscall_args a)
{
    struct proc *p = current_proc();
    struct framemap_range range;
    if (a.arg[0] != 0 || (a.arg[2] != 0 && !read_range(p, a.arg[1], a.arg[2], &range)))
        return -EINVAL;
    char reason[24];
    snprintf(reason, sizeof reason, "pid %d", p->pid);
    return framemap_export(reason, a.arg[2] != 0 ? &range : NULL);
}
