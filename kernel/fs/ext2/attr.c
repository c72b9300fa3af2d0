/*
 * attr.c — chmod, chown and utimensat on ext2 inodes (attr.h).
 */
#include "kernel/fs/ext2/attr.h"

#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/super.h"

#define PERMISSION_BITS 07777
#define SET_UID_BIT     04000
#define SET_GID_BIT     02000
#define GROUP_EXEC_BIT  00010

/* Linux's i_osd2: bytes 4-5 and 6-7 hold the high 16 bits of the owner and group. */
#define OSD2_UID_HIGH 4
#define OSD2_GID_HIGH 6

static uint32_t osd2_half(const struct ext2_inode *inode, int at)
{
    return (uint32_t)inode->i_osd2[at] | (uint32_t)inode->i_osd2[at + 1] << 8;
}

static void set_osd2_half(struct ext2_inode *inode, int at, uint32_t value)
{
    inode->i_osd2[at] = (uint8_t)value;
    inode->i_osd2[at + 1] = (uint8_t)(value >> 8);
}

uint32_t ext2_inode_uid(const struct ext2_inode *inode)
{
    return inode->i_uid | osd2_half(inode, OSD2_UID_HIGH) << 16;
}

uint32_t ext2_inode_gid(const struct ext2_inode *inode)
{
    return inode->i_gid | osd2_half(inode, OSD2_GID_HIGH) << 16;
}

/* chown's part: the new ids, and the set-ID bits a change of owner clears (so that
 * giving a program away does not hand over the old owner's rights). */
static void change_owner(struct ext2_inode *inode, uint32_t uid, uint32_t gid)
{
    if (uid != EXT2_KEEP_ID) {
        inode->i_uid = (uint16_t)uid;
        set_osd2_half(inode, OSD2_UID_HIGH, uid >> 16);
    }
    if (gid != EXT2_KEEP_ID) {
        inode->i_gid = (uint16_t)gid;
        set_osd2_half(inode, OSD2_GID_HIGH, gid >> 16);
    }
    if (ext2_inode_is_dir(inode))
        return; /* (even chown(path, -1, -1) clears them, as on Linux) */
    inode->i_mode &= ~SET_UID_BIT;
    if (inode->i_mode & GROUP_EXEC_BIT)
        inode->i_mode &= ~SET_GID_BIT;
}

int ext2_set_attributes(struct ext2_fs *fs, uint32_t ino, const struct ext2_attr_change *change,
                        uint16_t *mode)
{
    if (fs->read_only)
        return -EROFS;
    struct ext2_inode inode;
    int err = ext2_inode_read_open(fs, ino, &inode);
    if (err != 0)
        return err;
    if (change->set_mode)
        inode.i_mode = (inode.i_mode & ~PERMISSION_BITS) | (change->mode & PERMISSION_BITS);
    if (change->set_owner)
        change_owner(&inode, change->uid, change->gid);
    if (change->set_atime)
        inode.i_atime = change->atime;
    if (change->set_mtime)
        inode.i_mtime = change->mtime;
    inode.i_ctime = ext2_now();
    *mode = inode.i_mode;
    return ext2_inode_write(fs, ino, &inode);
}
