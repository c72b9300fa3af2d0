/*
 * symlink.h — making a symbolic link: an inode of type S_IFLNK whose contents are
 * the target path. A target shorter than the 60 bytes of i_block[] is kept right
 * there (a "fast" link: no block, i_blocks 0); a longer one gets one data block.
 */
#ifndef KERNEL_FS_EXT2_SYMLINK_H
#define KERNEL_FS_EXT2_SYMLINK_H

#include <stdint.h>

struct ext2_fs;

/* A new symbolic link named name in dir whose target is target (target_len bytes,
 * at least 1, no zero). 0 and *ino, -ENAMETOOLONG (the target and its zero do not
 * fit in a block, as Linux's ext2), the errors of ext2_create. */
int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len,
                 const char *target, uint32_t target_len, uint32_t *ino);

#endif
