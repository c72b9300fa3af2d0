/*
 * swaps.c — /proc/swaps: the active swap area (kernel/swap/swapon.h), in Linux's
 * layout (mm/swapfile.c, swap_show):
 *
 *   Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority
 *   /dev/vdb<32 spaces>partition\t65532\t\t0\t\t-2
 *   /swapfile<31 spaces>file\t\t16380\t\t0\t\t-2
 *
 * The name -- the disk node, or the swap file's path -- is padded with spaces to
 * 40 columns (at least one space), a space, tab, newline or backslash in it
 * written as \ and three octal digits ("/my\040swap", Linux's seq_file_path);
 * a file's type is "file" and a tab; Size and Used are KiB, each followed by a
 * second tab while under 10000000.
 */
#include "entries.h"
#include "kernel/errno.h"
#include "kernel/fs/inode.h"
#include "kernel/swap/swapon.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/swap.h"
#include "paths.h"

#define NAME_COLUMNS   40
#define PAGE_KIB       4
#define TWO_TABS_BELOW 10000000 /* Linux's layout: a wide number gets one tab */
#define DEV_PREFIX     "/dev/"

#define ESCAPED     " \t\n\\" /* what would split the line into wrong fields */
#define ESCAPE_SIZE 4         /* "\040" */

/* path into out (size bytes, zero-terminated, cut short if it must), each byte
 * of ESCAPED as a backslash and three octal digits. */
static void escape_path(const char *path, char *out, size_t size)
{
    size_t used = 0;
    for (; *path != '\0' && used + ESCAPE_SIZE < size; path++) {
        if (strchr(ESCAPED, *path) != NULL)
            used += (size_t)snprintf(out + used, size - used, "\\%03o", (unsigned char)*path);
        else
            out[used++] = *path;
    }
    out[used] = '\0';
}

/* The area's name into buf (size bytes): "/dev/vdb", or the swap file's path;
 * scratch is as big, for the path before escaping. */
static void area_name(const struct swap_device_info *area, char *buf, char *scratch, size_t size)
{
    if (area->file != NULL && procfs_path_of(area->file, scratch, size) >= 0)
        escape_path(scratch, buf, size);
    else
        snprintf(buf, size, "%s%s", area->file == NULL ? DEV_PREFIX : "?", area->name);
}

int show_swaps(struct procfs_text *t, struct proc *p)
{
    (void)p;
    text_printf(t, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    struct swap_device_info area;
    if (!swap_device_info(&area))
        return 0;
    char *name = kmalloc(PATH_MAX), *scratch = kmalloc(PATH_MAX);
    if (name == NULL || scratch == NULL) {
        kfree(name);
        kfree(scratch);
        inode_put(area.file);
        return -ENOMEM;
    }
    area_name(&area, name, scratch, PATH_MAX);
    kfree(scratch);
    struct swap_stats swap = swap_stats();
    uint64_t size = swap.slots * PAGE_KIB, used = swap.used * PAGE_KIB;
    int length = (int)strlen(name);
    text_printf(t, "%s%*s%s\t%lu\t%s%lu\t%s%d\n", name,
                length < NAME_COLUMNS ? NAME_COLUMNS - length : 1, " ",
                area.file != NULL ? "file\t" : "partition", size, size < TWO_TABS_BELOW ? "\t" : "",
                used, used < TWO_TABS_BELOW ? "\t" : "", area.priority);
    inode_put(area.file);
    kfree(name);
    return 0;
}
