/*
 * group.c — block-group arithmetic (see group.h). Group g covers blocks
 * first_data_block + g * blocks_per_group and on; group 0 starts with the
 * superblock, then the descriptor table, then (mke2fs's layout without flex_bg)
 * the bitmaps and the inode table; the other groups with a superblock copy repeat
 * that, the rest start with their bitmaps.
 */
#include "kernel/fs/ext2/group.h"

#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/bitmap.h"
#include "kernel/fs/ext2/super.h"

uint32_t ext2_group_of_block(const struct ext2_fs *fs, uint32_t block)
{
    return (block - fs->sb.s_first_data_block) / fs->sb.s_blocks_per_group;
}

uint32_t ext2_group_first_block(const struct ext2_fs *fs, uint32_t group)
{
    return fs->sb.s_first_data_block + group * fs->sb.s_blocks_per_group;
}

uint32_t ext2_group_block_count(const struct ext2_fs *fs, uint32_t group)
{
    uint32_t left = fs->sb.s_blocks_count - ext2_group_first_block(fs, group);
    return left < fs->sb.s_blocks_per_group ? left : fs->sb.s_blocks_per_group;
}

/* Is n a power of base (1 counts: base^0)? */
static bool is_power_of(uint32_t n, uint32_t base)
{
    while (n % base == 0 && n > 1)
        n /= base;
    return n == 1;
}

bool ext2_group_has_super(const struct ext2_fs *fs, uint32_t group)
{
    if (!(fs->sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) || group <= 1)
        return true;
    return is_power_of(group, 3) || is_power_of(group, 5) || is_power_of(group, 7);
}

bool ext2_block_is_metadata(const struct ext2_fs *fs, uint32_t block)
{
    if (block < fs->sb.s_first_data_block || block >= fs->sb.s_blocks_count)
        return true;
    uint32_t g = ext2_group_of_block(fs, block);
    const struct ext2_group_desc *gd = &fs->groups[g];
    uint32_t first = ext2_group_first_block(fs, g);
    if (ext2_group_has_super(fs, g) && block < first + 1 + fs->gdt_blocks + fs->reserved_gdt_blocks)
        return true;
    if (block == gd->bg_block_bitmap || block == gd->bg_inode_bitmap)
        return true;
    return block >= gd->bg_inode_table && block - gd->bg_inode_table < fs->inode_table_blocks;
}

int ext2_block_check(const struct ext2_fs *fs, uint32_t block, const char *what, uint32_t ino)
{
    if (!ext2_block_is_metadata(fs, block))
        return 0;
    return ext2_corrupt(fs, "inode %u: %s points at block %u (outside the data area of %u blocks)",
                        ino, what, block, fs->sb.s_blocks_count);
}

int ext2_bitmap_clear(struct ext2_fs *fs, uint32_t bitmap, uint32_t bit, const char *what)
{
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, bitmap, &b) != 0)
        return ext2_corrupt(fs, "cannot read the %s bitmap (block %u)", what, bitmap);
    bool was_set = ext2_bit_test(b->data, bit);
    if (was_set) {
        ext2_bit_clear(b->data, bit);
        buffer_mark_dirty(b);
    }
    buffer_release(fs->cache, b);
    return was_set ? 1 : 0;
}
