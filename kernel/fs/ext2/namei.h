/*
 * namei.h — the namespace operations of ext2, in terms of directory inode numbers
 * and names (one component, len bytes, no '/'): what the VFS's system calls call
 * once they have walked the path to the last directory.
 *
 * Link counts: a file's i_links_count is the number of directory entries naming it;
 * a directory's is 2 (its entry in the parent, its own ".") plus one per
 * subdirectory (their ".."). When the count reaches 0 and no one has the inode open
 * (super.h's inode_is_open), its blocks and the inode itself are freed (evicted).
 * Errors are Linux's errno values, negated; on an error nothing has changed.
 */
#ifndef KERNEL_FS_EXT2_NAMEI_H
#define KERNEL_FS_EXT2_NAMEI_H

#include <stdint.h>

struct ext2_fs;

/* What stat reports about an inode. */
struct ext2_stat {
    uint32_t ino;
    uint16_t mode; /* type and permission bits, as Linux's st_mode */
    uint16_t nlink;
    uint32_t uid, gid;
    uint64_t size;
    uint64_t blocks; /* 512-byte sectors */
    uint32_t atime, mtime, ctime;
};

/* 0 and *st (nlink 0 for a file unlinked while open), or -EIO. */
int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st);

/* Look name up in directory dir. 0 and *ino, -ENOENT, -ENOTDIR, -ENAMETOOLONG, -EIO. */
int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len, uint32_t *ino);

/* A new empty inode named name in dir. mode: permission bits and a type (a regular
 * file when the type bits are 0; a fifo, socket or device holds no blocks).
 * 0 and *ino, -EEXIST, -ENOSPC, -ENOTDIR, -ENAMETOOLONG, -EROFS, -EIO. */
int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len, uint16_t mode,
                uint32_t *ino);

/* A new directory holding "." and "..". 0 and *ino, the errors of ext2_create, -EMLINK. */
int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len, uint16_t mode,
               uint32_t *ino);

/* Another name for inode ino. 0, -EPERM (a directory), -EMLINK, -EEXIST, -ENOSPC, ... */
int ext2_link(struct ext2_fs *fs, uint32_t ino, uint32_t dir, const char *name, uint32_t len);

/* Remove the name of a non-directory. 0, -ENOENT, -EISDIR, -ENOTDIR, -EROFS, -EIO. */
int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len);

/* Remove an empty directory. 0, -ENOENT, -ENOTDIR, -ENOTEMPTY, -EINVAL ("."), -EROFS, -EIO. */
int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len);

/* Free the blocks and the inode of ino if its link count is 0 (the VFS calls this
 * when the last open reference to an unlinked inode goes). 0, -EIO. */
int ext2_evict(struct ext2_fs *fs, uint32_t ino);

#endif
