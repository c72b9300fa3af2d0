/*
 * super.c — mounting an ext2 disk: read the superblock at byte 1024 and the group
 * descriptor table after it, check them (check.c), keep both in memory; sync writes
 * them back after the buffer cache's dirty blocks.
 */
#include "kernel/fs/ext2/super.h"

#include <stdarg.h>
#include <stddef.h>

#include "kernel/clock.h"
#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/check.h"
#include "kernel/fs/ext2/group.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/printk.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kheap.h"

#define NS_PER_SECOND 1000000000ull
#define SUPER_SECTOR  (EXT2_SUPERBLOCK_OFFSET / BLOCK_SECTOR_SIZE)
#define SUPER_SECTORS (EXT2_SUPERBLOCK_SIZE / BLOCK_SECTOR_SIZE)

uint32_t ext2_now(void)
{
    return (uint32_t)(clock_realtime_ns() / NS_PER_SECOND);
}

int ext2_corrupt(const struct ext2_fs *fs, const char *fmt, ...)
{
    char what[160];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    kprintf("ext2 %s: %s\n", block_device_name(fs->dev), what);
    return -EIO;
}

/* The numbers every other file uses, derived once from the checked superblock. */
static void derive_geometry(struct ext2_fs *fs)
{
    const struct ext2_superblock *sb = &fs->sb;
    fs->block_size = 1024u << sb->s_log_block_size;
    fs->sectors_per_block = fs->block_size / BLOCK_SECTOR_SIZE;
    fs->pointers_per_block = fs->block_size / sizeof(uint32_t);
    fs->group_count = (sb->s_blocks_count - sb->s_first_data_block + sb->s_blocks_per_group - 1) /
                      sb->s_blocks_per_group;
    fs->gdt_blocks =
        (fs->group_count * sizeof(struct ext2_group_desc) + fs->block_size - 1) / fs->block_size;
    bool dynamic = sb->s_rev_level >= EXT2_DYNAMIC_REV;
    fs->reserved_gdt_blocks = dynamic ? sb->s_reserved_gdt_blocks : 0;
    fs->inode_size = dynamic ? sb->s_inode_size : EXT2_GOOD_OLD_INODE_SIZE;
    fs->first_ino = dynamic ? sb->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
    fs->inodes_per_block = fs->block_size / fs->inode_size;
    fs->inode_table_blocks =
        (sb->s_inodes_per_group + fs->inodes_per_block - 1) / fs->inodes_per_block;
    fs->has_filetype = dynamic && (sb->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
    fs->read_only = dynamic && (sb->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPPORTED);
    fs->read_only_device = block_read_only(fs->dev);
    uint64_t p = fs->pointers_per_block;
    uint64_t blocks = EXT2_NDIR_BLOCKS + p + p * p + p * p * p;
    fs->max_file_size = blocks * fs->block_size;
}

/* The first block of the group descriptor table (the block after the superblock's). */
static uint32_t gdt_first_block(const struct ext2_fs *fs)
{
    return fs->sb.s_first_data_block + 1;
}

/* Read the descriptor table into fs->groups (whole blocks). 0, -EINVAL, -EIO, -ENOMEM. */
static int read_groups(struct ext2_fs *fs)
{
    if (gdt_first_block(fs) + fs->gdt_blocks > fs->sb.s_blocks_count) {
        kprintf("ext2 %s: refusing to mount: %u descriptor blocks do not fit\n",
                block_device_name(fs->dev), fs->gdt_blocks);
        return -EINVAL;
    }
    fs->groups = kmalloc((size_t)fs->gdt_blocks * fs->block_size);
    if (fs->groups == NULL)
        return -ENOMEM;
    if (block_read(fs->dev, (uint64_t)gdt_first_block(fs) * fs->sectors_per_block,
                   fs->gdt_blocks * fs->sectors_per_block, fs->groups) != 0)
        return ext2_corrupt(fs, "cannot read the group descriptors");
    return ext2_check_groups(fs);
}

/* The free counts the superblock should hold: the sums over the groups. */
static void sum_free_counts(struct ext2_fs *fs)
{
    uint32_t blocks = 0, inodes = 0;
    for (uint32_t g = 0; g < fs->group_count; g++) {
        blocks += fs->groups[g].bg_free_blocks_count;
        inodes += fs->groups[g].bg_free_inodes_count;
    }
    if (blocks != fs->sb.s_free_blocks_count || inodes != fs->sb.s_free_inodes_count) {
        /* As Linux does: the groups' counts are the truth, the superblock's a summary. */
        fs->sb.s_free_blocks_count = blocks;
        fs->sb.s_free_inodes_count = inodes;
        fs->super_dirty = true;
    }
}

/* The root directory must exist and be a directory. */
static int check_root(struct ext2_fs *fs)
{
    struct ext2_inode root;
    int err = ext2_inode_read_live(fs, EXT2_ROOT_INO, &root);
    if (err != 0)
        return err;
    if (!ext2_inode_is_dir(&root)) {
        kprintf("ext2 %s: refusing to mount: the root (inode 2) is not a directory (mode 0%o)\n",
                block_device_name(fs->dev), root.i_mode);
        return -EINVAL;
    }
    return 0;
}

/* A writable mount marks the disk "not clean" until unmount, as Linux does. */
static void note_mounted(struct ext2_fs *fs)
{
    fs->was_clean = fs->sb.s_state & EXT2_VALID_FS;
    if (!fs->was_clean)
        kprintf("ext2 %s: not cleanly unmounted; e2fsck is advised\n", block_device_name(fs->dev));
    if (fs->read_only_device) {
        kprintf("ext2 %s: the device is read-only: mounted read-only\n",
                block_device_name(fs->dev));
        fs->read_only = true;
        return;
    }
    if (fs->read_only) {
        kprintf("ext2 %s: read-only features 0x%x: mounted read-only\n", block_device_name(fs->dev),
                fs->sb.s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPPORTED);
        return;
    }
    fs->sb.s_state &= ~EXT2_VALID_FS;
    fs->sb.s_mnt_count++;
    fs->sb.s_mtime = ext2_now();
    fs->super_dirty = true;
}

/* Free whatever a failed mount or an unmount leaves. */
static void release(struct ext2_fs *fs)
{
    buffer_cache_destroy(fs->cache);
    kfree(fs->groups);
    kfree(fs->bounce);
    kfree(fs);
}

/* The part of mount after the superblock is in fs->sb and checked. */
static int mount_checked(struct ext2_fs *fs)
{
    derive_geometry(fs);
    int err = read_groups(fs);
    if (err != 0)
        return err;
    fs->cache = buffer_cache_create(fs->block_size, EXT2_CACHE_BUFFERS);
    fs->bounce = kmalloc(fs->block_size);
    if (fs->cache == NULL || fs->bounce == NULL)
        return -ENOMEM;
    sum_free_counts(fs);
    return check_root(fs);
}

int ext2_mount(struct block_device *dev, struct ext2_fs **out)
{
    struct ext2_fs *fs = kzalloc(sizeof *fs);
    if (fs == NULL)
        return -ENOMEM;
    fs->dev = dev;
    int err = 0;
    if (block_read(dev, SUPER_SECTOR, SUPER_SECTORS, &fs->sb) != 0)
        err = ext2_corrupt(fs, "cannot read the superblock");
    if (err == 0)
        err = ext2_check_superblock(&fs->sb, block_sector_count(dev) * BLOCK_SECTOR_SIZE,
                                    block_device_name(dev));
    if (err == 0)
        err = mount_checked(fs);
    if (err != 0) {
        release(fs);
        return err;
    }
    note_mounted(fs);
    *out = fs;
    return 0;
}

/* Write the descriptor table (only the primary copy; e2fsck updates the backups). */
static int write_groups(struct ext2_fs *fs)
{
    if (block_write(fs->dev, (uint64_t)gdt_first_block(fs) * fs->sectors_per_block,
                    fs->gdt_blocks * fs->sectors_per_block, fs->groups) != 0)
        return -EIO;
    fs->groups_dirty = false;
    return 0;
}

static int write_super(struct ext2_fs *fs)
{
    fs->sb.s_wtime = ext2_now();
    if (block_write(fs->dev, SUPER_SECTOR, SUPER_SECTORS, &fs->sb) != 0)
        return -EIO;
    fs->super_dirty = false;
    return 0;
}

int ext2_sync(struct ext2_fs *fs)
{
    if (fs->read_only)
        return 0;
    int err = buffer_sync(fs->cache);
    if (err == 0 && fs->groups_dirty)
        err = write_groups(fs);
    if (err == 0 && fs->super_dirty)
        err = write_super(fs);
    if (err == 0 && block_flush(fs->dev) != 0)
        err = -EIO;
    return err;
}

int ext2_unmount(struct ext2_fs *fs)
{
    if (fs->was_clean && !fs->read_only) {
        fs->sb.s_state |= EXT2_VALID_FS;
        fs->super_dirty = true;
    }
    int err = ext2_sync(fs);
    release(fs);
    return err;
}
