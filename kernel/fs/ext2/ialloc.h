/*
 * ialloc.h — allocating and freeing inodes through the groups' inode bitmaps,
 * keeping the free-inode and directory counts exact.
 */
#ifndef KERNEL_FS_EXT2_IALLOC_H
#define KERNEL_FS_EXT2_IALLOC_H

#include <stdbool.h>
#include <stdint.h>

struct ext2_fs;

/* A free inode number, now marked in use (the caller writes the inode). A file
 * goes near its parent directory; a directory to the group with the most free
 * inodes, which spreads directories over the disk. 0 and *out, -ENOSPC, -EIO. */
int ext2_inode_alloc(struct ext2_fs *fs, uint32_t parent, bool is_dir, uint32_t *out);

/* Mark inode ino free. 0, or -EIO (reserved or already free: nothing changed). */
int ext2_inode_free(struct ext2_fs *fs, uint32_t ino, bool is_dir);

#endif
