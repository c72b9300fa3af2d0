/*
 * test_ext2_mount.c — mount refuses an inconsistent superblock or group descriptor
 * with one clear line naming the field and its value, mounts read-only when a
 * read-only-compatible feature is unknown, and refuses ext4.
 */
#undef snprintf
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"
#include "tests/host/block_file.h"
#include "tests/host/check.h"
#include "tests/host/ext2_image.h"
#include "tests/host/kernel_shim.h"

#define SB(field)  (EXT2_SUPERBLOCK_OFFSET + offsetof(struct ext2_superblock, field))
#define GD0(field) (2 * 1024 + offsetof(struct ext2_group_desc, field)) /* 1 KiB blocks */

static const char *pristine(void)
{
    static char image[256];
    if (image[0] == '\0') {
        snprintf(image, sizeof image, "%s/pristine.img", ext2_scratch());
        CHECK(ext2_make_image(image, 1024, 4096, NULL), "mke2fs");
    }
    return image;
}

/* A copy of the pristine image with `size` bytes of value written at offset. */
static const char *patched(uint64_t offset, uint32_t value, int size)
{
    static char copy[256];
    snprintf(copy, sizeof copy, "%s/patched.img", ext2_scratch());
    ext2_sh("cp '%s' '%s'", pristine(), copy);
    int fd = open(copy, O_RDWR);
    if (pwrite(fd, &value, size, (off_t)offset) != size)
        perror(copy);
    close(fd);
    return copy;
}

/* Mounting image must fail with err and a log line containing `why`. */
static void refused(const char *image, int err, const char *why)
{
    struct block_device *dev = block_file_open(image, "vdc");
    struct ext2_fs *fs = NULL;
    shim_kprintf_last[0] = '\0';
    int result = ext2_mount(dev, &fs);
    CHECK(result == err, "mount returned %d, expected %d (%s)", result, err, why);
    CHECK(ext2_text_contains(shim_kprintf_last, why), "the message \"%s\" lacks \"%s\"",
          shim_kprintf_last, why);
    if (result == 0)
        ext2_unmount(fs);
    block_file_close(dev);
}

TEST(ext2_mount_refuses_bad_superblocks)
{
    refused(patched(SB(s_magic), 0xef54, 2), -EINVAL, "no ext2 magic (0xef54");
    refused(patched(SB(s_rev_level), 2, 4), -EINVAL, "revision 2");
    refused(patched(SB(s_log_block_size), 3, 4), -EINVAL, "block size 1024 << 3");
    refused(patched(SB(s_first_data_block), 0, 4), -EINVAL, "first data block 0");
    refused(patched(SB(s_blocks_count), 1u << 30, 4), -EINVAL, "do not fit on a device of");
    refused(patched(SB(s_inodes_count), 1025, 4), -EINVAL, "1025 inodes, but");
    refused(patched(SB(s_feature_incompat), 0x42, 4), -EINVAL, "incompatible features 0x40");
    refused(patched(SB(s_inode_size), 100, 2), -EINVAL, "inode size 100");
    refused(patched(SB(s_blocks_per_group), 0, 4), -EINVAL, "0 blocks per group");
    refused(patched(SB(s_inodes_per_group), 0, 4), -EINVAL, "0 inodes per group");
    refused(patched(SB(s_first_ino), 3, 4), -EINVAL, "first inode 3");
    refused(patched(SB(s_free_blocks_count), 1u << 31, 4), -EINVAL, "free counts");
}

TEST(ext2_mount_refuses_bad_group_descriptors)
{
    refused(patched(GD0(bg_block_bitmap), 0, 4), -EINVAL, "group 0: block bitmap at block 0");
    refused(patched(GD0(bg_inode_bitmap), 5000, 4), -EINVAL, "group 0: inode bitmap at block 5000");
    refused(patched(GD0(bg_inode_table), 8190, 4), -EINVAL, "group 0: inode table at blocks 8190");
    refused(patched(GD0(bg_free_blocks_count), 9000, 2), -EINVAL,
            "group 0: counts free blocks 9000");
}

TEST(ext2_mount_refuses_a_root_that_is_not_a_directory)
{
    /* Inode 2 is the second inode of the table; read where the table is. */
    struct ext2_fs *fs = ext2_open_image(pristine(), "vdc");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint64_t root = (uint64_t)fs->groups[0].bg_inode_table * 1024 + fs->inode_size;
    CHECK_EQ(ext2_close_image(fs), 0);
    refused(patched(root + offsetof(struct ext2_inode, i_mode), EXT2_S_IFREG | 0644, 2), -EINVAL,
            "the root (inode 2) is not a directory");
}

/* An unknown read-only-compatible feature: mounted, but every change is -EROFS. */
TEST(ext2_mount_read_only_for_unknown_ro_compat_features)
{
    const char *image = patched(SB(s_feature_ro_compat), 0x3 | 0x8, 4);
    struct block_device *dev = block_file_open(image, "vdc");
    struct ext2_fs *fs = NULL;
    CHECK_EQ(ext2_mount(dev, &fs), 0);
    CHECK(ext2_text_contains(shim_kprintf_last, "read-only features 0x8"), "message: %s",
          shim_kprintf_last);
    uint32_t ino;
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "x", 1, 0644, &ino), -EROFS);
    CHECK_EQ(ext2_mkdir(fs, EXT2_ROOT_INO, "x", 1, 0755, &ino), -EROFS);
    CHECK_EQ(ext2_lookup(fs, EXT2_ROOT_INO, "lost+found", 10, &ino), 0);
    CHECK_EQ(ext2_unmount(fs), 0);
    block_file_close(dev);
}

/* A read-only disk (QEMU's readonly=on): mounted read-only, every change -EROFS,
 * and not one byte written, not even the superblock's mount count at mount and
 * its clean state at unmount. */
TEST(ext2_mount_read_only_on_a_read_only_device)
{
    char image[256];
    snprintf(image, sizeof image, "%s/ro.img", ext2_scratch());
    ext2_sh("cp '%s' '%s'", pristine(), image);
    struct block_device *dev = block_file_open(image, "vdc");
    block_file_set_read_only(dev, true);
    struct ext2_fs *fs = NULL;
    CHECK_EQ(ext2_mount(dev, &fs), 0);
    CHECK(ext2_text_contains(shim_kprintf_last, "the device is read-only"), "message: %s",
          shim_kprintf_last);
    uint32_t ino;
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "x", 1, 0644, &ino), -EROFS);
    CHECK_EQ(ext2_lookup(fs, EXT2_ROOT_INO, "lost+found", 10, &ino), 0);
    CHECK_EQ(ext2_rmdir(fs, EXT2_ROOT_INO, "lost+found", 10), -EROFS);
    CHECK_EQ(ext2_sync(fs), 0);
    CHECK_EQ(ext2_unmount(fs), 0);
    CHECK_EQ(block_stats(dev).sectors_written, 0);
    block_file_close(dev);
    CHECK_EQ(ext2_sh("cmp -s '%s' '%s'", pristine(), image), 0);
}

TEST(ext2_mount_refuses_ext4)
{
    char image[256];
    snprintf(image, sizeof image, "%s/ext4.img", ext2_scratch());
    CHECK_EQ(ext2_sh("mke2fs -q -F -t ext4 '%s' 4096k >/dev/null 2>&1", image), 0);
    refused(image, -EINVAL, "incompatible features");
}

TEST(ext2_mount_refuses_a_short_device)
{
    char image[256];
    snprintf(image, sizeof image, "%s/short.img", ext2_scratch());
    ext2_sh("head -c 1000000 '%s' > '%s'", pristine(), image);
    refused(image, -EINVAL, "4096 blocks of 1024 bytes do not fit on a device of 999936");
}
