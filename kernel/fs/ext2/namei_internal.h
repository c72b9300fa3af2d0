/*
 * namei_internal.h — steps namei.c, rename.c and symlink.c share; not for the VFS.
 */
#ifndef KERNEL_FS_EXT2_NAMEI_INTERNAL_H
#define KERNEL_FS_EXT2_NAMEI_INTERNAL_H

#include <stdint.h>

#include "kernel/fs/ext2/ext2.h"

struct ext2_fs;

/* Read inode ino, which must be a directory in use. 0, -ENOTDIR, -EIO. */
int ext2_load_dir(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *dir);

/* Take `links` links off inode ino (*inode its copy) and write it; at 0 links and
 * not open, evict it. 0, -EIO. */
int ext2_drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint16_t links);

/* The checks before a name is added to dir: writable, dir a directory, name free.
 * 0 (and *inode, dir's copy, loaded), -EROFS, -ENOTDIR, -EEXIST, -ENAMETOOLONG, -EIO. */
int ext2_prepare_new_name(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *inode,
                          const char *name, uint32_t len);

/* A fresh in-memory inode of the given mode and link count, times now. */
struct ext2_inode ext2_new_inode(uint16_t mode, uint16_t links);

/* Undo a new inode after a later step failed: free its blocks, mark it deleted, free it. */
void ext2_discard_new(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode);

#endif
