/*
 * swaps.c — /proc/swaps: the active swap area (kernel/swap/swapon.h), in Linux's
 * layout (mm/swapfile.c, swap_show):
 *
 *   Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority
 *   /dev/vdb<32 spaces>partition\t65532\t\t0\t\t-2
 *
 * The name is padded with spaces to 40 columns (at least one space); Size and
 * Used are KiB, each followed by a second tab while under 10000000.
 */
#include "entries.h"
#include "kernel/swap/swapon.h"
#include "lib/string.h"
#include "mm/swap.h"

#define NAME_COLUMNS   40
#define PAGE_KIB       4
#define TWO_TABS_BELOW 10000000 /* Linux's layout: a wide number gets one tab */

int show_swaps(struct procfs_text *t, struct proc *p)
{
    (void)p;
    text_printf(t, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    struct swap_device_info area;
    if (!swap_device_info(&area))
        return 0;
    struct swap_stats swap = swap_stats();
    uint64_t size = swap.slots * PAGE_KIB, used = swap.used * PAGE_KIB;
    int length = (int)strlen("/dev/") + (int)strlen(area.name);
    text_printf(t, "/dev/%s%*s%s\t%lu\t%s%lu\t%s%d\n", area.name,
                length < NAME_COLUMNS ? NAME_COLUMNS - length : 1, " ", "partition", size,
                size < TWO_TABS_BELOW ? "\t" : "", used, used < TWO_TABS_BELOW ? "\t" : "",
                area.priority);
    return 0;
}
