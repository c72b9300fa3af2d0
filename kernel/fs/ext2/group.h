/*
 * group.h — block groups: which group a block or inode lies in, where each group
 * keeps its copy of the superblock, its bitmaps and its inode table, and the check
 * that a block number read from the disk points at data, not at those.
 */
#ifndef KERNEL_FS_EXT2_GROUP_H
#define KERNEL_FS_EXT2_GROUP_H

#include <stdbool.h>
#include <stdint.h>

struct ext2_fs;

/* Block-group arithmetic: which group a block lies in, where a group starts, how
 * many blocks it has (the last one may be short). */
uint32_t ext2_group_of_block(const struct ext2_fs *fs, uint32_t block);
uint32_t ext2_group_first_block(const struct ext2_fs *fs, uint32_t group);
uint32_t ext2_group_block_count(const struct ext2_fs *fs, uint32_t group);

/* Does group hold a copy of the superblock and descriptors (all with sparse_super off)? */
bool ext2_group_has_super(const struct ext2_fs *fs, uint32_t group);

/* Is block one the file system itself uses (superblock or descriptor copy, reserved
 * descriptor blocks, a bitmap, the inode table)? Such a block is never file data. */
bool ext2_block_is_metadata(const struct ext2_fs *fs, uint32_t block);

/* Check a block number read from the disk before using it: 0 if it lies in the data
 * area, else an "ext2 DEV: corrupted ..." line naming `what` and -EIO. */
int ext2_block_check(const struct ext2_fs *fs, uint32_t block, const char *what, uint32_t ino);

/* Clear bit `bit` of the group bitmap held in block `bitmap` (a block bitmap or an
 * inode bitmap): the one step freeing a block and freeing an inode share. 1 if the
 * bit was set (it is clear now, the buffer dirty), 0 if it was already clear, or
 * -EIO (with a line naming `what`) if the bitmap cannot be read. */
int ext2_bitmap_clear(struct ext2_fs *fs, uint32_t bitmap, uint32_t bit, const char *what);

#endif
