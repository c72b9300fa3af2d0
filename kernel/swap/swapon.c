/*
 * swapon.c — swapon(2), swapoff(2) and `swap=vdX` (swapon.h): from a path to a
 * disk or a swap file, from its first page to a swap area that mm/ takes
 * (mm/swap.h), and the page I/O through the area's map (swap_map.h).
 *
 * swapon("/dev/vdb" or "/swapfile", flags), step by step:
 *   1. flags: Linux's only (priority, SWAP_FLAG_PREFER, the discard bits), else -EINVAL
 *   2. the path to an inode (-EFAULT, -ENOENT, -ENOTDIR...): a disk node
 *      (/dev/vdb) gives its disk; a regular file is a swap file; a directory
 *      is -EISDIR, anything else (/dev/null) -EINVAL
 *   3. this disk or file is the active area already: -EBUSY; another is: -EPERM
 *      (one area at a time)
 *   4. a disk: a file system is mounted from it (the root disk): -EBUSY.
 *      A file: its file system lends it (kernel/fs/swapfile.h: marked, so that
 *      write and truncate are -ETXTBSY and unlink -EPERM from now on; its cached
 *      pages written back and dropped)
 *   5. its first page, read and checked (swap_header.c): -EINVAL if refused,
 *      with one kernel line saying why; a file's length is its size
 *   6. the map of where each slot lies: a disk is one extent (slot N at sectors
 *      8N .. 8N + 7); a file's pages are looked up in its block map, Linux's
 *      walk (swap_map.h): a hole anywhere is -EINVAL ("swapfile has holes")
 *   7. mm/ takes the area, with the two functions below that move pages
 *      between frames and slots, one disk request per extent.
 *
 * Linux's answers, read in mm/swapfile.c (6.1) and the paths it uses:
 *   flags & ~SWAP_FLAGS_VALID            -EINVAL, before anything else
 *   no CAP_SYS_ADMIN                     -EPERM (vmlab: everyone is root)
 *   every area type in use (alloc_swap_info: MAX_SWAPFILES, about 30)
 *                                        -EPERM, before the path is looked at.
 *                                        vmlab's limit is one area, and it looks
 *                                        at the path first, so a second swapon of
 *                                        the active disk or file is -EBUSY as on Linux.
 *   bad pointer / missing path           -EFAULT / -ENOENT (getname, open)
 *   a directory                          -EISDIR (the O_RDWR open)
 *   a disk in use: mounted or swapping   -EBUSY (claim_swapfile's exclusive open)
 *   a file that is an area already       -EBUSY (IS_SWAPFILE, sys_swapon)
 *   a running program, a read-only fs    -ETXTBSY, -EROFS (the O_RDWR open)
 *   a file with no read_folio (/proc's)  -EINVAL
 *   neither a disk nor a regular file    -EINVAL (claim_swapfile)
 *   a header read_swap_header refuses    -EINVAL (a file: its size is the limit)
 *   a hole anywhere in its whole pages   -EINVAL (Debian's 6.1 serves ext2 with the
 *                                        ext4 driver: iomap_swapfile_activate;
 *                                        generic_swapfile_activate, whose walk
 *                                        swap_map.c follows, looks only as far
 *                                        as the header's pages)
 *   no page-aligned page after the header -EINVAL ("Empty swap-file")
 *   swapoff of anything not active       -EINVAL
 * and while a file is an area: write -ETXTBSY (generic_write_checks), a truncate
 * that does not grow it -ETXTBSY (inode_newsize_ok, O_TRUNC too), a shared
 * writable mmap -ETXTBSY (do_mmap), a store through a shared mapping made
 * writable by mprotect SIGBUS, unlink and rename of any of its names -EPERM
 * (may_delete), execve -ETXTBSY (its swapon holds it open O_RDWR: a writer,
 * deny_write_access); a truncate that grows it is allowed, and the area stays as
 * it was. tests/boot/swapfile.sh compares these with what Linux 6.1 printed
 * (tests/boot/swapfile/linux.out). Last line of defence, vmlab's own: the page
 * cache never writes a page of it back (-EIO for write-back).
 * vmlab's own: -EROFS for a read-only disk (QEMU's readonly=on), which could
 * never take a page.
 */
#include "swapon.h"

#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/disknode.h"
#include "kernel/fs/inode.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/procfs/paths.h"
#include "kernel/fs/swapfile.h"
#include "kernel/fs/stat.h"
#include "kernel/fs/sys_path.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "lib/format.h"
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
#define SWAP_NAME_MAX    256 /* a swap file's path in kernel lines (longer: cut) */

/* The active area: the disk its slots are on (NULL: none), the swap file whose
 * blocks they are (a reference held; NULL: the whole disk), where each slot lies
 * (swap_map.h), the I/O mm/ was given, its priority. */
static struct {
    struct block_device *dev;
    struct inode *file;
    struct swap_map map;
    struct swap_io io;
    int priority;
} area;

/* The header of the area being enabled (2.6 KiB: not for the kernel stack);
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

/* ---- from a path to an inode ---- */

/* The inode the path at user address at names (relative paths from the working
 * directory, links followed), with a reference. 0 and *out, or -errno. */
static long inode_of_path(vaddr_t at, struct inode **out)
{
    char *path;
    long error = path_from_user(at, &path);
    if (error != 0)
        return error;
    struct inode *start = NULL;
    error = path[0] == '/' ? 0 : start_dir(AT_FDCWD, &start);
    if (error == 0)
        error = namei(start, path, NAMEI_FOLLOW, out);
    inode_put(start);
    kfree(path);
    return error;
}

/* The disk of a disk node (/dev/vdb). 0 and *dev, or -ENXIO (a node of no disk:
 * open says so). */
static long disk_of_node(const struct inode *ip, struct block_device **dev)
{
    *dev = ip->chardev != NULL ? disknode_device(ip->chardev) : NULL;
    return *dev != NULL ? 0 : -ENXIO;
}

/* ---- the header ---- */

/* Check the first page of area `name`, which is `pages` pages long. 0 and
 * `header` filled, or -EINVAL (one line says why). */
static int check_header(const char *name, const uint8_t *page, uint64_t pages)
{
    enum swap_header_error why = swap_header_parse(page, pages, &header);
    if (why == SWAP_HEADER_OK)
        return 0;
    kprintf("swap: %s: %s\n", name, swap_header_error_string(why));
    return -EINVAL;
}

/* Step 5 for a disk: read dev's first page and check it. 0 and `header` filled,
 * or -EINVAL (one line says why), -EIO, -ENOMEM. */
static int read_disk_header(struct block_device *dev)
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
    if (error == 0)
        error = check_header(block_device_name(dev), page, device_pages);
    kfree(page);
    return error;
}

/* The same for swap file ip of size bytes (named name in messages): its first
 * page, as the file system reads it; its length in pages is its size's (Linux's
 * swapfilepages). */
static int read_file_header(struct inode *ip, const char *name, uint64_t size)
{
    if (size < SWAP_HEADER_SIZE) {
        kprintf("swap: %s: smaller than a page\n", name);
        return -EINVAL;
    }
    uint8_t *page = kmalloc(SWAP_HEADER_SIZE);
    if (page == NULL)
        return -ENOMEM;
    int64_t got = swapfile_read(ip, 0, page, SWAP_HEADER_SIZE);
    int error = got == SWAP_HEADER_SIZE ? check_header(name, page, size / SWAP_HEADER_SIZE) : -EIO;
    kfree(page);
    return error;
}

/* ---- enabling and disabling ---- */

/* Hand the area mapped in area.map, on disk dev, to mm/: its first `pages`
 * slots, minus the header's bad ones. 0 or -errno, with area.dev still NULL. */
static int start_area(struct block_device *dev, uint64_t pages, int priority)
{
    area.io = (struct swap_io){ swap_read_pages, swap_write_pages, NULL };
    int error = swap_area_enable(&area.io, pages, header.bad, header.nbad);
    if (error != 0)
        return error;
    area.dev = dev;
    area.priority = priority;
    mm_check_swap_area_enabled(); /* the invariant check's recount for its slots */
    return 0;
}

/* One kernel line: what the area is and how big. */
static void report_area(const char *what)
{
    uint64_t slots = swap_stats().slots;
    kprintf("swap: %s, %lu pages (%lu KiB), %u bad%s\n", what, slots,
            slots * (SWAP_HEADER_SIZE / 1024), header.nbad,
            header.byte_swapped ? " (header byte-swapped)" : "");
}

/* Steps 3 to 6 for disk dev, under swap_lock. 0 (one kernel line says how big
 * the area is) or -errno, with nothing changed. */
static int enable_disk(struct block_device *dev, int priority)
{
    if (area.dev == dev && area.file == NULL)
        return -EBUSY;
    if (area.dev != NULL || swap_area_active())
        return -EPERM; /* one area at a time */
    if (vfs_disk_mounted(dev))
        return -EBUSY;
    if (block_read_only(dev))
        return -EROFS;
    int error = read_disk_header(dev);
    if (error == 0) /* the whole disk is one extent: slot N at sector 8N */
        error = swap_map_append(&area.map, 0, header.pages);
    if (error == 0)
        error = start_area(dev, header.pages, priority);
    if (error != 0) {
        swap_map_free(&area.map);
        return error;
    }
    report_area(block_device_name(dev));
    return 0;
}

/* How swap_map_build_file asks where a block of the swap file lies. */
static int file_bmap(void *ip, uint64_t block, uint64_t *disk_block)
{
    return swapfile_bmap(ip, block, disk_block);
}

/* Map the claimed swap file ip (laid out as l says) into area.map, as far as
 * the header reaches. 0, or -EINVAL for a hole (one line says so), -EIO, -ENOMEM. */
static int map_file(struct inode *ip, const char *name, const struct swapfile_layout *l)
{
    uint64_t whole_pages = l->size / SWAP_HEADER_SIZE;
    struct swap_map_file f = { l->block_size, whole_pages * (SWAP_HEADER_SIZE / l->block_size),
                               header.pages, file_bmap, ip };
    int error = swap_map_build_file(&area.map, &f);
    if (error == -EINVAL)
        kprintf("swap: %s: swapfile has holes\n", name);
    else if (error == 0 && area.map.pages < 2)
        kprintf("swap: %s: empty swap file (no page-aligned run of blocks)\n", name);
    return error == 0 && area.map.pages < 2 ? -EINVAL : error;
}

/* swapon of regular file ip (named name), under swap_lock: claimed from its file
 * system, its header read, its blocks mapped, handed to mm/. 0 or -errno, with
 * the file released again. */
static int enable_file(struct inode *ip, const char *name, int priority)
{
    if (area.file == ip)
        return -EBUSY; /* Linux: IS_SWAPFILE */
    if (area.dev != NULL || swap_area_active())
        return -EPERM; /* one area at a time */
    struct swapfile_layout layout;
    int error = swapfile_claim(ip, &layout);
    if (error != 0)
        return error;
    error = read_file_header(ip, name, layout.size);
    if (error == 0)
        error = map_file(ip, name, &layout);
    if (error == 0)
        error = start_area(layout.dev, area.map.pages, priority);
    if (error != 0) {
        swap_map_free(&area.map);
        swapfile_release(ip);
        return error;
    }
    area.file = inode_ref(ip);
    char what[SWAP_NAME_MAX + 32];
    snprintf(what, sizeof what, "%s (a file on %s)", name, block_device_name(layout.dev));
    report_area(what);
    return 0;
}

/* swapoff of the active area, under swap_lock: every page comes back first. */
static int disable_area(void)
{
    int error = swap_area_disable();
    if (error != 0)
        return error;
    kinfo("swap: %s%s off\n", area.file != NULL ? "a file on " : "", block_device_name(area.dev));
    if (area.file != NULL)
        swapfile_release(area.file);
    inode_put(area.file);
    swap_map_free(&area.map);
    area.dev = NULL;
    area.file = NULL;
    return 0;
}

/* ---- the system calls ---- */

/* swapon of ip, whatever kind of file it is (step 2 of the comment at the top),
 * under swap_lock. */
static long enable_inode(struct inode *ip, int priority)
{
    struct block_device *dev;
    long error;
    switch (ip->mode & S_IFMT) {
    case S_IFBLK:
        error = disk_of_node(ip, &dev);
        return error != 0 ? error : enable_disk(dev, priority);
    case S_IFREG: {
        char name[SWAP_NAME_MAX];
        if (procfs_path_of(ip, name, sizeof name) < 0)
            strlcpy(name, "a swap file", sizeof name);
        return enable_file(ip, name, priority);
    }
    case S_IFDIR: return -EISDIR;
    default: return -EINVAL;
    }
}

/* swapon(path, flags): 0 or -errno (the comment at the top). */
long sys_swapon(struct syscall_args a)
{
    int flags = (int)a.arg[1]; /* an int in Linux's prototype: the high half is ignored */
    if (flags & ~SWAP_FLAGS_VALID)
        return -EINVAL;
    struct inode *ip;
    long error = inode_of_path(a.arg[0], &ip);
    if (error != 0)
        return error;
    int priority = flags & SWAP_FLAG_PREFER ? flags & SWAP_FLAG_PRIO_MASK : SWAP_DEFAULT_PRIORITY;
    swap_lock();
    error = enable_inode(ip, priority);
    swap_unlock();
    inode_put(ip);
    return error;
}

/* Is ip the active area: its disk's node, or its swap file? 0, or -EINVAL (it
 * is not), -EISDIR, -ENXIO, as Linux's swapoff answers. */
static long check_active(struct inode *ip)
{
    struct block_device *dev;
    switch (ip->mode & S_IFMT) {
    case S_IFBLK:
        if (disk_of_node(ip, &dev) != 0)
            return -ENXIO;
        return area.dev != NULL && area.file == NULL && area.dev == dev ? 0 : -EINVAL;
    case S_IFREG: return area.file != NULL && area.file == ip ? 0 : -EINVAL;
    case S_IFDIR: return -EISDIR; /* Linux's O_RDWR open */
    default: return -EINVAL;
    }
}

/* swapoff(path): 0, or -EINVAL if path is not the active area, -ENOMEM if its
 * pages do not fit in memory, path errors. */
long sys_swapoff(struct syscall_args a)
{
    struct inode *ip;
    long error = inode_of_path(a.arg[0], &ip);
    if (error != 0)
        return error;
    /* emptying the area takes memory for every page on it: when there is none,
     * this process is the one to die, not a bystander (Linux: oom_origin) */
    current_proc()->oom_origin = true;
    swap_lock();
    error = check_active(ip);
    if (error == 0)
        error = disable_area();
    swap_unlock();
    inode_put(ip);
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
    out->file = inode_ref(area.file);
    out->priority = area.priority;
    return true;
}

uint64_t swap_map_frames(void)
{
    return swap_map_kernel_frames(&area.map);
}

bool swap_file_active(void)
{
    return area.file != NULL;
}
