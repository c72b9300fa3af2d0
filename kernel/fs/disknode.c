/*
 * disknode.c — /dev/vda, /dev/vdb, ...: the disks as files (disknode.h).
 */
#include "disknode.h"

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"

#define VIRTIO_BLK_MAJOR  254 /* Linux's virtio_blk registers this major */
#define MINORS_PER_DISK   16  /* vda is 254:0, vda1 254:1 ... vdb 254:16 */
#define DISK_NODE_MODE    (S_IFBLK | 0660)
#define DISK_BLKSIZE      4096
#define READ_CHUNK        4096 /* bytes read from the disk at a time (a page) */
#define SECTORS_PER_CHUNK (READ_CHUNK / BLOCK_SECTOR_SIZE)

static void disk_stat(const struct file *f, struct linux_stat *st);
static long disk_read(struct file *f, struct uio *to, uint64_t *pos);
static long disk_llseek(struct file *f, int64_t offset, int whence);

static const struct file_ops disk_ops = {
    .read = disk_read,
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

/* Bytes from *pos on, up to the end of the disk, a page of sectors at a time
 * through a kernel buffer. Bytes read, 0 at the end, or -EIO / -EFAULT / -ENOMEM
 * (if nothing was read). */
static long disk_read(struct file *f, struct uio *to, uint64_t *pos)
{
    struct block_device *dev = disknode_device(f->private);
    uint64_t end = disk_bytes(f);
    uint8_t *chunk = kmalloc(READ_CHUNK);
    if (dev == NULL || chunk == NULL) {
        kfree(chunk);
        return dev == NULL ? -ENXIO : -ENOMEM;
    }
    long done = 0;
    while (to->resid > 0 && *pos < end) {
        uint64_t first = *pos / READ_CHUNK * SECTORS_PER_CHUNK, skip = *pos % READ_CHUNK;
        uint64_t sectors = end / BLOCK_SECTOR_SIZE - first;
        uint32_t count = sectors < SECTORS_PER_CHUNK ? (uint32_t)sectors : SECTORS_PER_CHUNK;
        int error = block_read(dev, first, count, chunk);
        if (error != 0) {
            done = done > 0 ? done : error;
            break;
        }
        size_t want = count * BLOCK_SECTOR_SIZE - skip;
        want = want < to->resid ? want : to->resid;
        size_t n = uio_copy_out(to, chunk + skip, want);
        done += (long)n;
        *pos += n;
        if (n < want) {
            done = done > 0 ? done : -EFAULT;
            break;
        }
    }
    kfree(chunk);
    return done;
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
