/*
 * namei.h — from a path to an inode: the walk, one component at a time.
 *
 *   "/home/notes.txt"   starts at the root directory
 *   "notes.txt"         starts at the process's working directory (or openat's dirfd)
 *
 * Each component is looked up in the directory reached so far: "." stays, ".."
 * goes up (".." of "/" is "/"), a name hidden by a mount (mount.h) enters the
 * mounted file system's root. Empty components ("a//b") are skipped; a trailing
 * "/" demands a directory. A symbolic link is replaced by a walk of its target
 * (from the link's directory, or from "/"), nested at most 8 deep (-ELOOP).
 */
#ifndef KERNEL_FS_NAMEI_H
#define KERNEL_FS_NAMEI_H

#include <stddef.h>

#include "vfs.h"

#define AT_FDCWD (-100) /* openat's dirfd meaning "the working directory" */

/* A symbolic link as the last component: followed (open, stat), or the link itself
 * (lstat, O_NOFOLLOW, readlink). Links before the last are always followed. */
enum namei_follow { NAMEI_FOLLOW, NAMEI_NOFOLLOW };

/* The inode path names, starting at start for a relative path (NULL: the root),
 * with a reference. 0 and *out, or -ENOENT (a component or the path is missing or
 * empty), -ENOTDIR (a component before the last, or the last with a trailing "/",
 * is not a directory), -ENAMETOOLONG (a component over NAME_MAX bytes), -ELOOP,
 * -EIO. */
int namei(struct inode *start, const char *path, enum namei_follow how, struct inode **out);

/* namei, and on -ENOENT *last_missing says whether only the last name was missing
 * from a directory that exists (open(O_CREAT) then creates it without looking the
 * name up again). */
int namei_noting_last(struct inode *start, const char *path, enum namei_follow how,
                      struct inode **out, bool *last_missing);

/* The directory the last component of path would be in (for O_CREAT on a missing
 * name), with a reference; the errors of namei, and then *out is NULL. */
int namei_parent(struct inode *start, const char *path, struct inode **out);

/* The absolute path of directory dir into buf (size bytes). Its length, or
 * -ERANGE (too small), -ENOENT, -EIO. */
long namei_path_of(struct inode *dir, char *buf, size_t size);

#endif
