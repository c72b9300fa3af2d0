/*
 * sys_attr.c — changing a file's attributes: chmod, fchmod, fchmodat (permission
 * bits), chown, fchown, lchown, fchownat (owner and group), utimensat (access and
 * modification times: touch). The file is named by a path (from a directory fd, as
 * the *at calls do) or by an open fd; the change itself is the file system's
 * (ext2/attr.h). Files the kernel holds itself (devfs, the root without a disk,
 * pipes) have fixed attributes: -EROFS.
 *
 * Everyone is root here, so no permission check stands in the way yet (Linux lets
 * only the owner chmod, and only root chown).
 */
#include "kernel/errno.h"
#include "kernel/cpu.h"
#include "kernel/fs/ext2/attr.h"
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

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000
#define UTIME_NOW           ((1l << 30) - 1) /* a tv_nsec meaning "the current time" */
#define UTIME_OMIT          ((1l << 30) - 2) /* a tv_nsec meaning "leave this time alone" */
#define NS_PER_SEC          1000000000l

struct linux_timespec {
    int64_t sec, nsec;
};

/* Apply change to ip; keeps the cached ip->mode (permission checks read it) in
 * step with the disk. 0, -EROFS (not on a disk, or a read-only one), -EIO. */
static long set_attributes(struct inode *ip, const struct ext2_attr_change *change)
{
    struct mount *m = ip->mount;
    if (m->kind != FS_EXT2)
        return -EROFS;
    uint16_t mode;
    mount_lock(m);
    int err = ext2_set_attributes(m->ext2, ip->ino, change, &mode);
    mount_unlock(m);
    if (err == 0)
        ip->mode = mode;
    return err;
}

/* Change the file open at fd. -EBADF, -EROFS for a pipe or device. */
static long change_fd(int fd, const struct ext2_attr_change *change)
{
    struct file *f = fd_get(current_proc()->files, fd);
    if (f == NULL)
        return -EBADF;
    struct inode *ip = vfile_inode(f);
    long err = ip != NULL ? set_attributes(ip, change) : -EROFS;
    file_put(f);
    return err;
}

/* Change the file path names from dirfd (a final symbolic link followed unless
 * how says not; "" with AT_EMPTY_PATH: the file open at dirfd). */
static long change_at(int dirfd, vaddr_t path_at, enum namei_follow how, bool empty_path,
                      const struct ext2_attr_change *change)
{
    char *path;
    long err = path_from_user(path_at, &path);
    if (err != 0)
        return err;
    struct inode *start = NULL, *ip = NULL;
    bool at_fd = path[0] == '\0' && empty_path;
    if (at_fd && dirfd != AT_FDCWD)
        err = change_fd(dirfd, change);
    else if (at_fd)
        err = set_attributes(current_proc()->cwd ? current_proc()->cwd : vfs_root(), change);
    else if ((err = path[0] == '/' ? 0 : start_dir(dirfd, &start)) == 0 &&
             (err = namei(start, path, how, &ip)) == 0)
        err = set_attributes(ip, change);
    inode_put(ip);
    inode_put(start);
    kfree(path);
    return err;
}

static struct ext2_attr_change mode_change(uint64_t mode)
{
    return (struct ext2_attr_change){ .set_mode = true, .mode = (uint16_t)(mode & 07777) };
}

static struct ext2_attr_change owner_change(uint64_t uid, uint64_t gid)
{
    return (
        struct ext2_attr_change){ .set_owner = true, .uid = (uint32_t)uid, .gid = (uint32_t)gid };
}

/* chmod(path, mode): permission bits and the set-ID and sticky bits (07777). */
long sys_chmod(struct syscall_args a)
{
    struct ext2_attr_change c = mode_change(a.arg[1]);
    return change_at(AT_FDCWD, a.arg[0], NAMEI_FOLLOW, false, &c);
}

/* fchmod(fd, mode). */
long sys_fchmod(struct syscall_args a)
{
    struct ext2_attr_change c = mode_change(a.arg[1]);
    return change_fd((int)a.arg[0], &c);
}

/* fchmodat(dirfd, path, mode): the system call has no flags (C libraries do
 * AT_SYMLINK_NOFOLLOW themselves). */
long sys_fchmodat(struct syscall_args a)
{
    struct ext2_attr_change c = mode_change(a.arg[2]);
    return change_at((int)a.arg[0], a.arg[1], NAMEI_FOLLOW, false, &c);
}

/* chown(path, uid, gid) and lchown (a final link itself); -1 keeps that id. */
long sys_chown(struct syscall_args a)
{
    struct ext2_attr_change c = owner_change(a.arg[1], a.arg[2]);
    return change_at(AT_FDCWD, a.arg[0], NAMEI_FOLLOW, false, &c);
}

long sys_lchown(struct syscall_args a)
{
    struct ext2_attr_change c = owner_change(a.arg[1], a.arg[2]);
    return change_at(AT_FDCWD, a.arg[0], NAMEI_NOFOLLOW, false, &c);
}

/* fchown(fd, uid, gid). */
long sys_fchown(struct syscall_args a)
{
    struct ext2_attr_change c = owner_change(a.arg[1], a.arg[2]);
    return change_fd((int)a.arg[0], &c);
}

/* fchownat(dirfd, path, uid, gid, flags): AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
long sys_fchownat(struct syscall_args a)
{
    uint32_t flags = (uint32_t)a.arg[4];
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct ext2_attr_change c = owner_change(a.arg[2], a.arg[3]);
    return change_at((int)a.arg[0], a.arg[1],
                     flags & AT_SYMLINK_NOFOLLOW ? NAMEI_NOFOLLOW : NAMEI_FOLLOW,
                     flags & AT_EMPTY_PATH, &c);
}

/* One of utimensat's two times into the change: now, left alone, or as given
 * (whole seconds: ext2's inodes keep no more). -EINVAL for a bad tv_nsec. */
static long time_part(const struct linux_timespec *t, bool *set, uint32_t *seconds)
{
    if (t->nsec == UTIME_OMIT)
        return 0;
    if (t->nsec != UTIME_NOW && (t->nsec < 0 || t->nsec >= NS_PER_SEC))
        return -EINVAL;
    *set = true;
    *seconds = t->nsec == UTIME_NOW ? ext2_now() : (uint32_t)t->sec;
    return 0;
}

/* utimensat(dirfd, path, times[2], flags): times NULL means both now; path NULL
 * means the file open at dirfd (futimens); flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
 * Both times UTIME_OMIT changes nothing, not even ctime. */
long sys_utimensat(struct syscall_args a)
{
    uint32_t flags = (uint32_t)a.arg[3];
    if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    struct linux_timespec times[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
    if (a.arg[2] != 0 && copy_from_user(times, a.arg[2], sizeof times) != 0)
        return -EFAULT;
    struct ext2_attr_change c = { 0 };
    long err = time_part(&times[0], &c.set_atime, &c.atime);
    if (err == 0)
        err = time_part(&times[1], &c.set_mtime, &c.mtime);
    if (err != 0 || (!c.set_atime && !c.set_mtime))
        return err;
    if (a.arg[1] == 0)
        return change_fd((int)a.arg[0], &c);
    return change_at((int)a.arg[0], a.arg[1],
                     flags & AT_SYMLINK_NOFOLLOW ? NAMEI_NOFOLLOW : NAMEI_FOLLOW,
                     flags & AT_EMPTY_PATH, &c);
}
