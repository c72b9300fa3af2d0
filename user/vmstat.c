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
 *   /proc/meminfo        MemTotal, MemFree, PageTables (kB)
 *   /proc/vmstat         vmlab_kernel_frames, vmlab_user_frames, and the machine's
 *                        fault counters: pgfault, pgmajfault, vmlab_zero_fills...
 *   /proc/self/vmstat    the same counters for this process (vmlab's own file)
 *   /proc/self/status    VmRSS, VmHWM
 *   /proc/self/smaps_rollup  Pss, Shared_Clean, Shared_Dirty
 * On Linux the vmlab_ lines and /proc/self/vmstat are missing: vmstat says so.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define FRAME_KIB 4UL
#define TEXT_MAX  8192

/* A /proc file's text, zero-terminated, in buf: false if it cannot be read. */
static bool read_file(const char *path, char *buf, size_t size)
{
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return false;
    size_t used = 0;
    long got;
    while (used + 1 < size && (got = sys_read((int)fd, buf + used, size - 1 - used)) > 0)
        used += (size_t)got;
    sys_close((int)fd);
    buf[used] = '\0';
    return used > 0;
}

/* The number after name at the start of a line of text ("MemFree:  123 kB",
 * "pgfault 17"), or -1 when there is no such line. */
static long field(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *line = text; *line != '\0';) {
        if (strncmp(line, name, len) == 0 &&
            (line[len] == ' ' || line[len] == '\t' || line[len] == ':')) {
            const char *at = line + len + 1;
            while (*at == ' ' || *at == '\t')
                at++;
            long value = 0;
            while (*at >= '0' && *at <= '9')
                value = value * 10 + (*at++ - '0');
            return value;
        }
        while (*line != '\0' && *line++ != '\n')
            ;
    }
    return -1;
}

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
    frame_row("total", field(s->meminfo, "MemTotal"));
    frame_row("free", field(s->meminfo, "MemFree"));
    frame_row("kernel", field(s->vmstat, "vmlab_kernel_frames") * (long)FRAME_KIB);
    frame_row("page tables", field(s->meminfo, "PageTables"));
    frame_row("user pages", field(s->vmstat, "vmlab_user_frames") * (long)FRAME_KIB);
}

static void print_counters(const struct sources *s)
{
    const char *m = s->vmstat, *p = s->self_vmstat;
    printf("\npage faults           machine this process\n");
    counter_row("resolved", field(m, "pgfault") - field(m, "pgmajfault"),
                field(p, "pgfault") - field(p, "pgmajfault"),
                "faults that made memory appear, without the disk (minor)");
    counter_row("from disk", field(m, "pgmajfault"), field(p, "pgmajfault"),
                "faults that read a file's page first (major)");
    counter_row("file page", field(m, "vmlab_object_maps"), field(p, "vmlab_object_maps"),
                "first touches served from a page cache (files, shared)");
    counter_row("zero page", field(m, "vmlab_zero_page_maps"), field(p, "vmlab_zero_page_maps"),
                "reads of untouched pages: the shared page of zeros");
    counter_row("zero fill", field(m, "vmlab_zero_fills"), field(p, "vmlab_zero_fills"),
                "writes of untouched pages: a fresh zeroed frame");
    counter_row("cow copy", field(m, "vmlab_cow_copies"), field(p, "vmlab_cow_copies"),
                "writes to pages fork shared: copied");
    counter_row("cow reuse", field(m, "vmlab_cow_reuses"), field(p, "vmlab_cow_reuses"),
                "... but the last reference: made writable");
    counter_row("stack growth", field(m, "vmlab_stack_growths"), field(p, "vmlab_stack_growths"),
                "the stack extended down a page");
    counter_row("killed", field(m, "vmlab_fault_kills"), field(p, "vmlab_fault_kills"),
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
    bool read = read_file("/proc/meminfo", s.meminfo, TEXT_MAX) &&
                read_file("/proc/vmstat", s.vmstat, TEXT_MAX) &&
                read_file("/proc/self/status", s.status, TEXT_MAX) &&
                read_file("/proc/self/smaps_rollup", s.rollup, TEXT_MAX);
    if (!read) {
        printf("vmstat: /proc cannot be read, so there is nothing to show\n");
        return 1;
    }
    if (!read_file("/proc/self/vmstat", s.self_vmstat, TEXT_MAX) ||
        field(s.vmstat, "vmlab_user_frames") < 0) {
        printf("vmstat: the vmlab_ counters of /proc/vmstat and /proc/self/vmstat are vmlab's "
               "own; this kernel has none, so there is nothing to show\n");
        return 0;
    }
    print_frames(&s);
    print_counters(&s);
    long rss = field(s.status, "VmRSS"), hwm = field(s.status, "VmHWM");
    printf("\nthis process: %ld pages resident (%ld KiB), at most %ld so far\n",
           rss / (long)FRAME_KIB, rss, hwm / (long)FRAME_KIB);
    printf("  shared with another mapping: %ld KiB (clean %ld, dirty %ld); "
           "proportional share (PSS) %ld KiB\n",
           field(s.rollup, "Shared_Clean") + field(s.rollup, "Shared_Dirty"),
           field(s.rollup, "Shared_Clean"), field(s.rollup, "Shared_Dirty"),
           field(s.rollup, "Pss"));
    return 0;
}
