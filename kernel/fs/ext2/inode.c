/*
 * inode.c — reading, checking and writing inodes in the inode tables (inode.h).
 */
#include "kernel/fs/ext2/inode.h"

#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/group.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"

#define FAST_SYMLINK_MAX (EXT2_N_BLOCKS * 4) /* target bytes kept in i_block[] */

/* Where inode ino is: the block of the inode table and the byte offset in it. */
static int locate(struct ext2_fs *fs, uint32_t ino, uint32_t *block, uint32_t *offset)
{
    if (ino == 0 || ino > fs->sb.s_inodes_count)
        return ext2_corrupt(fs, "inode number %u outside 1..%u", ino, fs->sb.s_inodes_count);
    uint32_t group = (ino - 1) / fs->sb.s_inodes_per_group;
    uint32_t index = (ino - 1) % fs->sb.s_inodes_per_group;
    *block = fs->groups[group].bg_inode_table + index / fs->inodes_per_block;
    *offset = (index % fs->inodes_per_block) * fs->inode_size;
    return 0;
}

bool ext2_inode_has_block_map(const struct ext2_fs *fs, const struct ext2_inode *inode)
{
    switch (inode->i_mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG:
    case EXT2_S_IFDIR: return true;
    case EXT2_S_IFLNK: {
        /* Linux's test: a symlink using no blocks other than an attribute block is fast. */
        uint32_t attribute_sectors = inode->i_file_acl ? fs->block_size / 512 : 0;
        return inode->i_blocks != attribute_sectors;
    }
    default: return false;
    }
}

uint64_t ext2_inode_size(const struct ext2_inode *inode)
{
    uint64_t high = ext2_inode_is_reg(inode) ? inode->i_size_high : 0;
    return high << 32 | inode->i_size;
}

void ext2_inode_set_size(struct ext2_fs *fs, struct ext2_inode *inode, uint64_t size)
{
    inode->i_size = (uint32_t)size;
    if (!ext2_inode_is_reg(inode))
        return;
    inode->i_size_high = (uint32_t)(size >> 32);
    if (size >> 31 && !(fs->sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
        fs->sb.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
        fs->super_dirty = true;
    }
}

uint8_t ext2_file_type_of_mode(uint16_t mode)
{
    switch (mode & EXT2_S_IFMT) {
    case EXT2_S_IFREG: return EXT2_FT_REG_FILE;
    case EXT2_S_IFDIR: return EXT2_FT_DIR;
    case EXT2_S_IFCHR: return EXT2_FT_CHRDEV;
    case EXT2_S_IFBLK: return EXT2_FT_BLKDEV;
    case EXT2_S_IFIFO: return EXT2_FT_FIFO;
    case EXT2_S_IFSOCK: return EXT2_FT_SOCK;
    case EXT2_S_IFLNK: return EXT2_FT_SYMLINK;
    default: return EXT2_FT_UNKNOWN;
    }
}

void ext2_inode_add_blocks(const struct ext2_fs *fs, struct ext2_inode *inode, int64_t blocks)
{
    inode->i_blocks += (uint32_t)(blocks * (fs->block_size / 512));
}

/* In use: named somewhere, or unlinked while open (no links, not yet deleted). */
bool ext2_inode_in_use(const struct ext2_inode *inode)
{
    return inode->i_links_count > 0 || (inode->i_mode != 0 && inode->i_dtime == 0);
}

/* An inode in use must have a known type, a size its kind allows, and block
 * numbers inside the data area. 0 or -EIO with the reason logged. */
static int check(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *inode)
{
    if (!ext2_inode_in_use(inode))
        return 0; /* free: nothing in it is used */
    if (ext2_file_type_of_mode(inode->i_mode) == EXT2_FT_UNKNOWN)
        return ext2_corrupt(fs, "inode %u: mode 0%o has no file type", ino, inode->i_mode);
    uint64_t size = ext2_inode_size(inode);
    if (size > fs->max_file_size)
        return ext2_corrupt(fs, "inode %u: size %lu beyond the largest file", ino,
                            (unsigned long)size);
    if (ext2_inode_is_dir(inode) && size % fs->block_size != 0)
        return ext2_corrupt(fs, "inode %u: directory size %lu is not whole blocks", ino,
                            (unsigned long)size);
    if (inode->i_file_acl != 0 &&
        ext2_block_check(fs, inode->i_file_acl, "i_file_acl (attributes)", ino) != 0)
        return -EIO;
    if (!ext2_inode_has_block_map(fs, inode)) {
        if ((inode->i_mode & EXT2_S_IFMT) == EXT2_S_IFLNK && size >= FAST_SYMLINK_MAX)
            return ext2_corrupt(fs, "inode %u: short symlink of %lu bytes", ino,
                                (unsigned long)size);
        return 0;
    }
    for (int i = 0; i < EXT2_N_BLOCKS; i++)
        if (inode->i_block[i] != 0 && ext2_block_check(fs, inode->i_block[i], "i_block", ino) != 0)
            return -EIO;
    return 0;
}

int ext2_inode_read(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out)
{
    uint32_t block, offset;
    int err = locate(fs, ino, &block, &offset);
    if (err != 0)
        return err;
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, block, &b) != 0)
        return ext2_corrupt(fs, "inode %u: cannot read inode table block %u", ino, block);
    memcpy(out, b->data + offset, sizeof *out);
    buffer_release(fs->cache, b);
    return check(fs, ino, out);
}

int ext2_inode_read_live(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out)
{
    int err = ext2_inode_read(fs, ino, out);
    if (err == 0 && out->i_links_count == 0)
        return ext2_corrupt(fs, "inode %u: named in a directory but free", ino);
    return err;
}

/* Copy *in into inode ino's slot; with `fresh`, zero the rest of the slot too. */
static int store(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in, bool fresh)
{
    uint32_t block, offset;
    int err = locate(fs, ino, &block, &offset);
    if (err != 0)
        return err;
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, block, &b) != 0)
        return ext2_corrupt(fs, "inode %u: cannot read inode table block %u", ino, block);
    if (fresh)
        memset(b->data + offset, 0, fs->inode_size);
    memcpy(b->data + offset, in, sizeof *in);
    buffer_mark_dirty(b);
    buffer_release(fs->cache, b);
    return 0;
}

int ext2_inode_read_open(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *out)
{
    int err = ext2_inode_read(fs, ino, out);
    if (err == 0 && !ext2_inode_in_use(out))
        return ext2_corrupt(fs, "inode %u: used but free", ino);
    return err;
}

int ext2_inode_write(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
    return store(fs, ino, in, false);
}

int ext2_inode_write_new(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
    return store(fs, ino, in, true);
}
