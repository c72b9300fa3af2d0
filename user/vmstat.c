/*
 * vmstat — vmlab's memory counters, as a table, read from /proc.
 *
 * Physical memory is counted in 4 KiB frames, each in one of four states: free,
 * the kernel's (its heap, stacks, the zero page), page tables, or user pages.
 * The page-fault counters say how each fault was resolved, for the whole
 * machine since boot and for this process (which has only just started: its
 * few faults are its first touches of its stack and variables).
 *
 * Where the numbers come from (kernel/fs/procfs/README.md):
 *   /proc/meminfo        MemTotal, MemFree, PageTables, SwapTotal, SwapFree (kB)
 *   /proc/vmstat         vmlab_kernel_frames, vmlab_user_frames, and the machine's
 *                        fault counters: pgfault, pgmajfault, vmlab_zero_fills...,
 *                        vmlab_swap_ins; pswpout, pswpin
 *   /proc/self/vmstat    the same counters for this process (vmlab's own file)
 *   /proc/self/status    VmRSS, VmHWM
 *   /proc/self/smaps_rollup  Pss, Shared_Clean, Shared_Dirty
 * On Linux the vmlab_ lines and /proc/self/vmstat are missing: vmstat says so.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/procfile.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define FRAME_KIB 4UL
#define TEXT_MAX  8192

/* "12.3": KiB as MiB, to one decimal (there is no floating point in printf). */
static void kib_in_mib(long kib, char *buf, size_t size)
{
    long tenths = (kib * 10 + 512) / 1024;
    snprintf(buf, size, "%ld.%ld", tenths / 10, tenths % 10);
}

static void frame_row(const char *name, long kib)
{
    char mib[24];
    kib_in_mib(kib, mib, sizeof(mib));
    printf("  %-14s %10ld %12ld %10s\n", name, kib / (long)FRAME_KIB, kib, mib);
}

static void counter_row(const char *name, long machine, long self, const char *meaning)
{
    printf("  %-16s %10ld %12ld   %s\n", name, machine, self, meaning);
}

/* The texts the table is made from. */
struct sources {
    char meminfo[TEXT_MAX], vmstat[TEXT_MAX], self_vmstat[TEXT_MAX], status[TEXT_MAX],
        rollup[TEXT_MAX];
};

static void print_frames(const struct sources *s)
{
    printf("physical memory      frames          KiB        MiB\n");
    frame_row("total", proc_field(s->meminfo, "MemTotal"));
    frame_row("free", proc_field(s->meminfo, "MemFree"));
    frame_row("kernel", proc_field(s->vmstat, "vmlab_kernel_frames") * (long)FRAME_KIB);
    frame_row("page tables", proc_field(s->meminfo, "PageTables"));
    frame_row("user pages", proc_field(s->vmstat, "vmlab_user_frames") * (long)FRAME_KIB);
}

/* The swap area, from /proc/meminfo, and the pages that went through it. */
static void print_swap(const struct sources *s)
{
    long total = proc_field(s->meminfo, "SwapTotal"), free = proc_field(s->meminfo, "SwapFree");
    if (total <= 0) {
        printf("\nswap: none (swapon, or boot with swap=vdX)\n");
        return;
    }
    printf("\nswap: %ld KiB of %ld KiB used; since boot %ld pages written out, %ld read back\n",
           total - free, total, proc_field(s->vmstat, "pswpout"), proc_field(s->vmstat, "pswpin"));
}

static void print_counters(const struct sources *s)
{
    const char *m = s->vmstat, *p = s->self_vmstat;
    printf("\npage faults           machine this process\n");
    counter_row("resolved", proc_field(m, "pgfault") - proc_field(m, "pgmajfault"),
                proc_field(p, "pgfault") - proc_field(p, "pgmajfault"),
                "faults that made memory appear, without the disk (minor)");
    counter_row("from disk", proc_field(m, "pgmajfault"), proc_field(p, "pgmajfault"),
                "faults that waited for the disk: a file or swap (major)");
    counter_row("  swap-in", proc_field(m, "vmlab_swap_ins"), proc_field(p, "vmlab_swap_ins"),
                "... of them: a page read back from its swap slot");
    counter_row("file page", proc_field(m, "vmlab_object_maps"), proc_field(p, "vmlab_object_maps"),
                "first touches served from a page cache (files, shared)");
    counter_row("zero page", proc_field(m, "vmlab_zero_page_maps"),
                proc_field(p, "vmlab_zero_page_maps"),
                "reads of untouched pages: the shared page of zeros");
    counter_row("zero fill", proc_field(m, "vmlab_zero_fills"), proc_field(p, "vmlab_zero_fills"),
                "writes of untouched pages: a fresh zeroed frame");
    counter_row("cow copy", proc_field(m, "vmlab_cow_copies"), proc_field(p, "vmlab_cow_copies"),
                "writes to pages fork shared: copied");
    counter_row("cow reuse", proc_field(m, "vmlab_cow_reuses"), proc_field(p, "vmlab_cow_reuses"),
                "... but the last reference: made writable");
    counter_row("stack growth", proc_field(m, "vmlab_stack_growths"),
                proc_field(p, "vmlab_stack_growths"), "the stack extended down a page");
    counter_row("killed", proc_field(m, "vmlab_fault_kills"), proc_field(p, "vmlab_fault_kills"),
                "faults that ended a process (SIGSEGV)");
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        dprintf(STDERR, "usage: vmstat\n");
        return 2;
    }
    static struct sources s;
    memset(&s, 0, sizeof s); /* its pages now: reading into them must not add faults */
    bool read = proc_file_read("/proc/meminfo", s.meminfo, TEXT_MAX) &&
                proc_file_read("/proc/vmstat", s.vmstat, TEXT_MAX) &&
                proc_file_read("/proc/self/status", s.status, TEXT_MAX) &&
                proc_file_read("/proc/self/smaps_rollup", s.rollup, TEXT_MAX);
    if (!read) {
        printf("vmstat: /proc cannot be read, so there is nothing to show\n");
        return 1;
    }
    if (!proc_file_read("/proc/self/vmstat", s.self_vmstat, TEXT_MAX) ||
        proc_field(s.vmstat, "vmlab_user_frames") < 0) {
        printf("vmstat: the vmlab_ counters of /proc/vmstat and /proc/self/vmstat are vmlab's "
               "own; this kernel has none, so there is nothing to show\n");
        return 0;
    }
    print_frames(&s);
    print_counters(&s);
    print_swap(&s);
    long rss = proc_field(s.status, "VmRSS"), hwm = proc_field(s.status, "VmHWM");
    printf("\nthis process: %ld pages resident (%ld KiB), at most %ld so far\n",
           rss / (long)FRAME_KIB, rss, hwm / (long)FRAME_KIB);
    printf("  shared with another mapping: %ld KiB (clean %ld, dirty %ld); "
           "proportional share (PSS) %ld KiB\n",
           proc_field(s.rollup, "Shared_Clean") + proc_field(s.rollup, "Shared_Dirty"),
           proc_field(s.rollup, "Shared_Clean"), proc_field(s.rollup, "Shared_Dirty"),
           proc_field(s.rollup, "Pss"));
    return 0;
}
