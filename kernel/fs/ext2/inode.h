/*
 * inode.h — inodes by number: inode N lives in group (N-1) / inodes_per_group, at
 * index (N-1) % inodes_per_group of that group's inode table. Reading one checks it
 * before anyone trusts it; the helpers answer what kind of file it is.
 */
#ifndef KERNEL_FS_EXT2_INODE_H
#define KERNEL_FS_EXT2_INODE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/fs/ext2/ext2.h"

struct ext2_fs;

/* Is this inode in use: linked, or not yet deleted (a mode, no i_dtime: a file
 * unlinked while open)? A free inode has neither. */
bool ext2_inode_in_use(const struct ext2_inode *inode);

/* Copy inode ino into *out. 0, or -EIO: ino outside 1..s_inodes_count, the read
 * failed, or the inode is in use (see ext2_inode_read_open) but its type, size or block numbers
 * are impossible (one log line says which). */
int ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out);

/* Write *in as inode ino (the first 128 bytes; larger inodes keep the rest). 0, -EIO. */
int ext2_inode_write(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);

/* Write a new inode: *in, and zeros in the rest of a larger inode's slot. 0, -EIO. */
int ext2_inode_write_new(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);

/* ext2_inode_read, but the inode must be in use (reached through a directory entry):
 * a free one is corruption, -EIO. */
int ext2_inode_read_live(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out);

/* ext2_inode_read for file I/O on an inode the VFS holds: in use, or unlinked while
 * open (no links, but not deleted: i_dtime 0). A free inode is -EIO. */
int ext2_inode_read_open(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out);

static inline bool ext2_inode_is_dir(const struct ext2_inode *inode)
{
    return (inode->i_mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static inline bool ext2_inode_is_reg(const struct ext2_inode *inode)
{
    return (inode->i_mode & EXT2_S_IFMT) == EXT2_S_IFREG;
}

/* Does i_block[] hold block numbers? Files, directories and long symlinks: yes;
 * a short ("fast") symlink keeps its target there, a device its number. */
bool ext2_inode_has_block_map(const struct ext2_fs *fs, const struct ext2_inode *inode);

uint64_t ext2_inode_size(const struct ext2_inode *inode);
/* Set the size; may turn on the large_file feature (sizes of 2 GiB and up). */
void ext2_inode_set_size(struct ext2_fs *fs, struct ext2_inode *inode, uint64_t size);

/* The directory-entry file type (EXT2_FT_*) of a mode. */
uint8_t ext2_file_type_of_mode(uint16_t mode);

/* i_blocks counts 512-byte sectors: add (or remove, negative) `blocks` blocks. */
void ext2_inode_add_blocks(const struct ext2_fs *fs, struct ext2_inode *inode, int64_t blocks);

#endif
