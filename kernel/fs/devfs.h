/*
 * devfs.h — the names under /dev: console, tty, null, zero, and the disks vda...
 *
 * The VFS mounts this at /dev (mount.c): the directory's entries are the devices
 * of chardev.h, then the disk nodes of disknode.h, inode i + 2 for device i, and
 * opening one gives a file whose operations are the device's.
 */
#ifndef KERNEL_FS_DEVFS_H
#define KERNEL_FS_DEVFS_H

#include <stddef.h>
#include <stdint.h>

#include "file.h"

struct chardev;

/* The index of the device named name (len bytes), or -1. */
int devfs_find(const char *name, size_t len);

/* Device i, or NULL past the last. */
const struct chardev *devfs_device(int i);

/* Open dev with open()'s flags (O_CLOEXEC is the caller's business). 0 and *file
 * set (one reference), or -EEXIST (O_CREAT | O_EXCL), -ENOTDIR (O_DIRECTORY),
 * -ENOMEM. */
int devfs_open(const struct chardev *dev, uint32_t flags, struct file **file);

#endif
