/*
 * sys_names.c — the system calls that make, remove and rename names: mkdir,
 * mkdirat, unlink, unlinkat, rmdir, link, linkat, symlink, symlinkat, rename,
 * renameat, renameat2 (Linux's numbers, flags and errors).
 *
 * Each checks its flags, copies its paths in (-EFAULT, -ENAMETOOLONG), walks each
 * to its last component (names.h's names_split) and calls the VFS operation of
 * names.c, which does the rest of Linux's checks. The older calls are the *at ones
 * with AT_FDCWD.
 */
#include "fdtable.h"
#include "inode.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mount.h"
#include "names.h"
#include "namei.h"
#include "sys_path.h"
#include "vfile.h"

#define AT_SYMLINK_FOLLOW 0x400  /* linkat: link what a final symlink points to */
#define AT_REMOVEDIR      0x200  /* unlinkat: rmdir instead */
#define AT_EMPTY_PATH     0x1000 /* linkat: "" means the file open at olddirfd */
#define RENAME_FLAGS      (RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)

/* A path from user memory, split at its last component. */
struct user_name {
    char *path; /* kfree'd by release */
    struct last_name last;
};

/* Copy the path at user address at and walk it, from dirfd when relative, to its
 * last component. 0 or the error (*u is released either way by release). */
static long split_at(int dirfd, vaddr_t at, struct user_name *u)
{
    u->last.dir = NULL;
    long err = path_from_user(at, &u->path);
    if (err != 0) {
        u->path = NULL;
        return err;
    }
    if (u->path[0] == '\0')
        return -ENOENT; /* before dirfd is looked at, as Linux's getname */
    struct inode *start = NULL;
    if (u->path[0] != '/')
        err = start_dir(dirfd, &start);
    if (err == 0)
        err = names_split(start, u->path, &u->last);
    inode_put(start);
    return err;
}

static void release(struct user_name *u)
{
    if (u->last.dir != NULL)
        names_release(&u->last);
    kfree(u->path);
}

/* ---- mkdir ---- */

/* mkdirat(dirfd, path, mode). */
long sys_mkdirat(struct syscall_args a)
{
    struct user_name u;
    long err = split_at((int)a.arg[0], a.arg[1], &u);
    if (err == 0)
        err = fs_mkdir(&u.last, (uint32_t)a.arg[2]);
    release(&u);
    return err;
}

long sys_mkdir(struct syscall_args a)
{
    return sys_mkdirat((struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], a.arg[1] } });
}

/* ---- unlink, rmdir ---- */

/* unlinkat(dirfd, path, flags): AT_REMOVEDIR makes it rmdir. */
long sys_unlinkat(struct syscall_args a)
{
    uint32_t flags = (uint32_t)a.arg[2];
    if (flags & ~(uint32_t)AT_REMOVEDIR)
        return -EINVAL;
    struct user_name u;
    long err = split_at((int)a.arg[0], a.arg[1], &u);
    if (err == 0)
        err = flags & AT_REMOVEDIR ? fs_rmdir(&u.last) : fs_unlink(&u.last);
    release(&u);
    return err;
}

long sys_unlink(struct syscall_args a)
{
    return sys_unlinkat((struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], 0 } });
}

long sys_rmdir(struct syscall_args a)
{
    return sys_unlinkat((struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], AT_REMOVEDIR } });
}

/* ---- link, symlink ---- */

/* The file open at dirfd (AT_FDCWD: the working directory), with a reference. */
static long inode_at_fd(int dirfd, struct inode **out)
{
    if (dirfd == AT_FDCWD) {
        struct inode *cwd = current_proc()->cwd;
        *out = inode_ref(cwd != NULL ? cwd : vfs_root());
        return 0;
    }
    struct file *f = fd_get(current_proc()->files, dirfd);
    if (f == NULL)
        return -EBADF;
    *out = inode_ref(vfile_inode(f));
    file_put(f);
    return *out != NULL ? 0 : -EXDEV; /* a pipe or device of no file system here */
}

/* linkat's source: the file path names from dirfd (its final symlink followed only
 * with AT_SYMLINK_FOLLOW), or with AT_EMPTY_PATH and "" the file open at dirfd
 * (Linux asks for CAP_DAC_READ_SEARCH there: every process here is root). */
static long link_source(int dirfd, const char *path, uint32_t flags, struct inode **out)
{
    if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
        return inode_at_fd(dirfd, out);
    struct inode *start = NULL;
    long err = path[0] == '/' || path[0] == '\0' ? 0 : start_dir(dirfd, &start);
    if (err == 0)
        err = namei(start, path, flags & AT_SYMLINK_FOLLOW ? NAMEI_FOLLOW : NAMEI_NOFOLLOW, out);
    inode_put(start);
    return err;
}

/* linkat(olddirfd, oldpath, newdirfd, newpath, flags). */
long sys_linkat(struct syscall_args a)
{
    uint32_t flags = (uint32_t)a.arg[4];
    if (flags & ~(uint32_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    char *old_path;
    long err = path_from_user(a.arg[1], &old_path);
    if (err != 0)
        return err;
    struct inode *ip = NULL;
    err = link_source((int)a.arg[0], old_path, flags, &ip);
    kfree(old_path);
    if (err != 0)
        return err;
    struct user_name u;
    err = split_at((int)a.arg[2], a.arg[3], &u);
    if (err == 0)
        err = fs_link(ip, &u.last);
    release(&u);
    inode_put(ip);
    return err;
}

long sys_link(struct syscall_args a)
{
    return sys_linkat(
        (struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], (uint64_t)AT_FDCWD, a.arg[1], 0 } });
}

/* symlinkat(target, newdirfd, linkpath): the target is stored as it is, never
 * walked; "" is -ENOENT as for any path. */
long sys_symlinkat(struct syscall_args a)
{
    char *target;
    long err = path_from_user(a.arg[0], &target);
    if (err != 0)
        return err;
    size_t len = strlen(target);
    struct user_name u = { 0 };
    err = len == 0 ? -ENOENT : split_at((int)a.arg[1], a.arg[2], &u);
    if (err == 0)
        err = fs_symlink(target, len, &u.last);
    release(&u);
    kfree(target);
    return err;
}

long sys_symlink(struct syscall_args a)
{
    return sys_symlinkat((struct syscall_args){ { a.arg[0], (uint64_t)AT_FDCWD, a.arg[1] } });
}

/* ---- rename ---- */

/* renameat2(olddirfd, oldpath, newdirfd, newpath, flags). */
long sys_renameat2(struct syscall_args a)
{
    uint32_t flags = (uint32_t)a.arg[4];
    if ((flags & ~(uint32_t)RENAME_FLAGS) != 0 ||
        ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT))))
        return -EINVAL;
    struct user_name from, to = { 0 };
    long err = split_at((int)a.arg[0], a.arg[1], &from);
    if (err == 0)
        err = split_at((int)a.arg[2], a.arg[3], &to);
    if (err == 0)
        err = fs_rename(&from.last, &to.last, flags);
    release(&to);
    release(&from);
    return err;
}

long sys_renameat(struct syscall_args a)
{
    return sys_renameat2((struct syscall_args){ { a.arg[0], a.arg[1], a.arg[2], a.arg[3], 0 } });
}

long sys_rename(struct syscall_args a)
{
    return sys_renameat2(
        (struct syscall_args){ { (uint64_t)AT_FDCWD, a.arg[0], (uint64_t)AT_FDCWD, a.arg[1], 0 } });
}
