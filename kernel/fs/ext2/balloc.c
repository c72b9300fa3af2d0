/*
 * balloc.c — block allocation (balloc.h). The search starts in the goal's group at
 * the goal, so a growing file's blocks tend to be consecutive on the disk (one
 * request can then read many), and moves on group by group, wrapping around.
 */
#include "kernel/fs/ext2/balloc.h"

#include <stdbool.h>

#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/bitmap.h"
#include "kernel/fs/ext2/group.h"
#include "kernel/fs/ext2/super.h"

/* Count one block of group g as used (delta -1) or free (+1). */
static void count_blocks(struct ext2_fs *fs, uint32_t g, int delta)
{
    fs->groups[g].bg_free_blocks_count += delta;
    fs->sb.s_free_blocks_count += delta;
    fs->groups_dirty = true;
    fs->super_dirty = true;
}

/* ASSIGNMENT(balloc): find a clear bit, set it, and keep both free counts exact. */
/* Take a clear bit of group g's bitmap, searching from bit `from` and wrapping to
 * the group's start. 0 and *out, -ENOSPC (none clear), -EIO. */
static int take_in_group(struct ext2_fs *fs, uint32_t g, uint32_t from, uint32_t *out)
{
    uint32_t bits = ext2_group_block_count(fs, g);
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, fs->groups[g].bg_block_bitmap, &b) != 0)
        return ext2_corrupt(fs, "group %u: cannot read the block bitmap", g);
    uint32_t bit = ext2_bit_find_clear(b->data, from, bits);
    if (bit == bits && from > 0) {
        bit = ext2_bit_find_clear(b->data, 0, from);
        bit = bit == from ? bits : bit;
    }
    if (bit == bits) {
        buffer_release(fs->cache, b);
        return ext2_corrupt(fs, "group %u: %u blocks counted free, none in the bitmap", g,
                            fs->groups[g].bg_free_blocks_count);
    }
    uint32_t block = ext2_group_first_block(fs, g) + bit;
    if (ext2_block_is_metadata(fs, block)) {
        buffer_release(fs->cache, b);
        return ext2_corrupt(fs, "group %u: metadata block %u marked free", g, block);
    }
    ext2_bit_set(b->data, bit);
    buffer_mark_dirty(b);
    buffer_release(fs->cache, b);
    count_blocks(fs, g, -1);
    *out = block;
    return 0;
}

int ext2_block_alloc(struct ext2_fs *fs, uint32_t goal, uint32_t *out)
{
    if (fs->sb.s_free_blocks_count == 0)
        return -ENOSPC;
    bool goal_valid = goal >= fs->sb.s_first_data_block && goal < fs->sb.s_blocks_count;
    uint32_t first_group = goal_valid ? ext2_group_of_block(fs, goal) : 0;
    for (uint32_t i = 0; i < fs->group_count; i++) {
        uint32_t g = (first_group + i) % fs->group_count;
        if (fs->groups[g].bg_free_blocks_count == 0)
            continue;
        uint32_t from = i == 0 && goal_valid ? goal - ext2_group_first_block(fs, g) : 0;
        return take_in_group(fs, g, from, out);
    }
    return ext2_corrupt(fs, "%u blocks counted free, no group has one", fs->sb.s_free_blocks_count);
}

int ext2_block_free(struct ext2_fs *fs, uint32_t block)
{
    if (ext2_block_is_metadata(fs, block))
        return ext2_corrupt(fs, "freeing block %u, which is not a data block", block);
    uint32_t g = ext2_group_of_block(fs, block);
    uint32_t bit = block - ext2_group_first_block(fs, g);
    int was_set = ext2_bitmap_clear(fs, fs->groups[g].bg_block_bitmap, bit, "block");
    if (was_set < 0)
        return was_set;
    if (!was_set)
        return ext2_corrupt(fs, "freeing block %u, already free", block);
    count_blocks(fs, g, +1);
    buffer_forget(fs->cache, fs->dev, block);
    return 0;
}
