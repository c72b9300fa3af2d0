/*
 * meminfo.c — /proc/meminfo and /proc/vmstat: the machine's memory, from the
 * frame allocator (mm/pmm.h), the page cache (mm/page_cache.h) and the page-fault
 * handler's counters (mm/fault.h's vm_totals), under Linux's names.
 *
 *   MemTotal      frames the allocator manages
 *   MemFree       of those, free now
 *   MemAvailable  free, plus cached file pages that reclaim may drop
 *   Cached        the page cache (file pages and shared anonymous memory)
 *   AnonPages     user frames that are no object's page (private memory)
 *   Mapped        cached pages some page-table entry maps (text, mapped files,
 *                 shared anonymous memory), as Linux's NR_FILE_MAPPED
 *   PageTables    frames holding page tables
 *   SwapTotal     slots of the swap area (mm/swap.h), SwapFree those holding
 *                 nothing, SwapCached swapped pages that are in a frame too
 */
#include "entries.h"
#include "kernel/loadctl.h"
#include "mm/fault.h"
#include "mm/kheap.h"
#include "mm/page_cache.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "mm/swap_in.h"

#define FRAME_KIB 4 /* PAGE_SIZE / 1024 */

/* One meminfo line: the name padded to 16 columns, the size in kB to 8. */
static void put_kib(struct procfs_text *t, const char *name, uint64_t frames)
{
    text_printf(t, "%-16s%8lu kB\n", name, frames * FRAME_KIB);
}

/* The lines vmlab has a number for, then Linux's others as 0, in Linux 6.1's
 * order (so programs that read them by position find them too). */
int show_meminfo(struct procfs_text *t, struct proc *p)
{
    (void)p;
    struct pmm_stats frames = pmm_stats();
    struct page_cache_stats cache = page_cache_stats();
    struct kheap_stats heap = kheap_stats();
    uint64_t anon =
        frames.used[FRAME_USER] > cache.cached ? frames.used[FRAME_USER] - cache.cached : 0;
    struct swap_stats swap = swap_stats();
    static const char *const zeros[] = {
        "Active:",       "Inactive:",       "Active(anon):", "Inactive(anon):",
        "Active(file):", "Inactive(file):", "Unevictable:",  "Mlocked:",
    };
    put_kib(t, "MemTotal:", frames.total);
    put_kib(t, "MemFree:", frames.free);
    put_kib(t, "MemAvailable:", frames.free + cache.cached - cache.kept - cache.dirty);
    put_kib(t, "Buffers:", 0);
    put_kib(t, "Cached:", cache.cached);
    put_kib(t, "SwapCached:", swap.cached);
    for (size_t i = 0; i < sizeof zeros / sizeof zeros[0]; i++)
        put_kib(t, zeros[i], 0);
    put_kib(t, "SwapTotal:", swap.slots);
    put_kib(t, "SwapFree:", swap.slots - swap.used);
    put_kib(t, "Zswap:", 0);
    put_kib(t, "Zswapped:", 0);
    put_kib(t, "Dirty:", cache.dirty);
    put_kib(t, "Writeback:", 0);
    put_kib(t, "AnonPages:", anon);
    put_kib(t, "Mapped:", page_cache_mapped());
    put_kib(t, "Shmem:", cache.kept);
    put_kib(t, "KReclaimable:", 0);
    put_kib(t, "Slab:", heap.slabs);
    put_kib(t, "SReclaimable:", 0);
    put_kib(t, "SUnreclaim:", heap.slabs);
    put_kib(t, "KernelStack:", 0);
    put_kib(t, "PageTables:", frames.used[FRAME_PAGE_TABLE]);
    static const char *const more_zeros[] = {
        "SecPageTables:", "NFS_Unstable:", "Bounce:",      "WritebackTmp:", "CommitLimit:",
        "Committed_AS:",  "VmallocTotal:", "VmallocUsed:", "VmallocChunk:", "Percpu:",
    };
    for (size_t i = 0; i < sizeof more_zeros / sizeof more_zeros[0]; i++)
        put_kib(t, more_zeros[i], 0);
    text_printf(t, "HardwareCorrupted: %5d kB\n", 0); /* a name too long for the column */
    static const char *const huge_zeros[] = {
        "AnonHugePages:", "ShmemHugePages:", "ShmemPmdMapped:", "FileHugePages:", "FilePmdMapped:",
    };
    for (size_t i = 0; i < sizeof huge_zeros / sizeof huge_zeros[0]; i++)
        put_kib(t, huge_zeros[i], 0);
    text_printf(t, "HugePages_Total:   %5d\nHugePages_Free:    %5d\n", 0, 0);
    text_printf(t, "HugePages_Rsvd:    %5d\nHugePages_Surp:    %5d\n", 0, 0);
    text_printf(t, "%-16s%8d kB\n%-16s%8d kB\n", "Hugepagesize:", 2048, "Hugetlb:", 0);
    return 0;
}

/* The page-fault handler's counters (mm/fault.h), under /proc/vmstat's names. */
static void put_fault_counters(struct procfs_text *t, const struct vm_counters *v)
{
    text_printf(t, "pgfault %lu\n", v->minor_faults + v->major_faults);
    text_printf(t, "pgmajfault %lu\n", v->major_faults);
    text_printf(t, "vmlab_zero_page_maps %lu\n", v->zero_page_maps);
    text_printf(t, "vmlab_zero_fills %lu\n", v->zero_fills);
    text_printf(t, "vmlab_cow_copies %lu\n", v->cow_copies);
    text_printf(t, "vmlab_cow_reuses %lu\n", v->cow_reuses);
    text_printf(t, "vmlab_stack_growths %lu\n", v->stack_growths);
    text_printf(t, "vmlab_object_maps %lu\n", v->object_maps);
    text_printf(t, "vmlab_fault_kills %lu\n", v->kills);
    text_printf(t, "vmlab_swap_ins %lu\n", v->swap_ins);               /* major: read from a slot */
    text_printf(t, "vmlab_swap_cache_hits %lu\n", v->swap_cache_hits); /* minor */
}

/* /proc/PID/vmstat, vmlab's own (Linux has none): what the page-fault handler
 * did for this process, with /proc/vmstat's names. */
int show_process_vmstat(struct procfs_text *t, struct proc *p)
{
    put_fault_counters(t, &p->vm);
    return 0;
}

/* /proc/vmstat: "name value" lines. Linux's names where vmlab counts the same
 * thing (pages, events since boot), then vmlab's own counters, which say what
 * each page fault did (mm/fault.c's table). */
int show_vmstat(struct procfs_text *t, struct proc *p)
{
    (void)p;
    struct pmm_stats frames = pmm_stats();
    struct page_cache_stats cache = page_cache_stats();
    text_printf(t, "nr_free_pages %lu\n", frames.free);
    text_printf(t, "nr_anon_pages %lu\n",
                frames.used[FRAME_USER] > cache.cached ? frames.used[FRAME_USER] - cache.cached
                                                       : 0);
    text_printf(t, "nr_file_pages %lu\n", cache.cached);
    text_printf(t, "nr_dirty %lu\n", cache.dirty);
    text_printf(t, "nr_writeback 0\n");
    text_printf(t, "nr_shmem %lu\n", cache.kept);
    text_printf(t, "nr_vmscan_write %lu\n", cache.reclaim_writes); /* written back by reclaim */
    text_printf(t, "nr_page_table_pages %lu\n", frames.used[FRAME_PAGE_TABLE]);
    text_printf(t, "pgpgin %lu\n", cache.reads * FRAME_KIB); /* KiB read from the disk */
    text_printf(t, "pgpgout %lu\n", cache.writebacks * FRAME_KIB);
    struct swap_stats swap = swap_stats();
    text_printf(t, "pswpin %lu\npswpout %lu\n", swap.pswpin, swap.pswpout); /* pages */
    struct swap_readahead_stats ra = swap_readahead_stats();
    text_printf(t, "swap_ra %lu\nswap_ra_hit %lu\n", ra.pages, ra.hits);
    struct reclaim_stats reclaim = reclaim_stats();
    text_printf(t, "pgscan_anon %lu\npgsteal_anon %lu\n", reclaim.scanned, reclaim.stolen);
    /* every swap-in brings back a page reclaim took: a refault of the working set */
    text_printf(t, "workingset_refault_anon %lu\n", vm_totals.swap_ins);
    put_fault_counters(t, &vm_totals);
    text_printf(t, "vmlab_page_cache_reclaimed %lu\n", cache.reclaimed);
    text_printf(t, "vmlab_page_cache_hits %lu\n", cache.hits);
    text_printf(t, "vmlab_file_write_errors %lu\n", cache.write_errors);
    text_printf(t, "vmlab_kernel_frames %lu\n", frames.used[FRAME_KERNEL]);
    text_printf(t, "vmlab_user_frames %lu\n", frames.used[FRAME_USER]);
    text_printf(t, "vmlab_kswapd_wakeups %lu\n", reclaim.kswapd_wakeups);
    text_printf(t, "vmlab_direct_reclaims %lu\n", reclaim.direct);
    struct loadctl_stats load = loadctl_stats(); /* kernel/loadctl.h */
    text_printf(t, "vmlab_ws_demand %lu\nvmlab_ws_memory %lu\n", load.demand, load.memory);
    text_printf(t, "vmlab_loadctl_suspends %lu\nvmlab_loadctl_resumes %lu\n", load.suspends,
                load.resumes);
    text_printf(t, "vmlab_loadctl_suspended %lu\n", load.suspended);
    return 0;
}
