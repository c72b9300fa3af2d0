/*
 * mount.c — the mount table, and the three kinds of file system behind it
 * (mount.h).
 *
 *   slot 0  "/"    ext2 on vda, or FS_EMPTY when there is no ext2 disk
 *   slot 1  "/dev" devfs, hiding the name "dev" in the root directory
 *   slot 2  "/proc" procfs, hiding the name "proc" (procfs/procfs.h)
 *
 * A mount point is a (directory, name) pair: the walk asks the mount table before
 * it asks the file system, so /dev works whether or not the disk has a dev
 * directory, and `..` of a mount's root is the directory it is mounted in.
 */
#include "mount.h"

#include "chardev.h"
#include "devfs.h"
#include "ext2/dir.h"
#include "ext2/file.h"
#include "ext2/inode.h"
#include "ext2/namei.h"
#include "ext2/super.h"
#include "inode.h"
#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/page_cache.h"
#include "procfs/procfs.h"

#define MAX_MOUNTS       3
#define ROOT_DISK        "vda"
#define DIR_INO          1 /* the root of devfs and of the empty root */
#define EXT2_ROOT_INO    2 /* ext2's root directory is always inode 2 */
#define SECTOR_SIZE      512
#define EXT2_MAGIC_AT    (1024 + 56) /* s_magic: byte 56 of the superblock at byte 1024 */
#define EXT2_MAGIC       0xef53
#define VIRTIO_BLK_MAJOR 254 /* the number Linux gives virtio disks' st_dev */
#define DT_DIR           4
#define DT_CHR           2
#define DT_BLK           6

static struct mount mounts[MAX_MOUNTS];
static int mount_count;

/* ---- the table ---- */

struct inode *vfs_root(void)
{
    return mounts[0].root;
}

struct mount *mount_at(int slot)
{
    return slot < mount_count ? &mounts[slot] : NULL;
}

struct mount *mount_covering(const struct inode *dir, const char *name, size_t len)
{
    for (int i = 0; i < mount_count; i++) {
        struct mount *m = &mounts[i];
        if (m->parent == dir && strlen(m->name) == len && memcmp(m->name, name, len) == 0)
            return m;
    }
    return NULL;
}

void mount_lock(struct mount *m)
{
    while (m->locked)
        sleep_on(&m->locked); /* the holder sleeps in block I/O */
    m->locked = true;
}

void mount_unlock(struct mount *m)
{
    m->locked = false;
    wakeup(&m->locked);
}

/* ---- mounting at boot ---- */

/* Does dev hold an ext2 superblock (the magic number at byte 1080)? A disk of
 * anything else is left alone, without ext2_mount's complaint. */
static bool holds_ext2(struct block_device *dev)
{
    uint8_t *sector = kmalloc(SECTOR_SIZE);
    if (sector == NULL)
        return false;
    uint16_t magic = 0;
    if (block_read(dev, EXT2_MAGIC_AT / SECTOR_SIZE, 1, sector) == 0)
        memcpy(&magic, sector + EXT2_MAGIC_AT % SECTOR_SIZE, sizeof magic);
    kfree(sector);
    return magic == EXT2_MAGIC;
}

/* ext2's hook: an unlinked inode keeps its blocks while the VFS has it. */
static bool ext2_inode_open(void *ctx, uint32_t ino)
{
    return inode_keep_unlinked(ctx, ino);
}

/* Add a mount with its root directory; panics only without memory at boot. */
static struct mount *add_mount(enum fs_kind kind, uint64_t dev, uint32_t root_ino)
{
    assert(mount_count < MAX_MOUNTS, "mount table full (%d)", mount_count);
    struct mount *m = &mounts[mount_count++];
    *m = (struct mount){ .kind = kind, .dev = dev };
    m->root = inode_get(m, root_ino, S_IFDIR | 0755);
    assert(m->root != NULL, "no memory for the root of mount %d", mount_count - 1);
    return m;
}

/* "/": ext2 on vda when it holds one, else the empty directory. */
static void mount_root(void)
{
    struct block_device *dev = block_device_find(ROOT_DISK);
    struct ext2_fs *fs = NULL;
    if (dev != NULL && holds_ext2(dev) && ext2_mount(dev, &fs) == 0) {
        struct mount *m = add_mount(FS_EXT2, stat_makedev(VIRTIO_BLK_MAJOR, 0), EXT2_ROOT_INO);
        m->ext2 = fs;
        fs->inode_is_open = ext2_inode_open;
        fs->inode_is_open_ctx = m;
        kprintf("vfs: / is ext2 on %s (%u blocks of %u bytes)\n", ROOT_DISK, fs->sb.s_blocks_count,
                fs->block_size);
        return;
    }
    add_mount(FS_EMPTY, stat_makedev(0, 1), DIR_INO);
    if (dev != NULL) /* a disk, but not one we mount: say so (without a disk, quietly) */
        kprintf("vfs: no ext2 disk: / holds only /dev\n");
    else
        kinfo("vfs: no disk: / holds only /dev\n");
}

void vfs_init(void)
{
    mount_root();
    struct mount *dev = add_mount(FS_DEVFS, stat_makedev(0, 5), DIR_INO);
    dev->parent = mounts[0].root;
    dev->name = "dev";
    struct mount *proc = add_mount(FS_PROC, stat_makedev(0, 22), PROCFS_ROOT_INO);
    proc->parent = mounts[0].root;
    proc->name = "proc";
}

bool vfs_disk_mounted(const struct block_device *dev)
{
    for (int i = 0; i < mount_count; i++) {
        if (mounts[i].kind == FS_EXT2 && mounts[i].ext2->dev == dev)
            return true;
    }
    return false;
}

/* ---- lookup ---- */

static int ext2_lookup_inode(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    struct mount *m = dir->mount;
    uint32_t ino;
    struct ext2_stat st;
    mount_lock(m);
    int err = dir->unlinked ? -ENOENT /* a removed directory holds no names */
                            : ext2_lookup(m->ext2, dir->ino, name, (uint32_t)len, &ino);
    if (err == 0)
        err = ext2_stat(m->ext2, ino, &st);
    mount_unlock(m);
    if (err != 0)
        return err;
    *out = inode_get(m, ino, st.mode);
    if (*out != NULL)
        inode_remember_name(*out, dir, name, len);
    return *out != NULL ? 0 : -ENOMEM;
}

/* devfs: device i is inode i + 2 (1 is the directory). */
static int devfs_lookup_inode(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    int i = devfs_find(name, len);
    if (i < 0)
        return -ENOENT;
    const struct chardev *dev = devfs_device(i);
    *out = inode_get(dir->mount, (uint32_t)i + 2, dev->mode);
    if (*out == NULL)
        return -ENOMEM;
    (*out)->chardev = dev;
    return 0;
}

int fs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
    if (!inode_is_dir(dir))
        return -ENOTDIR;
    switch (dir->mount->kind) {
    case FS_EXT2: return ext2_lookup_inode(dir, name, len, out);
    case FS_DEVFS: return devfs_lookup_inode(dir, name, len, out);
    case FS_PROC: return procfs_lookup(dir, name, len, out);
    default: return -ENOENT; /* the empty root: only its mount point, which the walk knows */
    }
}

/* ---- symbolic links ---- */

long fs_readlink(struct inode *ip, char *buf, size_t size)
{
    if ((ip->mode & S_IFMT) == S_IFLNK && ip->mount->kind == FS_PROC)
        return procfs_readlink(ip, buf, size);
    if ((ip->mode & S_IFMT) != S_IFLNK || ip->mount->kind != FS_EXT2)
        return -EINVAL;
    struct mount *m = ip->mount;
    mount_lock(m);
    int64_t length =
        ext2_file_read(m->ext2, ip->ino, 0, buf, size); /* a link reads as its target */
    mount_unlock(m);
    if (length == 0)
        return -ENOENT;
    if (length >= (int64_t)size)
        return -ENAMETOOLONG;
    return (long)length;
}

/* ---- stat ---- */

static int ext2_stat_inode(struct inode *ip, struct linux_stat *st)
{
    struct mount *m = ip->mount;
    struct ext2_stat es;
    mount_lock(m);
    int err = ext2_stat(m->ext2, ip->ino, &es);
    mount_unlock(m);
    if (err != 0)
        return err;
    st->st_mode = es.mode;
    st->st_nlink = es.nlink;
    st->st_uid = es.uid;
    st->st_gid = es.gid;
    st->st_size = (int64_t)es.size;
    st->st_blocks = (int64_t)es.blocks;
    st->st_blksize = m->ext2->block_size;
    st->st_atime_sec = es.atime;
    st->st_mtime_sec = es.mtime;
    st->st_ctime_sec = es.ctime;
    return 0;
}

int fs_stat(struct inode *ip, struct linux_stat *st)
{
    *st = (struct linux_stat){ .st_dev = ip->mount->dev, .st_ino = ip->ino };
    if (ip->chardev != NULL) {
        /* the same answer as fstat of the open device (chardev.c) */
        struct file open = { .private = (void *)ip->chardev };
        ip->chardev->ops->stat(&open, st);
        st->st_dev = ip->mount->dev;
        return 0;
    }
    if (ip->mount->kind == FS_EXT2)
        return ext2_stat_inode(ip, st);
    st->st_mode = ip->mode; /* a directory held in the kernel, or a /proc file or link */
    st->st_nlink = inode_is_dir(ip) ? 2 : 1;
    st->st_blksize = SECTOR_SIZE;
    return 0;
}

/* ---- listing ---- */

struct ext2_emit_ctx {
    fs_emit_fn emit;
    void *ctx;
};

static int ext2_emit(void *ctx, const char *name, uint32_t len, uint32_t ino, uint8_t d_type,
                     uint64_t next)
{
    struct ext2_emit_ctx *c = ctx;
    return c->emit(c->ctx, name, len, ino, d_type, next);
}

static int ext2_readdir(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx)
{
    struct mount *m = dir->mount;
    struct ext2_inode inode;
    struct ext2_emit_ctx c = { emit, ctx };
    mount_lock(m);
    int err = ext2_inode_read_open(m->ext2, dir->ino, &inode);
    if (err == 0)
        err = ext2_dir_iterate(m->ext2, dir->ino, &inode, pos, ext2_emit, &c);
    mount_unlock(m);
    return err;
}

/* A directory held in the kernel: entry 0 ".", 1 "..", then its names (devfs: the
 * devices; the empty root: "dev"). The position is the entry's index. */
static int kernel_readdir(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx)
{
    for (;; (*pos)++) {
        const char *name;
        uint64_t ino = dir->ino;
        uint8_t type = DT_DIR;
        if (*pos == 0) {
            name = ".";
        } else if (*pos == 1) {
            name = "..";
        } else if (dir->mount->kind == FS_DEVFS && devfs_device((int)*pos - 2) != NULL) {
            const struct chardev *dev = devfs_device((int)*pos - 2);
            name = dev->name;
            ino = *pos;
            type = (dev->mode & S_IFMT) == S_IFBLK ? DT_BLK : DT_CHR;
        } else if (dir->mount->kind == FS_EMPTY && (*pos == 2 || *pos == 3)) {
            name = *pos == 2 ? "dev" : "proc"; /* the mount points */
            ino = *pos;
        } else {
            return 0;
        }
        if (emit(ctx, name, strlen(name), ino, type, *pos + 1) != 0)
            return 0;
    }
}

int fs_readdir(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx)
{
    if (!inode_is_dir(dir))
        return -ENOTDIR;
    if (dir->unlinked)
        return 0; /* a removed directory lists nothing, not even "." */
    if (dir->mount->kind == FS_EXT2)
        return ext2_readdir(dir, pos, emit, ctx);
    if (dir->mount->kind == FS_PROC)
        return procfs_readdir(dir, pos, emit, ctx);
    return kernel_readdir(dir, pos, emit, ctx);
}

/* ---- writing ---- */

/* ext2: a new inode under a free name (ext2_create: -EEXIST if someone made it
 * since the caller looked). */
static int ext2_create_inode(struct inode *dir, const char *name, size_t len, uint32_t mode,
                             struct inode **out)
{
    struct mount *m = dir->mount;
    uint32_t ino;
    mount_lock(m);
    int err = -ENOENT; /* a removed directory takes no new names (Linux's IS_DEADDIR) */
    if (!dir->unlinked)
        err = ext2_create(m->ext2, dir->ino, name, (uint32_t)len, (uint16_t)(S_IFREG | mode), &ino);
    mount_unlock(m);
    if (err != 0)
        return err;
    *out = inode_get(m, ino, S_IFREG | mode);
    if (*out == NULL) {
        fs_uncreate(dir, name, len); /* no memory to use it: no file either */
        return -ENOMEM;
    }
    inode_remember_name(*out, dir, name, len);
    return 0;
}

void fs_uncreate(struct inode *dir, const char *name, size_t len)
{
    struct mount *m = dir->mount;
    mount_lock(m);
    (void)ext2_unlink(m->ext2, dir->ino, name, (uint32_t)len);
    mount_unlock(m);
}

int fs_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
    if (!inode_is_dir(dir))
        return -ENOTDIR;
    if (len > NAME_MAX)
        return -ENAMETOOLONG;
    if (dir->mount->kind != FS_EXT2)
        return -ENOENT; /* a directory held in the kernel: its names are fixed */
    return ext2_create_inode(dir, name, len, mode, out);
}

bool fs_read_only(const struct inode *ip)
{
    return ip->mount->kind == FS_EXT2 && ip->mount->ext2->read_only;
}

int fs_truncate(struct inode *ip, uint64_t size)
{
    if (inode_is_dir(ip))
        return -EISDIR;
    if ((ip->mode & S_IFMT) != S_IFREG || ip->mount->kind != FS_EXT2)
        return -EINVAL;
    if (ip->has_pages && ip->pages.exec_users > 0)
        return -ETXTBSY; /* a running program's text is mapped from it */
    struct mount *m = ip->mount;
    inode_size_lock(ip);
    if (ip->swapfile && size <= ip->pages.size) {
        /* swap's blocks would be freed under it (Linux: inode_newsize_ok); looked
         * at under the lock, which swapon takes to mark the file */
        inode_size_unlock(ip);
        return -ETXTBSY;
    }
    /* Shrinking: the cache first, outside the mount's lock (it may wait for a read
     * in progress, which needs that lock): from now on nobody reads or maps the cut
     * pages, and no write-back writes them past the new end. Growing: the disk
     * first, so that until it has grown no page past the old end can be mapped,
     * dirtied and written back (which would grow the file by itself). */
    bool shrinking = ip->has_pages && size < ip->pages.size;
    if (shrinking)
        page_cache_resize(&ip->pages, size);
    mount_lock(m);
    int err = ext2_file_truncate(m->ext2, ip->ino, size);
    struct ext2_stat st;
    bool resync = err != 0 && ip->has_pages && ext2_stat(m->ext2, ip->ino, &st) == 0;
    mount_unlock(m);
    if (err == 0 && ip->has_pages && !shrinking)
        page_cache_resize(&ip->pages, size); /* the old tail zeroed, the new size */
    if (resync)
        ip->pages.size = st.size; /* failed: the size is what the disk says */
    inode_size_unlock(ip);
    return err;
}

int fs_sync(struct mount *m)
{
    if (m->kind != FS_EXT2)
        return 0;                          /* nothing of it is on a disk */
    int pages_err = page_cache_sync_all(); /* stores through shared mappings */
    mount_lock(m);
    int err = ext2_sync(m->ext2);
    mount_unlock(m);
    return err != 0 ? err : pages_err;
}

void vfs_drop_caches(void)
{
    page_cache_sync_all();
    page_cache_drop_unused(); /* an inode left unused with no page goes too (emptied) */
    for (int i = 0; i < mount_count; i++) {
        struct mount *m = &mounts[i];
        if (m->locked)
            continue;          /* someone reads into it now */
        kfree(m->read_buffer); /* made again by the next read-ahead */
        m->read_buffer = NULL;
    }
}

void vfs_sync_all(void)
{
    for (int i = 0; i < mount_count; i++)
        fs_sync(&mounts[i]);
}

void vfs_unmount_all(bool wait)
{
    bool busy = false;
    for (int i = 0; i < mount_count; i++)
        busy |= mounts[i].kind == FS_EXT2 && mounts[i].locked;
    if (wait || !busy) /* the pages stored to through shared mappings, first */
        page_cache_sync_all();
    for (int i = 0; i < mount_count; i++) {
        struct mount *m = &mounts[i];
        if (m->kind != FS_EXT2)
            continue;
        if (m->locked && !wait) {
            kprintf("vfs: %s is busy at power-off: not written back\n", ROOT_DISK);
            continue;
        }
        if (wait)
            mount_lock(m); /* the process inside finishes its call first */
        m->locked = true;  /* no one may enter it again */
        int err = ext2_unmount(m->ext2);
        m->ext2 = NULL;
        m->kind = FS_EMPTY;
        if (err != 0)
            kprintf("vfs: writing back %s at power-off failed: error %d\n", ROOT_DISK, err);
    }
}
