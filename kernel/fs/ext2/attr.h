/*
 * attr.h — an inode's attributes that are not its contents: permission bits,
 * owner and group, access and modification times (chmod, chown, utimensat).
 *
 * ext2 keeps them in the inode: i_mode's low 12 bits, i_uid/i_gid (16 bits, with
 * 16 more of each in the Linux-specific i_osd2), and times in whole seconds since
 * 1970 (no nanoseconds in 128-byte inodes). Any change sets i_ctime, the time the
 * inode last changed.
 */
#ifndef KERNEL_FS_EXT2_ATTR_H
#define KERNEL_FS_EXT2_ATTR_H

#include <stdbool.h>
#include <stdint.h>

struct ext2_fs;
struct ext2_inode;

#define EXT2_KEEP_ID 0xffffffffu /* chown's -1: leave the owner (or group) as it is */

/* What to change; each part only if its flag is set. */
struct ext2_attr_change {
    bool set_mode, set_owner, set_atime, set_mtime;
    uint16_t mode;         /* set_mode: the permission bits (07777); the type stays */
    uint32_t uid, gid;     /* set_owner: the new ids, or EXT2_KEEP_ID */
    uint32_t atime, mtime; /* seconds since 1970 */
};

/* Apply change to inode ino and set its ctime. A chown clears the set-user-ID bit
 * of a non-directory, and its set-group-ID bit when it is group executable (as
 * Linux does, for root too, even when both ids are -1). 0 and *mode (the inode's whole new
 * i_mode), or -EROFS, -EIO. */
int ext2_set_attributes(struct ext2_fs *fs, uint32_t ino, const struct ext2_attr_change *change,
                        uint16_t *mode);

/* The owner and group of an inode, high halves included. */
uint32_t ext2_inode_uid(const struct ext2_inode *inode);
uint32_t ext2_inode_gid(const struct ext2_inode *inode);

#endif
