/*
 * disknode.c — /dev/vda, /dev/vdb, ...: the disks as files (disknode.h).
 */
#include "disknode.h"

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "inode.h"
#include "kernel/swap/swapon.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mount.h"

#define VIRTIO_BLK_MAJOR 254 /* Linux's virtio_blk registers this major */
#define MINORS_PER_DISK  16  /* vda is 254:0, vda1 254:1 ... vdb 254:16 */
#define DISK_NODE_MODE   (S_IFBLK | 0660)
#define DISK_BLKSIZE     4096
#define BIG_CHUNK        65536 /* bytes moved to or from the disk at a time */
#define SMALL_CHUNK      4096  /* ... or a page, when memory is short */

static void disk_stat(const struct file *f, struct linux_stat *st);
static long disk_read(struct file *f, struct uio *to, uint64_t *pos);
static long disk_write(struct file *f, struct uio *from, uint64_t *pos);
static long disk_llseek(struct file *f, int64_t offset, int whence);

static const struct file_ops disk_ops = {
    .read = disk_read,
    .write = disk_write,
    .llseek = disk_llseek,
    .stat = disk_stat,
};

#define DISK_NODE(name, n)                                                                         \
    {                                                                                              \
        name, VIRTIO_BLK_MAJOR, MINORS_PER_DISK *(n), DISK_NODE_MODE, &disk_ops                    \
    }

/* As many as the block layer names (vda .. vdd). */
static const struct chardev disk_nodes[] = {
    DISK_NODE("vda", 0),
    DISK_NODE("vdb", 1),
    DISK_NODE("vdc", 2),
    DISK_NODE("vdd", 3),
};

#define DISK_NODE_COUNT ((int)(sizeof disk_nodes / sizeof disk_nodes[0]))

const struct chardev *disknode_at(int n)
{
    if (n < 0 || n >= DISK_NODE_COUNT || block_device_find(disk_nodes[n].name) == NULL)
        return NULL;
    return &disk_nodes[n];
}

struct block_device *disknode_device(const struct chardev *node)
{
    if (node < disk_nodes || node >= disk_nodes + DISK_NODE_COUNT)
        return NULL;
    return block_device_find(node->name);
}

static uint64_t disk_bytes(const struct file *f)
{
    struct block_device *dev = disknode_device(f->private);
    return dev != NULL ? block_sector_count(dev) * BLOCK_SECTOR_SIZE : 0;
}

/* Linux's stat of a block device: the numbers in st_rdev, size 0 (lsblk asks
 * the device, not stat). */
static void disk_stat(const struct file *f, struct linux_stat *st)
{
    const struct chardev *node = f->private;
    st->st_mode = node->mode;
    st->st_rdev = stat_makedev(node->major, node->minor);
    st->st_nlink = 1;
    st->st_blksize = DISK_BLKSIZE;
    st->st_ino = stat_makedev(node->major, node->minor); /* unique among devices */
}

/* Is dev busy with something a raw write would corrupt behind its back: a
 * mounted file system (its buffer cache) or the active swap area (mm/'s slots)? */
static bool disk_in_use(struct block_device *dev)
{
    struct swap_device_info swap;
    if (vfs_disk_mounted(dev))
        return true;
    if (!swap_device_info(&swap))
        return false;
    inode_put(swap.file); /* a swap file's disk is mounted: it was busy already */
    return strcmp(swap.name, block_device_name(dev)) == 0;
}

/* Move the bytes at *pos .. (up to the end of the disk) between the disk and the
 * caller's buffers, 64 KiB of sectors at a time through a kernel buffer. A write
 * of part of a chunk reads the chunk first (read-modify-write). Bytes moved, or, if
 * none, 0 at the end (reads) / -ENOSPC (writes), -EIO, -EFAULT, -ENOMEM. */
static long disk_transfer(struct file *f, struct uio *u, uint64_t *pos, bool write)
{
    struct block_device *dev = disknode_device(f->private);
    uint64_t end = disk_bytes(f);
    /* a request per 64 KiB, not per page: dd of a 16 MiB disk takes a third of the time */
    uint32_t size = BIG_CHUNK;
    uint8_t *chunk = kmalloc(size);
    if (chunk == NULL)
        chunk = kmalloc(size = SMALL_CHUNK);
    uint32_t sectors_per_chunk = size / BLOCK_SECTOR_SIZE;
    long done = 0, error = dev == NULL ? -ENXIO : chunk == NULL ? -ENOMEM : 0;
    while (error == 0 && u->resid > 0 && *pos < end) {
        uint64_t first = *pos / size * sectors_per_chunk, skip = *pos % size;
        uint64_t left = end / BLOCK_SECTOR_SIZE - first;
        uint32_t count = left < sectors_per_chunk ? (uint32_t)left : sectors_per_chunk;
        size_t want = count * BLOCK_SECTOR_SIZE - skip;
        want = want < u->resid ? want : u->resid;
        bool whole = skip == 0 && want == count * BLOCK_SECTOR_SIZE;
        if (!write || !whole)
            error = block_read(dev, first, count, chunk);
        size_t n = 0;
        if (error == 0)
            n = write ? uio_copy_in(u, chunk + skip, want) : uio_copy_out(u, chunk + skip, want);
        if (error == 0 && write && n > 0)
            error = block_write(dev, first, count, chunk);
        if (error == 0 && n < want)
            error = -EFAULT;
        if (error == 0 || !write) { /* a failed write moved nothing of this chunk */
            done += (long)n;
            *pos += n;
        }
    }
    kfree(chunk);
    if (done == 0 && error == 0 && write && u->resid > 0)
        error = -ENOSPC; /* at the end of the disk, as Linux's block devices say */
    return done > 0 ? done : error;
}

static long disk_read(struct file *f, struct uio *to, uint64_t *pos)
{
    return disk_transfer(f, to, pos, false);
}

/* Writing a disk a file system or swap is using would corrupt it: -EBUSY
 * (Linux lets root do it; vmlab has only root and protects it). */
static long disk_write(struct file *f, struct uio *from, uint64_t *pos)
{
    struct block_device *dev = disknode_device(f->private);
    if (dev != NULL && disk_in_use(dev))
        return -EBUSY;
    return disk_transfer(f, from, pos, true);
}

static long disk_llseek(struct file *f, int64_t offset, int whence)
{
    int64_t base = whence == SEEK_CUR   ? (int64_t)f->offset
                   : whence == SEEK_END ? (int64_t)disk_bytes(f)
                                        : 0;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
        return -EINVAL;
    return file_seek_from(f, base, offset);
}
