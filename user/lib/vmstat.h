/*
 * vmstat.h — vmlab's memory counters (vmlab_vmstat, system call 500).
 *
 * Linux has no such call (it keeps these numbers in /proc/vmstat and
 * /proc/self/stat); vmlab, which has no files, hands them out through its own
 * system call. The programs that demonstrate virtual memory read the counters
 * before and after an action and show the difference:
 *
 *     struct vmlab_vmstat before, after;
 *     vmstat_read(&before);
 *     ... write 8 untouched pages ...
 *     vmstat_read(&after);           after.self.zero_fills - before.self.zero_fills == 8
 *
 * On Linux the call answers -ENOSYS: vmstat_read() returns false, and the programs
 * skip their counter checks (every check of what memory DOES still runs).
 */
#ifndef USER_LIB_VMSTAT_H
#define USER_LIB_VMSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "syscall.h" /* struct rusage */

#define SYS_vmlab_vmstat 500 /* beyond Linux's numbers */

/* What the page-fault handler did (the kernel's mm/fault.h). */
struct vm_counters {
    uint64_t minor_faults;   /* faults resolved without I/O */
    uint64_t zero_page_maps; /* reads of untouched memory: the shared zero page */
    uint64_t zero_fills;     /* writes of untouched private memory: a fresh zeroed frame */
    uint64_t cow_copies;     /* copy-on-write: the frame was shared, so copied */
    uint64_t cow_reuses;     /* copy-on-write: the last reference, made writable */
    uint64_t stack_growths;  /* the stack region extended down */
    uint64_t kills;          /* faults that could not be resolved */
    uint64_t major_faults;   /* faults that read the page from a file (disk I/O) */
    uint64_t object_maps;    /* first touches served from a page cache (file, shared) */
};

struct vmlab_vmstat {
    uint64_t total_frames, free_frames; /* physical 4 KiB frames */
    uint64_t kernel_frames;             /* in use by the kernel (heap, stacks, zero page) */
    uint64_t page_table_frames;         /* in use as page tables */
    uint64_t user_frames;               /* in use as user pages */
    struct vm_counters machine;         /* since boot, all processes */
    struct vm_counters self;            /* the calling process */
    uint64_t self_rss_pages;            /* pages of ours that have a frame now */
    uint64_t self_max_rss_pages;        /* the most we ever had */
    /* sharing, as Linux's /proc/PID/smaps measures it (user/sharedtext.c): */
    uint64_t self_shared_frames;      /* resident pages whose frame another mapping maps too */
    uint64_t self_pss_bytes;          /* proportional set size: each frame 4096 / its mappers */
    uint64_t self_text_pages;         /* resident pages of executable regions */
    uint64_t self_shared_text_frames; /* ... of which shared with another mapping */
};

/* The raw call: 0, -EFAULT, or -ENOSYS on a kernel without it (Linux). */
long sys_vmlab_vmstat(struct vmlab_vmstat *out);

/* Read the counters into out. False on a kernel without them (out is then all
 * zeros), so a program can write `if (vmstat_read(&s)) EXPECT(...)`. */
bool vmstat_read(struct vmlab_vmstat *out);

/* True if this kernel has vmlab_vmstat (asked once, then remembered). */
bool vmstat_available(void);

/* after - before, counter by counter. */
struct vm_counters vm_counters_delta(const struct vm_counters *before,
                                     const struct vm_counters *after);

/* Print one line of counter differences, e.g.
 *   "    [vmstat] faults +8: zero page 0, zero fill 8, cow copy 0, cow reuse 0, stack 0"
 * with label in place of "faults"; nothing on a kernel without the counters. */
void vmstat_print_delta(const char *label, const struct vm_counters *delta);

/* The counters and getrusage around one action:
 *
 *     struct vm_measure m;
 *     measure_start(&m);
 *     ... the action, calling nothing that could fault on its own ...
 *     measure_end(&m);          m.self.zero_fills, m.minor_faults, m.after.user_frames ...
 *
 * measure_start zeroes the whole record first: the kernel's copy into an untouched
 * page would itself be a page fault, counted in the middle of the measurement.
 * It also brings in every page of the program itself (program_pages_in): execve
 * maps the program, so its code and data pages come in on first touch, and a
 * function first called mid-measurement would otherwise add a fault and a page. */
struct vm_measure {
    struct vmlab_vmstat before, after; /* all zeros on a kernel without vmstat */
    struct rusage usage_before, usage_after;
    struct vm_counters self; /* after.self - before.self */
    long minor_faults;       /* from getrusage, so on Linux too */
    long rss_pages, user_frames, page_table_frames, free_frames; /* after - before */
};
void measure_start(struct vm_measure *m);

/* Touch every page of the program's own image now: read each page of its text and
 * read-only data, and write each page of its data (each gets its private copy of
 * the file's page). Costs faults once; afterwards, nothing. */
void program_pages_in(void);
void measure_end(struct vm_measure *m);

/* Touch the next STACK_PREFAULT_SIZE bytes of stack below the caller, so that the
 * calls made during a long measurement (printf, checks) find their stack pages
 * there already instead of growing the stack in the middle of it. */
#define STACK_PREFAULT_SIZE (32UL << 10)
void stack_prefault(void);

/* Print the "counters are vmlab's own" note once, on a kernel without them. */
void vmstat_note_if_missing(void);

/* On Linux, map this process's memory in 4 KiB pages only (prctl PR_SET_THP_DISABLE):
 * a transparent huge page (2 MiB, or one of the 16-64 KiB folios newer kernels may
 * use) is mapped by one fault for many pages, and the programs that count "a fault
 * per page touched" mean 4 KiB pages, the only size vmlab has. Call it first thing
 * in main; on vmlab it does nothing. */
void use_small_pages_only(void);

#endif
