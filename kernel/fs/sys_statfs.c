/*
 * sys_statfs.c — statfs and fstatfs: how big a file system is and how full (df).
 *
 * The answer is about the mount a file lies on, not the file: ext2 counts its
 * blocks and inodes in the superblock (the allocators keep the free counts up to
 * date), so df reads them from there. The file systems held in the kernel (devfs,
 * the root without a disk) have no blocks: zeros, with their Linux type numbers.
 */
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2/super.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/inode.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/sys_path.h"
#include "kernel/fs/vfile.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"

/* f_type: Linux's magic numbers (linux/magic.h) */
#define TMPFS_MAGIC      0x01021994 /* /dev is devtmpfs on Linux */
#define RAMFS_MAGIC      0x858458f6 /* the root without a disk: an empty ramfs */
#define PROC_SUPER_MAGIC 0x9fa0     /* /proc */
/* f_flags: the mount's flags */
#define ST_RDONLY 0x0001
#define ST_VALID  0x0020 /* f_flags is filled in */

/* Linux's struct statfs on x86-64 (120 bytes). */
struct linux_statfs {
    int64_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen, f_frsize, f_flags;
    int64_t f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs is 120 bytes");

/* ext2's counts, from the superblock (under the mount's lock: the allocators
 * change them). Blocks reserved for root are free but not available to others. */
static void ext2_statfs(struct mount *m, struct linux_statfs *st)
{
    mount_lock(m);
    const struct ext2_superblock *sb = &m->ext2->sb;
    st->f_type = EXT2_SUPER_MAGIC;
    st->f_bsize = st->f_frsize = m->ext2->block_size;
    st->f_blocks = sb->s_blocks_count;
    st->f_bfree = sb->s_free_blocks_count;
    st->f_bavail = sb->s_free_blocks_count > sb->s_r_blocks_count
                       ? sb->s_free_blocks_count - sb->s_r_blocks_count
                       : 0;
    st->f_files = sb->s_inodes_count;
    st->f_ffree = sb->s_free_inodes_count;
    if (m->ext2->read_only)
        st->f_flags |= ST_RDONLY;
    mount_unlock(m);
}

/* The statfs record of the mount ip lies on. */
static void statfs_of(const struct inode *ip, struct linux_statfs *st)
{
    struct mount *m = ip->mount;
    *st = (struct linux_statfs){
        .f_namelen = NAME_MAX, .f_flags = ST_VALID, .f_bsize = PAGE_SIZE, .f_frsize = PAGE_SIZE
    };
    st->f_fsid[0] = (int32_t)m->dev; /* a number that tells the mounts apart */
    switch (m->kind) {
    case FS_EXT2: ext2_statfs(m, st); break;
    case FS_DEVFS: st->f_type = TMPFS_MAGIC; break;
    case FS_PROC: st->f_type = PROC_SUPER_MAGIC; break;
    default: st->f_type = RAMFS_MAGIC; break;
    }
}

static long copy_statfs(const struct inode *ip, vaddr_t buf)
{
    struct linux_statfs st;
    statfs_of(ip, &st);
    return copy_to_user(buf, &st, sizeof st) == 0 ? 0 : -EFAULT;
}

/* statfs(path, buf): the file system path lies on (a final link followed). */
long sys_statfs(struct syscall_args a)
{
    char *path;
    long err = path_from_user(a.arg[0], &path);
    if (err != 0)
        return err;
    struct inode *ip = NULL;
    err = namei(current_proc()->cwd, path, NAMEI_FOLLOW, &ip);
    if (err == 0)
        err = copy_statfs(ip, a.arg[1]);
    inode_put(ip);
    kfree(path);
    return err;
}

/* fstatfs(fd, buf): -EBADF; a pipe or a device answers as /dev (Linux has a pipe
 * file system of its own, PIPEFS_MAGIC). */
long sys_fstatfs(struct syscall_args a)
{
    struct file *f = fd_get(current_proc()->files, (int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    struct inode *ip = vfile_inode(f);
    long err;
    if (ip != NULL) {
        err = copy_statfs(ip, a.arg[1]);
    } else {
        struct linux_statfs st = { .f_type = TMPFS_MAGIC,
                                   .f_bsize = PAGE_SIZE,
                                   .f_namelen = NAME_MAX,
                                   .f_frsize = PAGE_SIZE,
                                   .f_flags = ST_VALID };
        err = copy_to_user(a.arg[1], &st, sizeof st) == 0 ? 0 : -EFAULT;
    }
    file_put(f);
    return err;
}
