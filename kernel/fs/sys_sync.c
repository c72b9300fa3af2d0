/*
 * sys_sync.c — the system calls that change a file's size or push what was
 * written to the disk: truncate, ftruncate, fsync, fdatasync, sync, syncfs.
 *
 * File data goes to the disk as it is written (ext2/file.h); what waits in memory
 * is metadata -- inodes, bitmaps, indirect blocks, directories -- in the mount's
 * buffer cache (buffer.h), and the device's own write cache. Syncing writes the
 * dirty buffers back and then flushes the device (block_flush), so that what was
 * written survives the power going away.
 */
#include "fdtable.h"
#include "inode.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "mm/kheap.h"
#include "mm/page_cache.h"
#include "mount.h"
#include "namei.h"
#include "sys_path.h"
#include "vfile.h"

/* truncate(path, length): Linux's order -- a negative length (-EINVAL), the path
 * (-EFAULT, -ENAMETOOLONG, the walk's errors), a directory (-EISDIR), something
 * else than a regular file (-EINVAL), a size too big (-EFBIG). */
long sys_truncate(struct syscall_args a)
{
    int64_t length = (int64_t)a.arg[1];
    if (length < 0)
        return -EINVAL;
    char *path;
    long err = path_from_user(a.arg[0], &path);
    if (err != 0)
        return err;
    struct inode *ip = NULL;
    err = namei(current_proc()->cwd, path, NAMEI_FOLLOW, &ip);
    if (err == 0)
        err = fs_truncate(ip, (uint64_t)length);
    inode_put(ip);
    kfree(path);
    return err;
}

/* ftruncate(fd, length): -EINVAL for a negative length, -EBADF, then -EINVAL for
 * a file that is not a regular file or not open for writing (a directory too, as
 * on Linux), -EFBIG. The file's offset stays where it is. */
long sys_ftruncate(struct syscall_args a)
{
    int64_t length = (int64_t)a.arg[1];
    if (length < 0)
        return -EINVAL;
    struct file *f = fd_get(current_proc()->files, (int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    struct inode *ip = vfile_inode(f);
    long err = -EINVAL;
    if (ip != NULL && (ip->mode & S_IFMT) == S_IFREG && file_writable(f))
        err = fs_truncate(ip, (uint64_t)length);
    file_put(f);
    return err;
}

/* fsync(fd) and fdatasync(fd): write back the file's pages stored to through
 * shared mappings (reporting a failed earlier write-back of them too), then the
 * file system the file is on, and flush its disk (more than the one file: the
 * buffer cache does not know which buffers are whose). A file on no file system
 * -- a pipe, a terminal, /dev/null -- cannot be synced: -EINVAL, as on Linux. */
static long sync_fd(int fd)
{
    struct file *f = fd_get(current_proc()->files, fd);
    if (f == NULL)
        return -EBADF;
    struct inode *ip = vfile_inode(f);
    long err = ip != NULL ? 0 : -EINVAL;
    if (ip != NULL && ip->has_pages)
        err = page_cache_sync(&ip->pages, 0, UINT64_MAX);
    if (ip != NULL) {
        long fs_err = fs_sync(ip->mount);
        if (err == 0)
            err = fs_err;
    }
    file_put(f);
    return err;
}

long sys_fsync(struct syscall_args a)
{
    return sync_fd((int)a.arg[0]);
}

/* fdatasync may skip metadata that does not find the data (times); ours syncs all. */
long sys_fdatasync(struct syscall_args a)
{
    return sync_fd((int)a.arg[0]);
}

/* sync(): every mounted file system; always 0. */
long sys_sync(struct syscall_args a)
{
    (void)a;
    vfs_sync_all();
    return 0;
}

/* syncfs(fd): the file system of the file at fd (0 for a pipe or device, which is
 * on none that holds anything), or -EBADF, -EIO. */
long sys_syncfs(struct syscall_args a)
{
    struct file *f = fd_get(current_proc()->files, (int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    struct inode *ip = vfile_inode(f);
    long err = ip != NULL ? fs_sync(ip->mount) : 0;
    file_put(f);
    return err;
}
