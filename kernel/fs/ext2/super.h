/*
 * super.h — a mounted ext2 file system: the superblock and group descriptors held
 * in memory, mount (read and check them), sync (write everything back), unmount.
 *
 * The ext2 core is a library over the block device and the buffer cache; the VFS
 * wraps it. Its calls are not re-entrant: the caller serialises them (one lock per
 * file system), since a call may sleep in the block layer.
 */
#ifndef KERNEL_FS_EXT2_SUPER_H
#define KERNEL_FS_EXT2_SUPER_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/fs/ext2/ext2.h"

struct block_device;
struct buffer_cache;

/* Buffers in each mount's metadata cache. */
#define EXT2_CACHE_BUFFERS 128

struct ext2_fs {
    struct block_device *dev;
    struct buffer_cache *cache;
    struct ext2_superblock sb;      /* the primary superblock, written back by sync */
    struct ext2_group_desc *groups; /* group_count of them, gdt_blocks blocks' worth */
    uint32_t block_size;            /* 1024, 2048 or 4096 */
    uint32_t sectors_per_block;
    uint32_t pointers_per_block; /* block numbers in an indirect block */
    uint32_t group_count;
    uint32_t gdt_blocks;          /* blocks of the group descriptor table */
    uint32_t reserved_gdt_blocks; /* kept after it in each copy, for resizing */
    uint32_t inode_size;
    uint32_t inodes_per_block;
    uint32_t inode_table_blocks; /* per group */
    uint32_t first_ino;          /* first inode for ordinary files */
    uint64_t max_file_size;      /* bytes the block map can address */
    bool read_only;              /* nothing is written: read_only_device, or an unknown
                                  * read-only-compatible feature */
    bool read_only_device;       /* the disk refuses writes (block_read_only) */
    bool has_filetype;           /* directory entries carry a file type */
    bool was_clean;              /* s_state said valid at mount */
    bool super_dirty;
    bool groups_dirty;
    uint8_t *bounce; /* one block for partial reads and writes of file data */
    /* Set by the VFS: is inode ino still open? Unlinking the last name of an open
     * inode keeps its blocks until ext2_evict. NULL: nothing is ever open. */
    bool (*inode_is_open)(void *ctx, uint32_t ino);
    void *inode_is_open_ctx;
};

/* Read and check the superblock and group descriptors of dev. 0 and *out, or
 * -EINVAL (not an ext2 we can mount: one line says why), -EIO, -ENOMEM. */
int ext2_mount(struct block_device *dev, struct ext2_fs **out);

/* Write the dirty metadata, the group descriptors and the superblock, then flush
 * the device. 0 or -EIO. */
int ext2_sync(struct ext2_fs *fs);

/* Mark the file system clean, sync and free fs (even if the sync failed). 0 or -EIO. */
int ext2_unmount(struct ext2_fs *fs);

/* Seconds since 1970, for timestamps. */
uint32_t ext2_now(void);

/* One kernel log line "ext2 DEV: message" about a corrupted disk or an I/O error;
 * returns -EIO so callers can write `return ext2_corrupt(fs, ...)`. */
int ext2_corrupt(const struct ext2_fs *fs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
