/*
 * check.c — the mount-time checks of check.h. Every number here comes from the disk
 * and may be anything: each check uses only values already checked above it, and
 * 64-bit arithmetic where a product of two fields could overflow.
 */
#include "kernel/fs/ext2/check.h"

#include <stdarg.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2/group.h"
#include "kernel/fs/ext2/super.h"
#include "kernel/printk.h"
#include "lib/format.h"

/* Log "ext2 DEV: refusing to mount: ..." and return -EINVAL. */
static int __attribute__((format(printf, 2, 3))) refuse(const char *device, const char *fmt, ...)
{
    char why[160];
    va_list args;
    va_start(args, fmt);
    vsnprintf(why, sizeof why, fmt, args);
    va_end(args);
    kprintf("ext2 %s: refusing to mount: %s\n", device, why);
    return -EINVAL;
}

/* Magic number, revision, block size and first data block. */
static int check_format(const struct ext2_superblock *sb, const char *device)
{
    if (sb->s_magic != EXT2_SUPER_MAGIC)
        return refuse(device, "no ext2 magic (0x%x at byte 1080, expected 0x%x)", sb->s_magic,
                      EXT2_SUPER_MAGIC);
    if (sb->s_rev_level > EXT2_DYNAMIC_REV)
        return refuse(device, "revision %u (only 0 and 1 exist)", sb->s_rev_level);
    if (sb->s_log_block_size > EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG)
        return refuse(device, "block size 1024 << %u (only 1024, 2048 and 4096 are supported)",
                      sb->s_log_block_size);
    uint32_t expected_first = sb->s_log_block_size == 0 ? 1 : 0;
    if (sb->s_first_data_block != expected_first)
        return refuse(device, "first data block %u (expected %u for %u-byte blocks)",
                      sb->s_first_data_block, expected_first, 1024u << sb->s_log_block_size);
    return 0;
}

/* Features: an unknown incompatible one means we cannot read the disk correctly. */
static int check_features(const struct ext2_superblock *sb, const char *device)
{
    if (sb->s_rev_level == EXT2_GOOD_OLD_REV)
        return 0;
    uint32_t unknown = sb->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_SUPPORTED;
    if (unknown != 0)
        return refuse(device,
                      "incompatible features 0x%x (journal, extents, 64bit, flex_bg... "
                      "are ext3/ext4's; only filetype is supported)",
                      unknown);
    return 0;
}

/* Inode size and the first ordinary inode (revision 1 sets them; revision 0 fixes them). */
static int check_inode_format(const struct ext2_superblock *sb, const char *device)
{
    if (sb->s_rev_level == EXT2_GOOD_OLD_REV)
        return 0;
    uint32_t size = sb->s_inode_size, block_size = 1024u << sb->s_log_block_size;
    if (size < EXT2_GOOD_OLD_INODE_SIZE || size > block_size || (size & (size - 1)) != 0)
        return refuse(device, "inode size %u (a power of two from 128 to the block size %u)", size,
                      block_size);
    if (sb->s_first_ino < EXT2_GOOD_OLD_FIRST_INO || sb->s_first_ino > sb->s_inodes_count)
        return refuse(device, "first inode %u (expected 11..%u)", sb->s_first_ino,
                      sb->s_inodes_count);
    return 0;
}

/* Groups: sizes within one bitmap block, and the counts consistent with each other
 * and with the device. */
static int check_geometry(const struct ext2_superblock *sb, uint64_t device_bytes,
                          const char *device)
{
    uint32_t block_size = 1024u << sb->s_log_block_size, bits = 8 * block_size;
    if (sb->s_blocks_per_group < 8 || sb->s_blocks_per_group > bits)
        return refuse(device, "%u blocks per group (a bitmap block holds 8..%u)",
                      sb->s_blocks_per_group, bits);
    if (sb->s_inodes_per_group == 0 || sb->s_inodes_per_group > bits)
        return refuse(device, "%u inodes per group (a bitmap block holds 1..%u)",
                      sb->s_inodes_per_group, bits);
    if (sb->s_blocks_count <= sb->s_first_data_block + 1)
        return refuse(device, "%u blocks in all", sb->s_blocks_count);
    if ((uint64_t)sb->s_blocks_count * block_size > device_bytes)
        return refuse(device, "%u blocks of %u bytes do not fit on a device of %lu bytes",
                      sb->s_blocks_count, block_size, (unsigned long)device_bytes);
    uint64_t data_blocks = sb->s_blocks_count - sb->s_first_data_block;
    uint64_t groups = (data_blocks + sb->s_blocks_per_group - 1) / sb->s_blocks_per_group;
    if (groups * sb->s_inodes_per_group != sb->s_inodes_count)
        return refuse(device, "%u inodes, but %lu groups of %u inodes", sb->s_inodes_count,
                      (unsigned long)groups, sb->s_inodes_per_group);
    if (sb->s_free_blocks_count > sb->s_blocks_count ||
        sb->s_free_inodes_count > sb->s_inodes_count)
        return refuse(device, "free counts %u blocks, %u inodes exceed the totals %u, %u",
                      sb->s_free_blocks_count, sb->s_free_inodes_count, sb->s_blocks_count,
                      sb->s_inodes_count);
    return 0;
}

int ext2_check_superblock(const struct ext2_superblock *sb, uint64_t device_bytes,
                          const char *device)
{
    int err = check_format(sb, device);
    if (err == 0)
        err = check_features(sb, device);
    if (err == 0)
        err = check_inode_format(sb, device);
    if (err == 0)
        err = check_geometry(sb, device_bytes, device);
    return err;
}

/* Is [first, first + count) inside group g? */
static bool inside_group(const struct ext2_fs *fs, uint32_t g, uint32_t first, uint32_t count)
{
    uint64_t start = ext2_group_first_block(fs, g);
    uint64_t end = start + ext2_group_block_count(fs, g);
    return first >= start && (uint64_t)first + count <= end;
}

/* One descriptor: its bitmaps and inode table inside its group, apart from the
 * superblock copy and descriptors, and its counts no larger than the group. */
static int check_group(const struct ext2_fs *fs, uint32_t g)
{
    const struct ext2_group_desc *gd = &fs->groups[g];
    const char *device = block_device_name(fs->dev);
    uint32_t first_usable = ext2_group_first_block(fs, g);
    if (ext2_group_has_super(fs, g))
        first_usable += 1 + fs->gdt_blocks + fs->reserved_gdt_blocks;
    if (!inside_group(fs, g, gd->bg_block_bitmap, 1) || gd->bg_block_bitmap < first_usable)
        return refuse(device, "group %u: block bitmap at block %u, outside the group", g,
                      gd->bg_block_bitmap);
    if (!inside_group(fs, g, gd->bg_inode_bitmap, 1) || gd->bg_inode_bitmap < first_usable)
        return refuse(device, "group %u: inode bitmap at block %u, outside the group", g,
                      gd->bg_inode_bitmap);
    if (!inside_group(fs, g, gd->bg_inode_table, fs->inode_table_blocks) ||
        gd->bg_inode_table < first_usable)
        return refuse(device, "group %u: inode table at blocks %u+%u, outside the group", g,
                      gd->bg_inode_table, fs->inode_table_blocks);
    if (gd->bg_free_blocks_count > ext2_group_block_count(fs, g) ||
        gd->bg_free_inodes_count > fs->sb.s_inodes_per_group ||
        gd->bg_used_dirs_count > fs->sb.s_inodes_per_group)
        return refuse(device,
                      "group %u: counts free blocks %u, free inodes %u, directories %u "
                      "exceed the group's %u blocks, %u inodes",
                      g, gd->bg_free_blocks_count, gd->bg_free_inodes_count, gd->bg_used_dirs_count,
                      ext2_group_block_count(fs, g), fs->sb.s_inodes_per_group);
    return 0;
}

int ext2_check_groups(const struct ext2_fs *fs)
{
    for (uint32_t g = 0; g < fs->group_count; g++) {
        int err = check_group(fs, g);
        if (err != 0)
            return err;
    }
    return 0;
}
