/*
 * sys_path.c — the system calls that take a path or a directory: open, openat,
 * stat, lstat, newfstatat, access, faccessat, faccessat2, readlink, readlinkat,
 * getdents64, chdir, fchdir, getcwd.
 *
 * Each copies the path in (-EFAULT, -ENAMETOOLONG past PATH_MAX), finds where a
 * relative path starts (the working directory, or openat's dirfd), walks it
 * (namei.h) and acts on the inode reached.
 */
#include "fdtable.h"
#include "inode.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "mount.h"
#include "namei.h"
#include "sys_path.h"
#include "vfile.h"

#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000
#define STATAT_FLAGS        (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)

long path_from_user(vaddr_t at, char **path)
{
    *path = kmalloc(PATH_MAX);
    if (*path == NULL)
        return -ENOMEM;
    long length = copy_string_from_user(*path, at, PATH_MAX);
    if (length < 0) {
        kfree(*path);
        return length;
    }
    return 0;
}

long start_dir(int dirfd, struct inode **start)
{
    if (dirfd == AT_FDCWD) {
        *start = inode_ref(current_proc()->cwd);
        return 0;
    }
    struct file *f = fd_get(current_proc()->files, dirfd);
    if (f == NULL)
        return -EBADF;
    struct inode *ip = vfile_inode(f);
    long err = ip != NULL && inode_is_dir(ip) ? 0 : -ENOTDIR;
    *start = err == 0 ? inode_ref(ip) : NULL;
    file_put(f);
    return err;
}

/* namei from dirfd (the dirfd matters only for a relative path, as on Linux). */
static long lookup_at(int dirfd, const char *path, enum namei_follow how, struct inode **out)
{
    struct inode *start = NULL;
    long err = path[0] == '/' ? 0 : start_dir(dirfd, &start);
    if (err == 0)
        err = namei(start, path, how, out);
    inode_put(start);
    return err;
}

/* ---- open ---- */

/* O_CREAT of a missing name: on the disk that is a write (-EROFS for now); in a
 * directory held in the kernel the name stays missing. */
static long create_error(int dirfd, const char *path)
{
    struct inode *start = NULL, *parent;
    long err = path[0] == '/' ? 0 : start_dir(dirfd, &start);
    if (err == 0)
        err = namei_parent(start, path, &parent);
    inode_put(start);
    if (err != 0)
        return err;
    err = parent->mount->kind == FS_EXT2 ? -EROFS : -ENOENT;
    inode_put(parent);
    return err;
}

static long open_path(int dirfd, const char *path, uint32_t flags, struct file **f)
{
    struct inode *ip;
    long err = lookup_at(dirfd, path, flags & O_NOFOLLOW ? NAMEI_NOFOLLOW : NAMEI_FOLLOW, &ip);
    if (err == -ENOENT && (flags & O_CREAT) && path[0] != '\0')
        return create_error(dirfd, path);
    if (err != 0)
        return err;
    err = vfile_open(ip, flags, f);
    inode_put(ip);
    return err;
}

/* openat(dirfd, path, flags, mode). */
long sys_openat(struct syscall_args a)
{
    char *path;
    long err = path_from_user(a.arg[1], &path);
    if (err != 0)
        return err;
    uint32_t flags = (uint32_t)a.arg[2];
    struct file *f = NULL;
    err = open_path((int)a.arg[0], path, flags, &f);
    kfree(path);
    if (err != 0)
        return err;
    int fd = fd_install(current_proc()->files, 0, f, flags & O_CLOEXEC);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_open(struct syscall_args a)
{
    return sys_openat(
        (struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], a.arg[1], a.arg[2] } });
}

/* ---- stat ---- */

/* fstat of the file open at fd (newfstatat's AT_EMPTY_PATH). */
static long stat_fd(int fd, struct linux_stat *st)
{
    struct file *f = fd_get(current_proc()->files, fd);
    if (f == NULL)
        return -EBADF;
    f->ops->stat(f, st);
    file_put(f);
    return 0;
}

/* newfstatat(dirfd, path, statbuf, flags): AT_SYMLINK_NOFOLLOW describes a final
 * symbolic link itself (lstat), AT_EMPTY_PATH with "" the file open at dirfd. */
long sys_newfstatat(struct syscall_args a)
{
    int dirfd = (int)a.arg[0];
    uint32_t flags = (uint32_t)a.arg[3];
    if (flags & ~STATAT_FLAGS)
        return -EINVAL;
    char *path;
    long err = path_from_user(a.arg[1], &path);
    if (err != 0)
        return err;
    struct linux_stat st = { 0 };
    struct inode *ip = NULL;
    if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
        err = dirfd == AT_FDCWD
                  ? fs_stat(current_proc()->cwd ? current_proc()->cwd : vfs_root(), &st)
                  : stat_fd(dirfd, &st);
    else if ((err = lookup_at(dirfd, path,
                              flags & AT_SYMLINK_NOFOLLOW ? NAMEI_NOFOLLOW : NAMEI_FOLLOW, &ip)) ==
             0)
        err = fs_stat(ip, &st);
    inode_put(ip);
    kfree(path);
    if (err == 0 && copy_to_user(a.arg[2], &st, sizeof st) != 0)
        err = -EFAULT;
    return err;
}

long sys_stat(struct syscall_args a)
{
    return sys_newfstatat((struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], a.arg[1], 0 } });
}

long sys_lstat(struct syscall_args a)
{
    return sys_newfstatat(
        (struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], a.arg[1], AT_SYMLINK_NOFOLLOW } });
}

/* ---- access ---- */

#define R_OK         4
#define W_OK         2
#define X_OK         1
#define AT_EACCESS   0x200
#define ACCESS_FLAGS (AT_EACCESS | AT_SYMLINK_NOFOLLOW) /* AT_EMPTY_PATH: not yet (-EINVAL) */

/* May the caller access ip so? Every process is root (uid 0) for now, so reading
 * and writing are always allowed, as Linux allows root, except writing a file of
 * the disk (-EROFS while the VFS is read-only); executing needs an x bit on
 * anything but a directory (-EACCES). */
static long may_access(const struct inode *ip, uint32_t mode)
{
    uint32_t type = ip->mode & S_IFMT;
    bool disk_file = type == S_IFREG || type == S_IFDIR || type == S_IFLNK;
    if ((mode & W_OK) && ip->mount->kind == FS_EXT2 && disk_file)
        return -EROFS;
    if ((mode & X_OK) && type != S_IFDIR && (ip->mode & 0111) == 0)
        return -EACCES;
    return 0;
}

/* faccessat2(dirfd, path, mode, flags); faccessat and access have no flags. */
long sys_faccessat2(struct syscall_args a)
{
    uint32_t mode = (uint32_t)a.arg[2], flags = (uint32_t)a.arg[3];
    if ((mode & ~(uint32_t)(R_OK | W_OK | X_OK)) != 0 || (flags & ~ACCESS_FLAGS) != 0)
        return -EINVAL;
    char *path;
    long err = path_from_user(a.arg[1], &path);
    if (err != 0)
        return err;
    struct inode *ip = NULL;
    enum namei_follow how = flags & AT_SYMLINK_NOFOLLOW ? NAMEI_NOFOLLOW : NAMEI_FOLLOW;
    err = lookup_at((int)a.arg[0], path, how, &ip);
    if (err == 0)
        err = may_access(ip, mode);
    inode_put(ip);
    kfree(path);
    return err;
}

long sys_faccessat(struct syscall_args a)
{
    return sys_faccessat2((struct syscall_args){ { a.arg[0], a.arg[1], a.arg[2], 0 } });
}

long sys_access(struct syscall_args a)
{
    return sys_faccessat2((struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], a.arg[1], 0 } });
}

/* ---- symbolic links ---- */

/* readlinkat(dirfd, path, buf, size): the target, not zero-terminated, cut at size
 * bytes; -EINVAL for something else than a link or size <= 0. */
long sys_readlinkat(struct syscall_args a)
{
    int64_t size = (int64_t)a.arg[3];
    if (size <= 0)
        return -EINVAL;
    char *path;
    long err = path_from_user(a.arg[1], &path);
    if (err != 0)
        return err;
    struct inode *ip = NULL;
    err = lookup_at((int)a.arg[0], path, NAMEI_NOFOLLOW, &ip);
    if (err == 0)
        err = fs_readlink(ip, path, PATH_MAX); /* the path buffer is free again */
    if (err > 0) {
        size_t n = (uint64_t)err < (uint64_t)size ? (size_t)err : (size_t)size;
        err = copy_to_user(a.arg[2], path, n) == 0 ? (long)n : -EFAULT;
    }
    inode_put(ip);
    kfree(path);
    return err;
}

long sys_readlink(struct syscall_args a)
{
    return sys_readlinkat(
        (struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], a.arg[1], a.arg[2] } });
}

/* ---- directories ---- */

/* getdents64(fd, dirp, count). */
long sys_getdents64(struct syscall_args a)
{
    struct file *f = fd_get(current_proc()->files, (int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    long result;
    if (f->ops->getdents == NULL)
        result = -ENOTDIR;
    else if (!user_range_ok(a.arg[1], a.arg[2]))
        result = -EFAULT;
    else
        result = f->ops->getdents(f, a.arg[1], a.arg[2]);
    file_put(f);
    return result;
}

/* Make dir (a reference the call hands over) the working directory. */
static long set_cwd(struct inode *dir)
{
    if (!inode_is_dir(dir)) {
        inode_put(dir);
        return -ENOTDIR;
    }
    struct proc *self = current_proc();
    inode_put(self->cwd);
    self->cwd = dir;
    return 0;
}

long sys_chdir(struct syscall_args a)
{
    char *path;
    long err = path_from_user(a.arg[0], &path);
    if (err != 0)
        return err;
    struct inode *ip;
    err = lookup_at(AT_FDCWD, path, NAMEI_FOLLOW, &ip);
    kfree(path);
    return err != 0 ? err : set_cwd(ip);
}

long sys_fchdir(struct syscall_args a)
{
    struct file *f = fd_get(current_proc()->files, (int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    struct inode *ip = inode_ref(vfile_inode(f));
    file_put(f);
    return ip != NULL ? set_cwd(ip) : -ENOTDIR;
}

/* getcwd(buf, size): the path with its zero; its length (the zero counted), or
 * -ERANGE when size is too small. */
long sys_getcwd(struct syscall_args a)
{
    size_t size = a.arg[1];
    char *path = kmalloc(PATH_MAX);
    if (path == NULL)
        return -ENOMEM;
    struct inode *cwd = current_proc()->cwd;
    long length =
        namei_path_of(cwd != NULL ? cwd : vfs_root(), path, size < PATH_MAX ? size : PATH_MAX);
    if (length > 0 && copy_to_user(a.arg[0], path, (size_t)length) != 0)
        length = -EFAULT;
    kfree(path);
    return length;
}
