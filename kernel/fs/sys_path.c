/*
 * sys_path.c — the system calls that take a path or a directory: open, openat,
 * creat, stat, statx, lstat, newfstatat, access, faccessat, faccessat2, readlink, readlinkat,
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
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "mount.h"
#include "namei.h"
#include "sys_path.h"
#include "umask.h"
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

#define MAX_CREATE_LINKS 8 /* dangling links followed to create their target (as namei's) */

/* How open's flags name the last component: O_CREAT|O_EXCL never follows a final
 * symbolic link (it exists: -EEXIST), O_NOFOLLOW stops at it (-ELOOP). */
static enum namei_follow open_follow(uint32_t flags)
{
    bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
    return excl || (flags & O_NOFOLLOW) ? NAMEI_NOFOLLOW : NAMEI_FOLLOW;
}

/* The last component of path (trailing '/' already known absent): *name, its length. */
static size_t last_component(const char *path, const char **name)
{
    size_t end = strlen(path), begin = end;
    while (begin > 0 && path[begin - 1] != '/')
        begin--;
    *name = path + begin;
    return end - begin;
}

static long open_from(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
                      int depth, struct file **f);

/* A new regular file called name in dir, opened: -EEXIST if the name is taken. */
static long create_file(struct inode *dir, const char *name, size_t len, uint32_t flags,
                        uint32_t mode, struct file **f)
{
    struct inode *ip;
    long err = fs_create(dir, name, len, umask_apply(mode), &ip);
    if (err != 0)
        return err;
    err = vfile_open(ip, flags & ~(uint32_t)O_TRUNC, f); /* new: nothing to truncate */
    if (err != 0)
        fs_uncreate(dir, name, len); /* no file for it (no memory): no name either */
    inode_put(ip);
    return err;
}

/* O_CREAT of a name the walk did not find in directory dir: create it, or, for a
 * dangling symbolic link, create what it points at (as Linux does). */
static long create_in(struct inode *dir, const char *name, size_t len, uint32_t flags,
                      uint32_t mode, int depth, struct file **f)
{
    struct inode *ip;
    long err = fs_lookup(dir, name, len, &ip);
    if (err == 0 && (ip->mode & S_IFMT) == S_IFLNK) {
        char *target = depth < MAX_CREATE_LINKS ? kmalloc(PATH_MAX) : NULL;
        err = depth >= MAX_CREATE_LINKS ? -ELOOP
              : target == NULL          ? -ENOMEM
                                        : fs_readlink(ip, target, PATH_MAX);
        if (err >= 0) {
            target[err] = '\0';
            err = open_from(dir, target, flags, mode, depth + 1, f);
        }
        kfree(target);
        inode_put(ip);
        return err;
    }
    if (err == 0) { /* someone created it since the walk */
        err = flags & O_EXCL ? -EEXIST : vfile_open(ip, flags, f);
        inode_put(ip);
        return err;
    }
    return err == -ENOENT ? create_file(dir, name, len, flags, mode, f) : err;
}

/* The walk saw the last name itself missing from dir (not a dangling link): make
 * the file at once, without scanning the directory again. If someone made the
 * name since, ext2 says -EEXIST; without O_EXCL, create_in looks at what is there. */
static long create_new(struct inode *dir, const char *name, size_t len, uint32_t flags,
                       uint32_t mode, int depth, struct file **f)
{
    long err = create_file(dir, name, len, flags, mode, f);
    if (err == -EEXIST && !(flags & O_EXCL))
        return create_in(dir, name, len, flags, mode, depth, f);
    return err;
}

/* O_CREAT where the walk found nothing: the directory must exist (its errors);
 * a trailing "/" asks for a directory, which open cannot create (-EISDIR).
 * last_missing: the walk saw the last name itself missing (create_new). */
static long create_missing(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
                           int depth, bool last_missing, struct file **f)
{
    struct inode *dir;
    long err = namei_parent(start, path, &dir);
    if (err != 0)
        return err;
    const char *name;
    size_t len = last_component(path, &name);
    if (len == 0 || path[strlen(path) - 1] == '/')
        err = -EISDIR;
    else if (last_missing)
        err = create_new(dir, name, len, flags, mode, depth, f);
    else
        err = create_in(dir, name, len, flags, mode, depth, f);
    inode_put(dir);
    return err;
}

/* open of path from start (NULL: the root) once the path is in the kernel. */
static long open_from(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
                      int depth, struct file **f)
{
    bool creating = flags & O_CREAT;
    size_t length = strlen(path);
    if (creating && length > 0 && path[length - 1] == '/')
        return create_missing(start, path, flags, mode, depth, false,
                              f); /* -EISDIR, or the walk's */
    struct inode *ip;
    bool last_missing;
    long err = namei_noting_last(start, path, open_follow(flags), &ip, &last_missing);
    if (err == -ENOENT && creating && length > 0)
        return create_missing(start, path, flags, mode, depth, last_missing, f);
    if (err != 0)
        return err;
    if (creating && (flags & O_EXCL))
        err = -EEXIST;
    else
        err = vfile_open(ip, flags, f);
    inode_put(ip);
    return err;
}

static long open_path(int dirfd, const char *path, uint32_t flags, uint32_t mode, struct file **f)
{
    struct inode *start = NULL;
    long err = path[0] == '/' ? 0 : start_dir(dirfd, &start);
    if (err == 0)
        err = open_from(start, path, flags, mode, 0, f);
    inode_put(start);
    return err;
}

/* openat(dirfd, path, flags, mode): mode only matters with O_CREAT. */
long sys_openat(struct syscall_args a)
{
    char *path;
    long err = path_from_user(a.arg[1], &path);
    if (err != 0)
        return err;
    uint32_t flags = (uint32_t)a.arg[2];
    struct file *f = NULL;
    err = open_path((int)a.arg[0], path, flags, (uint32_t)a.arg[3], &f);
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

/* creat(path, mode) is open(path, O_CREAT | O_WRONLY | O_TRUNC, mode). */
long sys_creat(struct syscall_args a)
{
    return sys_openat((struct syscall_args){
        { (uint64_t)AT_FDCWD, a.arg[0], O_CREAT | O_WRONLY | O_TRUNC, a.arg[1] } });
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

/* The struct stat of what path names from dirfd (AT_SYMLINK_NOFOLLOW: a final
 * link itself; AT_EMPTY_PATH with "": the file open at dirfd). 0 or -errno. */
static long stat_at(int dirfd, vaddr_t path_at, uint32_t flags, struct linux_stat *st)
{
    char *path;
    long err = path_from_user(path_at, &path);
    if (err != 0)
        return err;
    *st = (struct linux_stat){ 0 };
    struct inode *ip = NULL;
    if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
        err = dirfd == AT_FDCWD
                  ? fs_stat(current_proc()->cwd ? current_proc()->cwd : vfs_root(), st)
                  : stat_fd(dirfd, st);
    else if ((err = lookup_at(dirfd, path,
                              flags & AT_SYMLINK_NOFOLLOW ? NAMEI_NOFOLLOW : NAMEI_FOLLOW, &ip)) ==
             0)
        err = fs_stat(ip, st);
    inode_put(ip);
    kfree(path);
    return err;
}

/* newfstatat(dirfd, path, statbuf, flags). */
long sys_newfstatat(struct syscall_args a)
{
    uint32_t flags = (uint32_t)a.arg[3];
    if (flags & ~STATAT_FLAGS)
        return -EINVAL;
    struct linux_stat st;
    long err = stat_at((int)a.arg[0], a.arg[1], flags, &st);
    if (err == 0 && copy_to_user(a.arg[2], &st, sizeof st) != 0)
        err = -EFAULT;
    return err;
}

/* statx's record (Linux's include/uapi/linux/stat.h), 256 bytes. */
struct statx_time {
    int64_t sec;
    uint32_t nsec;
    int32_t reserved;
};

struct linux_statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct statx_time atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};

_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is 256 bytes");

#define STATX_BASIC_STATS  0x7ffu      /* type, mode, nlink, uid, gid, times, ino, size, blocks */
#define STATX_RESERVED     0x80000000u /* Linux: -EINVAL */
#define AT_STATX_SYNC_TYPE 0x6000      /* both sync bits at once: -EINVAL */
#define STATX_FLAGS        (STATAT_FLAGS | AT_STATX_SYNC_TYPE)

static uint32_t dev_major(uint64_t dev)
{
    return (uint32_t)((dev >> 8) & 0xfff);
}

static uint32_t dev_minor(uint64_t dev)
{
    return (uint32_t)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

/* struct statx from the same numbers as stat: the basic fields, whatever was asked. */
static void statx_from_stat(const struct linux_stat *st, struct linux_statx *sx)
{
    *sx = (struct linux_statx){
        .mask = STATX_BASIC_STATS,
        .blksize = (uint32_t)st->st_blksize,
        .nlink = (uint32_t)st->st_nlink,
        .uid = st->st_uid,
        .gid = st->st_gid,
        .mode = (uint16_t)st->st_mode,
        .ino = st->st_ino,
        .size = (uint64_t)st->st_size,
        .blocks = (uint64_t)st->st_blocks,
        .atime = { (int64_t)st->st_atime_sec, (uint32_t)st->st_atime_nsec, 0 },
        .ctime = { (int64_t)st->st_ctime_sec, (uint32_t)st->st_ctime_nsec, 0 },
        .mtime = { (int64_t)st->st_mtime_sec, (uint32_t)st->st_mtime_nsec, 0 },
        .rdev_major = dev_major(st->st_rdev),
        .rdev_minor = dev_minor(st->st_rdev),
        .dev_major = dev_major(st->st_dev),
        .dev_minor = dev_minor(st->st_dev),
    };
}

/* statx(dirfd, path, flags, mask, buf): Linux's order -- a reserved mask bit or
 * both sync flags (-EINVAL), an unknown flag (-EINVAL), then as newfstatat. */
long sys_statx(struct syscall_args a)
{
    uint32_t flags = (uint32_t)a.arg[2], mask = (uint32_t)a.arg[3];
    if ((mask & STATX_RESERVED) || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
        (flags & ~STATX_FLAGS))
        return -EINVAL;
    struct linux_stat st;
    long err = stat_at((int)a.arg[0], a.arg[1], flags & STATAT_FLAGS, &st);
    if (err != 0)
        return err;
    struct linux_statx sx;
    statx_from_stat(&st, &sx);
    return copy_to_user(a.arg[4], &sx, sizeof sx) != 0 ? -EFAULT : 0;
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
 * and writing are always allowed, as Linux allows root; executing needs an x bit
 * on anything but a directory (-EACCES). */
static long may_access(const struct inode *ip, uint32_t mode)
{
    uint32_t type = ip->mode & S_IFMT;
    if ((mode & X_OK) && type != S_IFDIR && (ip->mode & 0111) == 0)
        return -EACCES;
    bool file_or_dir = type == S_IFREG || type == S_IFDIR; /* a device may still be written */
    if ((mode & W_OK) && file_or_dir && fs_read_only(ip))
        return -EROFS; /* as Linux for a read-only disk */
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
