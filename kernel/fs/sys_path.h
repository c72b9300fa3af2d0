/*
 * sys_path.h — the two first steps of every system call that takes a path
 * (sys_path.c, and sys_names.c's namespace calls).
 */
#ifndef KERNEL_FS_SYS_PATH_H
#define KERNEL_FS_SYS_PATH_H

#include "mm/addr.h"
#include "vfs.h"

/* The path at user address at, copied into a new PATH_MAX buffer (a page: too big
 * for the kernel stack). 0 and *path (kfree it), -EFAULT, -ENAMETOOLONG, -ENOMEM. */
long path_from_user(vaddr_t at, char **path);

/* Where a relative path starts: the working directory for AT_FDCWD, else the
 * directory open at dirfd. A reference (NULL: the root), or -EBADF / -ENOTDIR. */
long start_dir(int dirfd, struct inode **start);

#endif
