/*
 * symlink.c — making symbolic links (symlink.h).
 *
 * Where the target goes, as Linux's ext2 decides it (readers tell the two kinds
 * apart by i_blocks, inode.c's ext2_inode_has_block_map):
 *
 *   target + its zero <= 60 bytes   "fast": the bytes themselves in i_block[0..14]
 *   longer (up to a block)          "slow": i_block[0] is a data block holding them
 */
#include "kernel/fs/ext2/symlink.h"

#include <stdbool.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2/bmap.h"
#include "kernel/fs/ext2/dir.h"
#include "kernel/fs/ext2/ialloc.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/namei_internal.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"

#define SYMLINK_MODE     (EXT2_S_IFLNK | 0777) /* a link's own bits are never checked */
#define FAST_TARGET_ROOM (EXT2_N_BLOCKS * sizeof(uint32_t)) /* i_block[]: 60 bytes */

/* Put the target in the inode itself (a fast link). */
static void store_fast(struct ext2_inode *inode, const char *target, uint32_t target_len)
{
    memcpy(inode->i_block, target, target_len); /* the rest of i_block[] stays zero */
}

/* Give the link one data block holding the target (a slow link); *inode's block
 * map and i_blocks change. 0, -ENOSPC, -EIO. */
static int store_in_block(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode,
                          const char *target, uint32_t target_len)
{
    uint32_t block;
    bool fresh;
    int err = ext2_bmap_allocate(fs, ino, inode, 0, &block, &fresh);
    if (err != 0)
        return err;
    memset(fs->bounce, 0, fs->block_size);
    memcpy(fs->bounce, target, target_len);
    /* file data bypasses the buffer cache (file.h), so a link is read from the disk */
    if (block_write(fs->dev, (uint64_t)block * fs->sectors_per_block, fs->sectors_per_block,
                    fs->bounce) != 0)
        return ext2_corrupt(fs, "cannot write symlink block %u", block);
    return 0;
}

int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len,
                 const char *target, uint32_t target_len, uint32_t *ino)
{
    struct ext2_inode parent;
    int err = ext2_prepare_new_name(fs, dir, &parent, name, len);
    if (err != 0)
        return err;
    if (target_len + 1 > fs->block_size)
        return -ENAMETOOLONG;
    if ((err = ext2_inode_alloc(fs, dir, false, ino)) != 0)
        return err;
    struct ext2_inode inode = ext2_new_inode(SYMLINK_MODE, 1);
    ext2_inode_set_size(fs, &inode, target_len);
    if (target_len + 1 <= FAST_TARGET_ROOM)
        store_fast(&inode, target, target_len);
    else
        err = store_in_block(fs, *ino, &inode, target, target_len);
    if (err == 0)
        err = ext2_inode_write_new(fs, *ino, &inode);
    if (err == 0)
        err = ext2_dir_add(fs, dir, &parent, name, len, *ino, EXT2_FT_SYMLINK);
    if (err != 0) {
        ext2_discard_new(fs, *ino, &inode);
        return err;
    }
    return ext2_inode_write(fs, dir, &parent);
}
