/*
 * rename.h — moving a name, within a directory or to another one, possibly over
 * an existing name (which then loses its link, as with unlink or rmdir).
 */
#ifndef KERNEL_FS_EXT2_RENAME_H
#define KERNEL_FS_EXT2_RENAME_H

#include <stdint.h>

struct ext2_fs;

/* Rename old_dir/old_name to new_dir/new_name, as Linux's rename(2): 0 (also when
 * both names are links to the same inode: nothing happens), -ENOENT, -ENOTDIR
 * (a directory over a non-directory), -EISDIR (the reverse), -ENOTEMPTY (over a
 * non-empty directory), -EINVAL (a directory into itself or below, or "." / ".."),
 * -EMLINK, -ENOSPC, -EROFS, -EIO. A moved directory's ".." follows it. */
int ext2_rename(struct ext2_fs *fs, uint32_t old_dir, const char *old_name, uint32_t old_len,
                uint32_t new_dir, const char *new_name, uint32_t new_len);

#endif
