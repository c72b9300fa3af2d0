/*
 * swapon.c — swapon(2), swapoff(2) and `swap=vdX` (swapon.h): from a path to a
 * disk, from the disk's first page to a swap area that mm/ takes (mm/swap.h).
 *
 * swapon("/dev/vdb", flags), step by step:
 *   1. flags: Linux's only (priority, SWAP_FLAG_PREFER, the discard bits), else -EINVAL
 *   2. the path to an inode (-EFAULT, -ENOENT, -ENOTDIR...), the inode to a disk:
 *      a disk node (/dev/vdb) gives its disk; a regular file is -ENOTBLK (vmlab
 *      swaps to disks only; Linux takes swap files too), a directory -EISDIR,
 *      anything else (/dev/null) -EINVAL
 *   3. this disk is the active area already: -EBUSY; another is: -EPERM (one
 *      area at a time)
 *   4. a file system is mounted from the disk (the root disk): -EBUSY
 *   5. its first page, read and checked (swap_header.c): -EINVAL if refused,
 *      with one kernel line saying why
 *   6. the map of where each slot lies (swap_map.h): a disk is one extent,
 *      slot N at the disk's bytes N * 4096 ... N * 4096 + 4095, i.e. sectors
 *      8N .. 8N + 7
 *   7. mm/ takes the area, with the two functions below that move pages
 *      between frames and slots, one disk request per extent.
 *
 * Linux's answers, read in mm/swapfile.c (6.1) and the open path it uses:
 *   flags & ~SWAP_FLAGS_VALID            -EINVAL, before anything else
 *   no CAP_SYS_ADMIN                     -EPERM (vmlab: everyone is root)
 *   every area type in use (alloc_swap_info: MAX_SWAPFILES, about 30)
 *                                        -EPERM, before the path is looked at.
 *                                        vmlab's limit is one area, and it looks
 *                                        at the path first, so a second swapon of
 *                                        the active disk is -EBUSY as on Linux.
 *   bad pointer / missing path           -EFAULT / -ENOENT (getname, open)
 *   a directory                          -EISDIR (the O_RDWR open)
 *   a disk in use: mounted or swapping   -EBUSY (claim_swapfile's exclusive open)
 *   neither a disk nor a regular file    -EINVAL (claim_swapfile)
 *   a header read_swap_header refuses    -EINVAL
 *   swapoff of anything not active       -EINVAL
 * vmlab's own: -ENOTBLK for a regular file; -EROFS for a read-only disk (QEMU's
 * readonly=on), which could never take a page.
 */
#include "swapon.h"

#include "kernel/cmdline.h"
#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/disknode.h"
#include "kernel/fs/inode.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/stat.h"
#include "kernel/fs/sys_path.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "lib/string.h"
#include "mm/check_swap.h"
#include "mm/kheap.h"
#include "mm/swap.h"
#include "swap_header.h"
#include "swap_map.h"

/* swapon's flags (Linux's include/linux/swap.h) */
#define SWAP_FLAG_PREFER      0x8000 /* the priority in the low bits is meant */
#define SWAP_FLAG_PRIO_MASK   0x7fff
#define SWAP_FLAG_DISCARD     0x10000
#define SWAP_FLAG_DISCARD_ONE 0x20000
#define SWAP_FLAG_DISCARD_PGS 0x40000
#define SWAP_FLAGS_VALID                                                                           \
    (SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONE |          \
     SWAP_FLAG_DISCARD_PGS)
/* Linux numbers areas swapped on without a priority -2, -3, ... (-1 is left for
 * none); with one area at a time it is always -2 */
#define SWAP_DEFAULT_PRIORITY (-2)

#define SECTORS_PER_PAGE (SWAP_HEADER_SIZE / BLOCK_SECTOR_SIZE) /* 8 */
#define DEV_PREFIX       "/dev/"

/* The active area: its disk (NULL: none), where each slot lies (swap_map.h),
 * the I/O mm/ was given, its priority. */
static struct {
    struct block_device *dev;
    struct swap_map map;
    struct swap_io io;
    int priority;
} area;

/* The header of the disk being enabled (2.6 KiB: not for the kernel stack);
 * used under swap_lock only. */
static struct swap_area_header header;

/* One swapon or swapoff at a time: each sleeps in disk I/O (swapoff for long). */
static bool swap_locked;

static void swap_lock(void)
{
    while (swap_locked)
        sleep_on(&swap_locked);
    swap_locked = true;
}

static void swap_unlock(void)
{
    swap_locked = false;
    wakeup(&swap_locked);
}

/* ---- moving a page: what mm/ calls (struct swap_io) ---- */

/* The part of slots [*slot, *slot + *count) that lies contiguously on the disk:
 * its first sector and its length in slots (*slot and *count move past it).
 * False if the map has no such slot (mm/ never asks for one). */
static bool next_run(uint64_t *slot, uint32_t *count, uint64_t *sector, uint32_t *slots)
{
    uint64_t run;
    if (!swap_map_find(&area.map, *slot, sector, &run))
        return false;
    *slots = run < *count ? (uint32_t)run : *count;
    *slot += *slots;
    *count -= *slots;
    return true;
}

/* Slots [slot, slot + count) of the area into pages (count * 4096 bytes): one
 * disk request per extent they span. 0 or -EIO. Sleeps. */
static int swap_read_pages(void *unused, uint64_t slot, uint32_t count, void *pages)
{
    (void)unused;
    uint8_t *into = pages;
    while (count > 0) {
        uint64_t sector;
        uint32_t slots;
        if (!next_run(&slot, &count, &sector, &slots) ||
            block_read(area.dev, sector, slots * SECTORS_PER_PAGE, into) != 0)
            return -EIO;
        into += (uint64_t)slots * SWAP_HEADER_SIZE;
    }
    return 0;
}

/* pages into slots [slot, slot + count), as swap_read_pages. 0 or -EIO. Sleeps. */
static int swap_write_pages(void *unused, uint64_t slot, uint32_t count, const void *pages)
{
    (void)unused;
    const uint8_t *from = pages;
    while (count > 0) {
        uint64_t sector;
        uint32_t slots;
        if (!next_run(&slot, &count, &sector, &slots) ||
            block_write(area.dev, sector, slots * SECTORS_PER_PAGE, from) != 0)
            return -EIO;
        from += (uint64_t)slots * SWAP_HEADER_SIZE;
    }
    return 0;
}

/* ---- from a path to a disk ---- */

/* The disk behind inode ip, as step 2 of the comment at the top answers. */
static long disk_of_inode(const struct inode *ip, struct block_device **dev)
{
    switch (ip->mode & S_IFMT) {
    case S_IFBLK:
        *dev = ip->chardev != NULL ? disknode_device(ip->chardev) : NULL;
        return *dev != NULL ? 0 : -ENXIO; /* a node of no disk: open says ENXIO */
    case S_IFREG: return -ENOTBLK;
    case S_IFDIR: return -EISDIR;
    default: return -EINVAL;
    }
}

/* The disk the path at user address at names (relative paths from the working
 * directory, links followed). 0 and *dev, or -errno. */
static long disk_of_path(vaddr_t at, struct block_device **dev)
{
    char *path;
    long error = path_from_user(at, &path);
    if (error != 0)
        return error;
    struct inode *start = NULL, *ip = NULL;
    error = path[0] == '/' ? 0 : start_dir(AT_FDCWD, &start);
    if (error == 0)
        error = namei(start, path, NAMEI_FOLLOW, &ip);
    inode_put(start);
    kfree(path);
    if (error == 0)
        error = disk_of_inode(ip, dev);
    inode_put(ip);
    return error;
}

/* ---- enabling and disabling ---- */

/* Step 5: read dev's first page and check it. 0 and `header` filled, or -EINVAL
 * (one line says why), -EIO, -ENOMEM. */
static int read_header(struct block_device *dev)
{
    uint64_t device_pages = block_sector_count(dev) / SECTORS_PER_PAGE;
    if (device_pages == 0) {
        kprintf("swap: %s: smaller than a page\n", block_device_name(dev));
        return -EINVAL;
    }
    uint8_t *page = kmalloc(SWAP_HEADER_SIZE);
    if (page == NULL)
        return -ENOMEM;
    int error = block_read(dev, 0, SECTORS_PER_PAGE, page);
    if (error == 0) {
        enum swap_header_error why = swap_header_parse(page, device_pages, &header);
        if (why != SWAP_HEADER_OK) {
            kprintf("swap: %s: %s\n", block_device_name(dev), swap_header_error_string(why));
            error = -EINVAL;
        }
    }
    kfree(page);
    return error;
}

/* Steps 3 to 6 for disk dev, under swap_lock. 0 (one kernel line says how big
 * the area is) or -errno, with nothing changed. */
static int enable_disk(struct block_device *dev, int priority)
{
    if (area.dev == dev)
        return -EBUSY;
    if (area.dev != NULL || swap_area_active())
        return -EPERM; /* one area at a time */
    if (vfs_disk_mounted(dev))
        return -EBUSY;
    if (block_read_only(dev))
        return -EROFS;
    int error = read_header(dev);
    if (error == 0) /* the whole disk is one extent: slot N at sector 8N */
        error = swap_map_append(&area.map, 0, header.pages);
    area.io = (struct swap_io){ swap_read_pages, swap_write_pages, NULL };
    if (error == 0)
        error = swap_area_enable(&area.io, header.pages, header.bad, header.nbad);
    if (error != 0) {
        swap_map_free(&area.map);
        return error;
    }
    area.dev = dev;
    area.priority = priority;
    mm_check_swap_area_enabled(); /* the invariant check's recount for its slots */
    uint64_t slots = swap_stats().slots;
    kprintf("swap: %s, %lu pages (%lu KiB), %u bad%s\n", block_device_name(dev), slots,
            slots * (SWAP_HEADER_SIZE / 1024), header.nbad,
            header.byte_swapped ? " (header byte-swapped)" : "");
    return 0;
}

/* swapoff of the active area, under swap_lock: every page comes back first. */
static int disable_area(void)
{
    int error = swap_area_disable();
    if (error != 0)
        return error;
    kinfo("swap: %s off\n", block_device_name(area.dev));
    swap_map_free(&area.map);
    area.dev = NULL;
    return 0;
}

/* ---- the system calls ---- */

/* swapon(path, flags): 0 or -errno (the comment at the top). */
long sys_swapon(struct syscall_args a)
{
    int flags = (int)a.arg[1]; /* an int in Linux's prototype: the high half is ignored */
    if (flags & ~SWAP_FLAGS_VALID)
        return -EINVAL;
    struct block_device *dev;
    long error = disk_of_path(a.arg[0], &dev);
    if (error != 0)
        return error;
    int priority = flags & SWAP_FLAG_PREFER ? flags & SWAP_FLAG_PRIO_MASK : SWAP_DEFAULT_PRIORITY;
    swap_lock();
    error = enable_disk(dev, priority);
    swap_unlock();
    return error;
}

/* swapoff(path): 0, or -EINVAL if path is not the active area (a regular file
 * too, as on Linux), -ENOMEM if its pages do not fit in memory, path errors. */
long sys_swapoff(struct syscall_args a)
{
    struct block_device *dev;
    long error = disk_of_path(a.arg[0], &dev);
    if (error == -ENOTBLK)
        return -EINVAL;
    if (error != 0)
        return error;
    swap_lock();
    error = area.dev != NULL && area.dev == dev ? disable_area() : -EINVAL;
    swap_unlock();
    return error;
}

/* ---- at boot, and for /proc ---- */

void swap_enable_at_boot(const char *cmdline)
{
    char value[SWAP_DEVICE_NAME_MAX + sizeof DEV_PREFIX];
    if (!cmdline_get(cmdline, "swap", value, sizeof value))
        return;
    const char *name = value; /* swap=vdb, or swap=/dev/vdb */
    if (strncmp(name, DEV_PREFIX, strlen(DEV_PREFIX)) == 0)
        name += strlen(DEV_PREFIX);
    struct block_device *dev = block_device_find(name);
    swap_lock();
    int error = dev != NULL ? enable_disk(dev, SWAP_DEFAULT_PRIORITY) : -ENODEV;
    swap_unlock();
    if (error != 0)
        kprintf("swap=%s: no swap (error %d%s)\n", value, error,
                dev == NULL ? ": no such disk" : "");
}

bool swap_device_info(struct swap_device_info *out)
{
    if (area.dev == NULL)
        return false;
    strlcpy(out->name, block_device_name(area.dev), sizeof out->name);
    out->priority = area.priority;
    return true;
}

uint64_t swap_map_frames(void)
{
    return swap_map_kernel_frames(&area.map);
}
