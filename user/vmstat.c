/*
 * vmstat — vmlab's memory counters, as a table.
 *
 * Physical memory is counted in 4 KiB frames, each in one of four states: free,
 * the kernel's (its heap, stacks, the zero page), page tables, or user pages.
 * The page-fault counters say how each fault was resolved, for the whole
 * machine since boot and for this process (which has only just started: its
 * few faults are its first touches of its stack and variables).
 *
 * The numbers come from vmlab_vmstat, vmlab's own system call (500): Linux has
 * none (it shows the like in /proc/meminfo and /proc/vmstat), so on Linux vmstat
 * says so and exits with 0.
 */
#include <stdint.h>

#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define FRAME_KIB 4UL

/* "12.3": frames as MiB, to one decimal (there is no floating point in printf). */
static void frames_in_mib(uint64_t frames, char *buf, size_t size)
{
    uint64_t tenths = (frames * FRAME_KIB * 10 + 512) / 1024;
    snprintf(buf, size, "%lu.%lu", (unsigned long)(tenths / 10), (unsigned long)(tenths % 10));
}

static void frame_row(const char *name, uint64_t frames)
{
    char mib[24];
    frames_in_mib(frames, mib, sizeof(mib));
    printf("  %-14s %10lu %12lu %10s\n", name, (unsigned long)frames,
           (unsigned long)(frames * FRAME_KIB), mib);
}

static void counter_row(const char *name, uint64_t machine, uint64_t self, const char *meaning)
{
    printf("  %-16s %10lu %12lu   %s\n", name, (unsigned long)machine, (unsigned long)self,
           meaning);
}

static void print_frames(const struct vmlab_vmstat *s)
{
    printf("physical memory      frames          KiB        MiB\n");
    frame_row("total", s->total_frames);
    frame_row("free", s->free_frames);
    frame_row("kernel", s->kernel_frames);
    frame_row("page tables", s->page_table_frames);
    frame_row("user pages", s->user_frames);
}

static void print_counters(const struct vmlab_vmstat *s)
{
    const struct vm_counters *m = &s->machine, *p = &s->self;
    printf("\npage faults           machine this process\n");
    counter_row("resolved", m->minor_faults, p->minor_faults,
                "faults that made memory appear, without the disk (minor)");
    counter_row("from disk", m->major_faults, p->major_faults,
                "faults that read a file's page first (major)");
    counter_row("file page", m->object_maps, p->object_maps,
                "first touches served from a page cache (files, shared)");
    counter_row("zero page", m->zero_page_maps, p->zero_page_maps,
                "reads of untouched pages: the shared page of zeros");
    counter_row("zero fill", m->zero_fills, p->zero_fills,
                "writes of untouched pages: a fresh zeroed frame");
    counter_row("cow copy", m->cow_copies, p->cow_copies, "writes to pages fork shared: copied");
    counter_row("cow reuse", m->cow_reuses, p->cow_reuses,
                "... but the last reference: made writable");
    counter_row("stack growth", m->stack_growths, p->stack_growths,
                "the stack extended down a page");
    counter_row("killed", m->kills, p->kills, "faults that ended a process (SIGSEGV)");
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        dprintf(STDERR, "usage: vmstat\n");
        return 2;
    }
    struct vmlab_vmstat s;
    long result = sys_vmlab_vmstat(&s);
    if (result != 0) {
        printf("vmstat: vmlab_vmstat (system call 500) is vmlab's own; this kernel answers "
               "%ld (%s), so there is nothing to show\n",
               result, errno_name(result));
        return result == -ENOSYS ? 0 : 1;
    }
    print_frames(&s);
    print_counters(&s);
    printf("\nthis process: %lu pages resident (%lu KiB), at most %lu so far\n",
           (unsigned long)s.self_rss_pages, (unsigned long)(s.self_rss_pages * FRAME_KIB),
           (unsigned long)s.self_max_rss_pages);
    printf("  shared with another mapping: %lu pages (%lu of them text); "
           "proportional share (PSS) %lu KiB\n",
           (unsigned long)s.self_shared_frames, (unsigned long)s.self_shared_text_frames,
           (unsigned long)(s.self_pss_bytes / 1024));
    return 0;
}
