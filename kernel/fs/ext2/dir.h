/*
 * dir.h — directories: files whose blocks hold chains of entries (ext2.h's struct
 * ext2_dir_entry: inode, rec_len, name_len, file_type, name). rec_len leads to the
 * next entry; an entry may be longer than its name needs, and that slack is where
 * new names go:
 *
 *   | 2 "." 12 | 2 ".." 12 | 12 "notes.txt" 20 | 0 (unused) 980 ................ |
 *
 * Every function takes the directory's inode number and the caller's copy of its
 * inode; functions that change the directory update that copy (size, blocks,
 * mtime, ctime) and the caller writes it back. Every block is checked when read:
 * an entry that runs past its block or is shorter than its name gives -EIO.
 */
#ifndef KERNEL_FS_EXT2_DIR_H
#define KERNEL_FS_EXT2_DIR_H

#include <stdint.h>

#include "kernel/fs/ext2/ext2.h"

struct ext2_fs;

/* Called for each entry by ext2_dir_iterate: d_type is a DT_* value of getdents64
 * (DT_UNKNOWN without the filetype feature); next is the position after the entry.
 * Return 0 to go on, anything else to stop before this entry. */
typedef int (*ext2_dir_emit_fn)(void *ctx, const char *name, uint32_t name_len, uint32_t ino,
                                uint8_t d_type, uint64_t next);

#define EXT2_DT_UNKNOWN 0

/* The inode named name (len bytes, no NUL needed) in dir. 0 and *ino, -ENOENT,
 * -ENOTDIR, -ENAMETOOLONG, -EIO. */
int ext2_dir_lookup(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir,
                    const char *name, uint32_t len, uint32_t *ino);

/* Emit the entries from position *pos (a byte offset in the directory, 0 at the
 * start) until the end or until emit says stop; *pos is left where to resume.
 * 0, -ENOTDIR, -EIO. */
int ext2_dir_iterate(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir,
                     uint64_t *pos, ext2_dir_emit_fn emit, void *ctx);

/* Add the entry name -> ino (file_type: EXT2_FT_*): into an unused entry or the slack
 * of one that fits, else in a new block. The caller has checked the name is absent.
 * 0, -ENOSPC, -ENAMETOOLONG, -EIO. */
int ext2_dir_add(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, const char *name,
                 uint32_t len, uint32_t ino, uint8_t file_type);

/* Remove the entry name (its record joins the one before it). 0, -ENOENT, -EIO. */
int ext2_dir_remove(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, const char *name,
                    uint32_t len);

/* Point the existing entry name at ino (rename over a target, a moved directory's
 * ".."). 0, -ENOENT, -EIO. */
int ext2_dir_set(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, const char *name,
                 uint32_t len, uint32_t ino, uint8_t file_type);

/* 1 if dir has no entries but "." and "..", 0 if it has, or -EIO. */
int ext2_dir_is_empty(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir);

/* Give the new, empty directory dir_ino its first block, holding "." and ".." (-> parent).
 * 0, -ENOSPC, -EIO. */
int ext2_dir_init(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, uint32_t parent);

#endif
