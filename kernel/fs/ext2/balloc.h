/*
 * balloc.h — allocating and freeing blocks through the groups' block bitmaps. The
 * free counts of the group descriptor and of the superblock change with every bit,
 * so they always equal what the bitmaps say (e2fsck checks exactly that).
 */
#ifndef KERNEL_FS_EXT2_BALLOC_H
#define KERNEL_FS_EXT2_BALLOC_H

#include <stdint.h>

struct ext2_fs;

/* A free block, preferably at or after goal (0: no preference), now marked in use.
 * Its contents are whatever was there. 0 and *out, -ENOSPC (none free: nothing
 * changed), -EIO (a bitmap unreadable or inconsistent with its count). */
int ext2_block_alloc(struct ext2_fs *fs, uint32_t goal, uint32_t *out);

/* Mark block free again and drop any cached copy of it. 0, or -EIO (not a data
 * block, or already free: the disk is corrupt; nothing changed). */
int ext2_block_free(struct ext2_fs *fs, uint32_t block);

#endif
