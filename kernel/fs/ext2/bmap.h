/*
 * bmap.h — the block map: which disk block holds block `index` of a file.
 *
 * An inode's i_block[15] holds 12 block numbers of the file's first blocks, then
 * one indirect block (a block of p = block_size / 4 block numbers), one double
 * indirect (p indirect blocks) and one triple indirect:
 *
 *   index 0..11                  i_block[index]
 *   12 .. 12+p-1                 i_block[12] -> [index - 12]
 *   .. + p*p                     i_block[13] -> [i / p] -> [i % p]
 *   .. + p*p*p                   i_block[14] -> [i / p^2] -> [i / p % p] -> [i % p]
 *
 * (with 1 KiB blocks p = 256: 12 KiB direct, 256 KiB single, 64 MiB double, 16 GiB
 * triple). A 0 anywhere on the way is a hole: the file reads zeros there.
 */
#ifndef KERNEL_FS_EXT2_BMAP_H
#define KERNEL_FS_EXT2_BMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/fs/ext2/ext2.h"

struct ext2_fs;

/* The disk block of block `index` of inode ino (*inode its copy): *block = 0 for a
 * hole. 0, -EFBIG (beyond what the map can address), -EIO (an indirect block
 * unreadable, or a block number outside the data area). */
int ext2_bmap_lookup(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *inode,
                     uint64_t index, uint32_t *block);

/* Like ext2_bmap_lookup, but a hole is filled: the data block and any missing
 * indirect blocks on the way (zero-filled) are allocated near their neighbours;
 * *inode's i_block[] and i_blocks change and the caller writes the inode back.
 * *fresh says the data block is new (its old contents are garbage). -ENOSPC: the
 * disk is full (indirect blocks already allocated stay, zero-filled and counted). */
int ext2_bmap_allocate(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint64_t index,
                       uint32_t *block, bool *fresh);

/* Free every block of the file from block `keep` on, and the indirect blocks left
 * with nothing under them; *inode changes as above. 0, -EIO. */
int ext2_bmap_truncate(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint64_t keep);

#endif
