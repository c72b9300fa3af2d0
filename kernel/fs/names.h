/*
 * names.h — the namespace operations of the VFS: make, remove and rename the names
 * in directories (mkdir, unlink, rmdir, link, symlink, rename), with Linux's checks
 * in Linux's order, each on the last component of a path.
 *
 *   "a/b/c"    walk "a/b" (names_split) -> directory b, last "c"
 *   "a/b/"     last "b", with a trailing slash: only a directory may be meant
 *   "a/..", "."  last ".." / "." : never made, removed or renamed
 *   "/"        no last component at all
 *
 * An operation locks the directory's mount (one process at a time inside a file
 * system), looks the last name up, checks, and calls the file system, all under
 * the one lock: nobody can change the name between the check and the change.
 */
#ifndef KERNEL_FS_NAMES_H
#define KERNEL_FS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfs.h"

/* What the last component of a path is (Linux's LAST_NORM, LAST_DOT, ...). */
enum last_kind { LAST_NORMAL, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

/* The directory a path's last component is in, and that component. */
struct last_name {
    struct inode *dir;   /* a reference (names_release drops it) */
    const char *name;    /* points into the path; not zero-terminated */
    size_t len;          /* bytes of name (0 for LAST_ROOT) */
    bool trailing_slash; /* "name/": a directory is meant */
    enum last_kind kind;
};

/* Walk every component of path but the last, from start (NULL: the root) for a
 * relative path. 0 and *out, -ENOENT (path empty or a component missing), the
 * errors of namei_parent. */
int names_split(struct inode *start, const char *path, struct last_name *out);

/* Drop the reference names_split took. */
void names_release(struct last_name *last);

/* mkdir: a new directory with permission bits mode (the umask already applied).
 * 0, -EEXIST, -ENOENT (the directory was removed), -ENAMETOOLONG, -EMLINK,
 * -ENOSPC, -EROFS, -EIO. */
int fs_mkdir(const struct last_name *last, uint32_t mode);

/* unlink: remove a name of a non-directory. 0, -EISDIR, -ENOTDIR ("file/"),
 * -ENOENT, -ENAMETOOLONG, -EROFS, -EIO. The inode goes when its last name and
 * its last user have (inode.h). */
int fs_unlink(const struct last_name *last);

/* rmdir: remove an empty directory. 0, -EINVAL ("."), -ENOTEMPTY (".." or not
 * empty), -EBUSY ("/" or a mount point), -ENOTDIR, -ENOENT, -EROFS, -EIO. */
int fs_rmdir(const struct last_name *last);

/* link: another name for ip. 0, -EEXIST, -ENOENT (ip has no name left, or
 * "new/"), -EXDEV (another mount), -EPERM (a directory), -EMLINK, -ENOSPC, -EIO. */
int fs_link(struct inode *ip, const struct last_name *last);

/* symlink: a new symbolic link holding target (len bytes). 0, -EEXIST, -ENOENT,
 * -ENAMETOOLONG (a target longer than a block), -ENOSPC, -EROFS, -EIO. */
int fs_symlink(const char *target, size_t len, const struct last_name *last);

#define RENAME_NOREPLACE (1u << 0) /* renameat2: fail with EEXIST rather than replace */
#define RENAME_EXCHANGE  (1u << 1) /* renameat2: swap the two names (ext2: EINVAL) */
#define RENAME_WHITEOUT  (1u << 2) /* renameat2: for overlay file systems (ext2: EINVAL) */

/* rename / renameat2: move the name from to the name to, replacing what to names
 * (atomically: to names one inode or the other at every moment). 0 (also when both
 * name the same inode: nothing happens), -EXDEV, -EBUSY, -EEXIST (NOREPLACE),
 * -ENOENT, -ENOTDIR, -EISDIR, -EINVAL (a directory into itself), -ENOTEMPTY,
 * -EMLINK, -ENOSPC, -EROFS, -EIO. */
int fs_rename(const struct last_name *from, const struct last_name *to, uint32_t flags);

#endif
