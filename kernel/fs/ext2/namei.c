/*
 * namei.c — create, mkdir, link, unlink, rmdir and eviction (namei.h); rename is in
 * rename.c. Each operation checks everything that can fail before it changes the
 * disk, or undoes what it did (a new inode is freed again) when a later step fails.
 */
#include "kernel/fs/ext2/namei.h"

#include <stdbool.h>

#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/attr.h"
#include "kernel/fs/ext2/balloc.h"
#include "kernel/fs/ext2/bmap.h"
#include "kernel/fs/ext2/dir.h"
#include "kernel/fs/ext2/ialloc.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/namei_internal.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"

#define PERMISSION_BITS 07777

int ext2_load_dir(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *dir)
{
    int err = ext2_inode_read_live(fs, ino, dir);
    if (err != 0)
        return err;
    return ext2_inode_is_dir(dir) ? 0 : -ENOTDIR;
}

int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st)
{
    struct ext2_inode inode;
    int err = ext2_inode_read_open(fs, ino, &inode);
    if (err != 0)
        return err;
    *st = (struct ext2_stat){
        .ino = ino,
        .mode = inode.i_mode,
        .nlink = inode.i_links_count,
        .uid = ext2_inode_uid(&inode),
        .gid = ext2_inode_gid(&inode),
        .size = ext2_inode_size(&inode),
        .blocks = inode.i_blocks,
        .atime = inode.i_atime,
        .mtime = inode.i_mtime,
        .ctime = inode.i_ctime,
    };
    return 0;
}

int ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len, uint32_t *ino)
{
    struct ext2_inode inode;
    int err = ext2_load_dir(fs, dir, &inode);
    return err != 0 ? err : ext2_dir_lookup(fs, dir, &inode, name, len, ino);
}

int ext2_prepare_new_name(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *inode,
                          const char *name, uint32_t len)
{
    if (fs->read_only)
        return -EROFS;
    int err = ext2_load_dir(fs, dir, inode);
    if (err != 0)
        return err;
    uint32_t existing;
    err = ext2_dir_lookup(fs, dir, inode, name, len, &existing);
    if (err == 0)
        return -EEXIST;
    return err == -ENOENT ? 0 : err;
}

struct ext2_inode ext2_new_inode(uint16_t mode, uint16_t links)
{
    uint32_t now = ext2_now();
    return (struct ext2_inode){
        .i_mode = mode,
        .i_links_count = links,
        .i_atime = now,
        .i_ctime = now,
        .i_mtime = now,
    };
}

void ext2_discard_new(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode)
{
    if (ext2_inode_has_block_map(fs, inode)) /* a fast symlink's i_block[] is its target */
        ext2_bmap_truncate(fs, ino, inode, 0);
    inode->i_links_count = 0;
    inode->i_dtime = ext2_now();
    ext2_inode_write(fs, ino, inode);
    ext2_inode_free(fs, ino, ext2_inode_is_dir(inode));
}

int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len, uint16_t mode,
                uint32_t *ino)
{
    struct ext2_inode parent;
    int err = ext2_prepare_new_name(fs, dir, &parent, name, len);
    if (err != 0)
        return err;
    if ((mode & EXT2_S_IFMT) == 0)
        mode |= EXT2_S_IFREG;
    if ((mode & EXT2_S_IFMT) == EXT2_S_IFDIR || (mode & EXT2_S_IFMT) == EXT2_S_IFLNK)
        return -EINVAL; /* mkdir makes directories; symlinks are not made here */
    if ((err = ext2_inode_alloc(fs, dir, false, ino)) != 0)
        return err;
    struct ext2_inode inode = ext2_new_inode(mode, 1);
    err = ext2_inode_write_new(fs, *ino, &inode);
    if (err == 0)
        err = ext2_dir_add(fs, dir, &parent, name, len, *ino, ext2_file_type_of_mode(mode));
    if (err != 0) {
        ext2_discard_new(fs, *ino, &inode);
        return err;
    }
    return ext2_inode_write(fs, dir, &parent);
}

int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len, uint16_t mode,
               uint32_t *ino)
{
    struct ext2_inode parent;
    int err = ext2_prepare_new_name(fs, dir, &parent, name, len);
    if (err != 0)
        return err;
    if (parent.i_links_count >= EXT2_LINK_MAX)
        return -EMLINK;
    if ((err = ext2_inode_alloc(fs, dir, true, ino)) != 0)
        return err;
    struct ext2_inode inode = ext2_new_inode(EXT2_S_IFDIR | (mode & PERMISSION_BITS), 2);
    err = ext2_dir_init(fs, *ino, &inode, dir);
    if (err == 0)
        err = ext2_inode_write_new(fs, *ino, &inode);
    if (err == 0)
        err = ext2_dir_add(fs, dir, &parent, name, len, *ino, EXT2_FT_DIR);
    if (err != 0) {
        ext2_discard_new(fs, *ino, &inode);
        return err;
    }
    parent.i_links_count++; /* the new directory's ".." */
    return ext2_inode_write(fs, dir, &parent);
}

int ext2_link(struct ext2_fs *fs, uint32_t ino, uint32_t dir, const char *name, uint32_t len)
{
    struct ext2_inode parent, inode;
    int err = ext2_prepare_new_name(fs, dir, &parent, name, len);
    if (err == 0)
        err = ext2_inode_read_live(fs, ino, &inode);
    if (err != 0)
        return err;
    if (ext2_inode_is_dir(&inode))
        return -EPERM;
    if (inode.i_links_count >= EXT2_LINK_MAX)
        return -EMLINK;
    err = ext2_dir_add(fs, dir, &parent, name, len, ino, ext2_file_type_of_mode(inode.i_mode));
    if (err != 0)
        return err;
    inode.i_links_count++;
    inode.i_ctime = ext2_now();
    err = ext2_inode_write(fs, ino, &inode);
    return err != 0 ? err : ext2_inode_write(fs, dir, &parent);
}

/* The inode goes away: drop its reference to its extended-attribute block; the
 * last reference frees the block. 0 or -EIO. */
static int release_xattr_block(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode)
{
    uint32_t block = inode->i_file_acl;
    if (block == 0)
        return 0;
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, block, &b) != 0)
        return ext2_corrupt(fs, "inode %u: cannot read attribute block %u", ino, block);
    struct ext2_xattr_header *header = (struct ext2_xattr_header *)b->data;
    uint32_t magic = header->h_magic, refs = header->h_refcount;
    if (magic == EXT2_XATTR_MAGIC && refs > 1) {
        header->h_refcount--;
        buffer_mark_dirty(b);
    }
    buffer_release(fs->cache, b);
    if (magic != EXT2_XATTR_MAGIC)
        return ext2_corrupt(fs, "inode %u: attribute block %u has magic 0x%x", ino, block, magic);
    inode->i_file_acl = 0;
    if (refs > 1)
        return 0;
    int err = ext2_block_free(fs, block);
    if (err == 0)
        ext2_inode_add_blocks(fs, inode, -1);
    return err;
}

int ext2_evict(struct ext2_fs *fs, uint32_t ino)
{
    struct ext2_inode inode;
    int err = ext2_inode_read(fs, ino, &inode);
    if (err != 0 || inode.i_links_count != 0 || inode.i_dtime != 0)
        return err;
    bool has_block_map = ext2_inode_has_block_map(fs, &inode);
    err = release_xattr_block(fs, ino, &inode);
    if (err == 0 && has_block_map)
        err = ext2_bmap_truncate(fs, ino, &inode, 0);
    inode.i_dtime = ext2_now();
    int write_err = ext2_inode_write(fs, ino, &inode);
    if (err == 0)
        err = write_err;
    if (err == 0)
        err = ext2_inode_free(fs, ino, ext2_inode_is_dir(&inode));
    return err;
}

int ext2_drop_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint16_t links)
{
    inode->i_links_count = inode->i_links_count > links ? inode->i_links_count - links : 0;
    inode->i_ctime = ext2_now();
    int err = ext2_inode_write(fs, ino, inode);
    if (err != 0 || inode->i_links_count != 0)
        return err;
    if (fs->inode_is_open != NULL && fs->inode_is_open(fs->inode_is_open_ctx, ino))
        return 0; /* the last close evicts it */
    return ext2_evict(fs, ino);
}

/* Load the entry name of dir for removal: 0 and *ino, *inode; the errors of lookup. */
static int load_victim(struct ext2_fs *fs, uint32_t dir, struct ext2_inode *parent,
                       const char *name, uint32_t len, uint32_t *ino, struct ext2_inode *inode)
{
    if (fs->read_only)
        return -EROFS;
    int err = ext2_load_dir(fs, dir, parent);
    if (err == 0)
        err = ext2_dir_lookup(fs, dir, parent, name, len, ino);
    if (err == 0)
        err = ext2_inode_read_live(fs, *ino, inode);
    return err;
}

int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len)
{
    struct ext2_inode parent, inode;
    uint32_t ino;
    int err = load_victim(fs, dir, &parent, name, len, &ino, &inode);
    if (err != 0)
        return err;
    if (ext2_inode_is_dir(&inode))
        return -EISDIR;
    if ((err = ext2_dir_remove(fs, dir, &parent, name, len)) != 0)
        return err;
    if ((err = ext2_inode_write(fs, dir, &parent)) != 0)
        return err;
    return ext2_drop_link(fs, ino, &inode, 1);
}

int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, uint32_t len)
{
    if (len == 1 && name[0] == '.')
        return -EINVAL;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return -ENOTEMPTY;
    struct ext2_inode parent, inode;
    uint32_t ino;
    int err = load_victim(fs, dir, &parent, name, len, &ino, &inode);
    if (err != 0)
        return err;
    if (!ext2_inode_is_dir(&inode))
        return -ENOTDIR;
    int empty = ext2_dir_is_empty(fs, ino, &inode);
    if (empty <= 0)
        return empty < 0 ? empty : -ENOTEMPTY;
    if ((err = ext2_dir_remove(fs, dir, &parent, name, len)) != 0)
        return err;
    parent.i_links_count--; /* the removed directory's ".." */
    if ((err = ext2_inode_write(fs, dir, &parent)) != 0)
        return err;
    return ext2_drop_link(fs, ino, &inode, inode.i_links_count);
}
