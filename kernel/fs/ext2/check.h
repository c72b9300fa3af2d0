/*
 * check.h — what mount checks before trusting a disk: the superblock's numbers
 * against each other and the device size, and each group descriptor's bitmaps and
 * inode table against its group. Each refusal is one log line
 * "ext2 DEV: refusing to mount: why (the values)".
 */
#ifndef KERNEL_FS_EXT2_CHECK_H
#define KERNEL_FS_EXT2_CHECK_H

#include <stdint.h>

#include "kernel/fs/ext2/ext2.h"

struct ext2_fs;

/* 0 if sb describes an ext2 this code can mount on a device of device_bytes; else
 * -EINVAL and the log line. */
int ext2_check_superblock(const struct ext2_superblock *sb, uint64_t device_bytes,
                          const char *device);

/* 0 if every group descriptor of fs points inside its own group and its counts fit;
 * else -EINVAL and the log line. */
int ext2_check_groups(const struct ext2_fs *fs);

#endif
