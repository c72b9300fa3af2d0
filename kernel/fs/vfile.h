/*
 * vfile.h — open files of the VFS: an inode (vfs.h) behind a struct file.
 *
 * A regular file on the disk reads through ext2_file_read at the file's offset; a
 * directory (on the disk, /dev, or the empty root) answers getdents64 and reads
 * as -EISDIR; a device is the device's own file (devfs.h). The disk is read-only
 * for now: opening a disk file for writing, or creating one, is -EROFS.
 */
#ifndef KERNEL_FS_VFILE_H
#define KERNEL_FS_VFILE_H

#include <stdint.h>

#include "file.h"
#include "vfs.h"

/* Open ip with open()'s flags: 0 and *file (one reference; the file takes its own
 * on ip), or -EISDIR (a directory for writing), -ENOTDIR (O_DIRECTORY on a
 * non-directory), -EROFS (a disk file for writing or truncating), -ELOOP (a
 * symbolic link, reached with O_NOFOLLOW), -ENXIO (a disk device, fifo or socket),
 * -EEXIST, -ENOMEM. */
int vfile_open(struct inode *ip, uint32_t flags, struct file **file);

/* The inode behind f, or NULL (a pipe, a device). */
struct inode *vfile_inode(const struct file *f);

#endif
