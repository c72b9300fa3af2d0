/*
 * namei_internal.h — steps namei.c and rename.c share; not for the VFS.
 */
#ifndef KERNEL_FS_EXT2_NAMEI_INTERNAL_H
#define KERNEL_FS_EXT2_NAMEI_INTERNAL_H

#include <stdint.h>

#include "kernel/fs/ext2/ext2.h"

struct ext2_fs;

/* Read inode ino, which must be a directory in use. 0, -ENOTDIR, -EIO. */
int ext2_load_dir(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *dir);

/* Take `links` links off inode ino (*inode its copy) and write it; at 0 links and
 * not open, evict it. 0, -EIO. */
int ext2_drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint16_t links);

#endif
