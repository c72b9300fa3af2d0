/*
 * devfs.h — the names under /dev: console, tty, null, zero.
 *
 * There is no path lookup yet: the VFS proper (inodes, mounts, ext2 at /) comes
 * next and will mount this at /dev. Until then open() and openat() reach exactly
 * these four absolute paths through devfs_open, and every other path is -ENOENT.
 */
#ifndef KERNEL_FS_DEVFS_H
#define KERNEL_FS_DEVFS_H

#include <stdint.h>

#include "file.h"

/* Open the device at path ("/dev/null") with open()'s flags (O_CLOEXEC is the
 * caller's business). 0 and *file set (one reference), or -ENOENT (no such
 * device), -EEXIST (O_CREAT | O_EXCL), -ENOTDIR (O_DIRECTORY), -ENOMEM. */
int devfs_open(const char *path, uint32_t flags, struct file **file);

#endif
