/*
 * vfile.h — open files of the VFS: an inode (vfs.h) behind a struct file.
 *
 * A regular file on the disk reads through ext2_file_read and writes through
 * ext2_file_write at the file's offset (at its end for O_APPEND, found under the
 * mount's lock), a chunk at a time through a kernel buffer: user memory is never
 * touched while the lock is held. A directory (on the disk, /dev, or the empty
 * root) answers getdents64 and reads as -EISDIR; a device is the device's own file
 * (devfs.h). Creating a file is open's (sys_path.c, mount.h's fs_create).
 */
#ifndef KERNEL_FS_VFILE_H
#define KERNEL_FS_VFILE_H

#include <stdint.h>

#include "file.h"
#include "vfs.h"

/* Open ip with open()'s flags (O_TRUNC empties a regular file): 0 and *file (one
 * reference; the file takes its own on ip), or -EISDIR (a directory for writing or
 * with O_CREAT), -ENOTDIR (O_DIRECTORY on a non-directory), -ELOOP (a symbolic
 * link, reached with O_NOFOLLOW), -ENXIO (a disk device, fifo or socket), -EIO,
 * -ENOMEM. */
int vfile_open(struct inode *ip, uint32_t flags, struct file **file);

/* The inode behind f, or NULL (a pipe, a device). */
struct inode *vfile_inode(const struct file *f);

#endif
