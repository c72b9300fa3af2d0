/*
 * dir.c — directory entries (dir.h): lookup, iterate, add, remove, replace.
 */
#include "kernel/fs/ext2/dir.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/bmap.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"

#define ENTRY_HEADER 8 /* inode, rec_len, name_len, file_type */
#define NO_ENTRY     UINT32_MAX

/* getdents64's d_type for each EXT2_FT_* (Linux's DT_* values). */
static const uint8_t dt_of_file_type[EXT2_FT_MAX] = {
    [EXT2_FT_UNKNOWN] = 0, [EXT2_FT_REG_FILE] = 8, [EXT2_FT_DIR] = 4,   [EXT2_FT_CHRDEV] = 2,
    [EXT2_FT_BLKDEV] = 6,  [EXT2_FT_FIFO] = 1,     [EXT2_FT_SOCK] = 12, [EXT2_FT_SYMLINK] = 10,
};

/* A directory block held from the cache, and an entry in it. */
struct dir_place {
    struct buffer *b;
    uint32_t offset;      /* of the entry */
    uint32_t prev_offset; /* of the entry before it in the block, or NO_ENTRY */
};

static struct ext2_dir_entry *entry_at(const struct buffer *b, uint32_t offset)
{
    return (struct ext2_dir_entry *)(b->data + offset);
}

/* Check every entry of a directory block: it fits in the block, is at least as long
 * as its name, is 4-aligned, and names an inode that exists. 0 or -EIO. */
static int check_block(struct ext2_fs *fs, uint32_t dir_ino, uint64_t index, const uint8_t *data)
{
    uint32_t offset = 0;
    while (offset < fs->block_size) {
        const struct ext2_dir_entry *e = (const struct ext2_dir_entry *)(data + offset);
        uint32_t left = fs->block_size - offset;
        if (left < ENTRY_HEADER || e->rec_len < ENTRY_HEADER || e->rec_len % 4 != 0 ||
            e->rec_len > left || EXT2_DIR_REC_LEN(e->name_len) > e->rec_len ||
            e->inode > fs->sb.s_inodes_count || (!fs->has_filetype && e->file_type != 0))
            return ext2_corrupt(
                fs,
                "directory %u block %lu: bad entry at offset %u (inode %u, "
                "rec_len %u, name_len %u)",
                dir_ino, (unsigned long)index, offset, left < ENTRY_HEADER ? 0 : e->inode,
                left < ENTRY_HEADER ? 0 : e->rec_len, left < ENTRY_HEADER ? 0 : e->name_len);
        offset += e->rec_len;
    }
    return 0;
}

/* Block `index` of the directory, held and checked. 0 and *out, -EIO. */
static int get_block(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir,
                     uint64_t index, struct buffer **out)
{
    uint32_t block;
    int err = ext2_bmap_lookup(fs, dir_ino, dir, index, &block);
    if (err != 0)
        return err == -EFBIG ? -EIO : err;
    if (block == 0)
        return ext2_corrupt(fs, "directory %u: hole at block %lu", dir_ino, (unsigned long)index);
    if (buffer_get(fs->cache, fs->dev, block, out) != 0)
        return ext2_corrupt(fs, "directory %u: cannot read block %u", dir_ino, block);
    err = check_block(fs, dir_ino, index, (*out)->data);
    if (err != 0)
        buffer_release(fs->cache, *out);
    return err;
}

static uint64_t block_count(const struct ext2_fs *fs, const struct ext2_inode *dir)
{
    return ext2_inode_size(dir) / fs->block_size;
}

/* Name checks shared by every call. 0, -ENOENT (empty), -ENAMETOOLONG, -ENOTDIR. */
static int check_call(const struct ext2_inode *dir, uint32_t len)
{
    if (!ext2_inode_is_dir(dir))
        return -ENOTDIR;
    if (len == 0)
        return -ENOENT;
    return len > EXT2_NAME_LEN ? -ENAMETOOLONG : 0;
}

static bool entry_is(const struct ext2_dir_entry *e, const char *name, uint32_t len)
{
    return e->inode != 0 && e->name_len == len && memcmp(e->name, name, len) == 0;
}

/* Find the entry name: 0 and *place (its block held: the caller releases it), or
 * -ENOENT, -EIO. */
static int find(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir,
                const char *name, uint32_t len, struct dir_place *place)
{
    for (uint64_t index = 0; index < block_count(fs, dir); index++) {
        int err = get_block(fs, dir_ino, dir, index, &place->b);
        if (err != 0)
            return err;
        place->prev_offset = NO_ENTRY;
        for (uint32_t off = 0; off < fs->block_size; off += entry_at(place->b, off)->rec_len) {
            if (entry_is(entry_at(place->b, off), name, len)) {
                place->offset = off;
                return 0;
            }
            place->prev_offset = off;
        }
        buffer_release(fs->cache, place->b);
    }
    return -ENOENT;
}

int ext2_dir_lookup(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir,
                    const char *name, uint32_t len, uint32_t *ino)
{
    int err = check_call(dir, len);
    if (err != 0)
        return err;
    struct dir_place place;
    err = find(fs, dir_ino, dir, name, len, &place);
    if (err != 0)
        return err;
    *ino = entry_at(place.b, place.offset)->inode;
    buffer_release(fs->cache, place.b);
    return 0;
}

/* Emit the entries of one held block from byte `from` on. Returns 1 if emit asked
 * to stop (*pos then names the entry), else 0. */
static int emit_block(struct ext2_fs *fs, const struct buffer *b, uint64_t index, uint32_t from,
                      uint64_t *pos, ext2_dir_emit_fn emit, void *ctx)
{
    uint64_t base = index * fs->block_size;
    for (uint32_t off = 0; off < fs->block_size; off += entry_at(b, off)->rec_len) {
        const struct ext2_dir_entry *e = entry_at(b, off);
        if (off < from || e->inode == 0)
            continue;
        uint8_t type = fs->has_filetype && e->file_type < EXT2_FT_MAX
                           ? dt_of_file_type[e->file_type]
                           : EXT2_DT_UNKNOWN;
        if (emit(ctx, e->name, e->name_len, e->inode, type, base + off + e->rec_len) != 0) {
            *pos = base + off;
            return 1;
        }
    }
    return 0;
}

int ext2_dir_iterate(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir,
                     uint64_t *pos, ext2_dir_emit_fn emit, void *ctx)
{
    if (!ext2_inode_is_dir(dir))
        return -ENOTDIR;
    while (*pos < ext2_inode_size(dir)) {
        uint64_t index = *pos / fs->block_size;
        struct buffer *b;
        int err = get_block(fs, dir_ino, dir, index, &b);
        if (err != 0)
            return err;
        int stopped = emit_block(fs, b, index, *pos % fs->block_size, pos, emit, ctx);
        buffer_release(fs->cache, b);
        if (stopped)
            return 0;
        *pos = (index + 1) * fs->block_size;
    }
    return 0;
}

/* Fill the entry at offset of b (rec_len already set). */
static void fill_entry(struct ext2_fs *fs, struct buffer *b, uint32_t offset, const char *name,
                       uint32_t len, uint32_t ino, uint8_t file_type)
{
    struct ext2_dir_entry *e = entry_at(b, offset);
    e->inode = ino;
    e->name_len = (uint8_t)len;
    e->file_type = fs->has_filetype ? file_type : 0;
    memcpy(e->name, name, len);
    buffer_mark_dirty(b);
}

/* The directory changed: its times, and a hashed index (which we do not keep up to
 * date) is dropped so readers treat it as the plain list it also is. */
static void touch(struct ext2_inode *dir)
{
    dir->i_mtime = dir->i_ctime = ext2_now();
    dir->i_flags &= ~EXT2_INDEX_FL;
}

/* ASSIGNMENT(dir-add): find room for an entry in a block, splitting a record. */
/* Put the entry into the held block b if an entry there has room: an unused one,
 * or one whose rec_len exceeds what its name needs (split it). 1 if placed, else 0. */
static int place_in_block(struct ext2_fs *fs, struct buffer *b, const char *name, uint32_t len,
                          uint32_t ino, uint8_t file_type)
{
    uint32_t need = EXT2_DIR_REC_LEN(len);
    for (uint32_t off = 0; off < fs->block_size; off += entry_at(b, off)->rec_len) {
        struct ext2_dir_entry *e = entry_at(b, off);
        uint32_t used = e->inode != 0 ? EXT2_DIR_REC_LEN(e->name_len) : 0;
        if (e->rec_len - used < need)
            continue;
        if (used != 0) {
            entry_at(b, off + used)->rec_len = (uint16_t)(e->rec_len - used);
            e->rec_len = (uint16_t)used;
            off += used;
        }
        fill_entry(fs, b, off, name, len, ino, file_type);
        return 1;
    }
    return 0;
}

/* Append a block to the directory holding only the new entry. 0, -ENOSPC, -EIO. */
static int add_block(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, const char *name,
                     uint32_t len, uint32_t ino, uint8_t file_type)
{
    uint64_t index = block_count(fs, dir);
    uint32_t block;
    bool fresh;
    int err = ext2_bmap_allocate(fs, dir_ino, dir, index, &block, &fresh);
    if (err != 0)
        return err == -EFBIG ? -ENOSPC : err;
    struct buffer *b;
    if ((err = buffer_get_zeroed(fs->cache, fs->dev, block, &b)) != 0)
        return err;
    entry_at(b, 0)->rec_len = (uint16_t)fs->block_size;
    fill_entry(fs, b, 0, name, len, ino, file_type);
    buffer_release(fs->cache, b);
    ext2_inode_set_size(fs, dir, (index + 1) * fs->block_size);
    return 0;
}

int ext2_dir_add(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, const char *name,
                 uint32_t len, uint32_t ino, uint8_t file_type)
{
    int err = check_call(dir, len);
    if (err != 0)
        return err == -ENOENT ? -EINVAL : err;
    touch(dir);
    for (uint64_t index = 0; index < block_count(fs, dir); index++) {
        struct buffer *b;
        if ((err = get_block(fs, dir_ino, dir, index, &b)) != 0)
            return err;
        int placed = place_in_block(fs, b, name, len, ino, file_type);
        buffer_release(fs->cache, b);
        if (placed)
            return 0;
    }
    return add_block(fs, dir_ino, dir, name, len, ino, file_type);
}

int ext2_dir_remove(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, const char *name,
                    uint32_t len)
{
    int err = check_call(dir, len);
    struct dir_place place;
    if (err == 0)
        err = find(fs, dir_ino, dir, name, len, &place);
    if (err != 0)
        return err;
    struct ext2_dir_entry *e = entry_at(place.b, place.offset);
    if (place.prev_offset != NO_ENTRY)
        entry_at(place.b, place.prev_offset)->rec_len += e->rec_len;
    else
        e->inode = 0; /* the first entry of a block has no record before it to join */
    buffer_mark_dirty(place.b);
    buffer_release(fs->cache, place.b);
    touch(dir);
    return 0;
}

int ext2_dir_set(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, const char *name,
                 uint32_t len, uint32_t ino, uint8_t file_type)
{
    int err = check_call(dir, len);
    struct dir_place place;
    if (err == 0)
        err = find(fs, dir_ino, dir, name, len, &place);
    if (err != 0)
        return err;
    fill_entry(fs, place.b, place.offset, name, len, ino, file_type);
    buffer_release(fs->cache, place.b);
    touch(dir);
    return 0;
}

static bool is_dot_or_dotdot(const struct ext2_dir_entry *e)
{
    return (e->name_len == 1 && e->name[0] == '.') ||
           (e->name_len == 2 && e->name[0] == '.' && e->name[1] == '.');
}

int ext2_dir_is_empty(struct ext2_fs *fs, uint32_t dir_ino, const struct ext2_inode *dir)
{
    for (uint64_t index = 0; index < block_count(fs, dir); index++) {
        struct buffer *b;
        int err = get_block(fs, dir_ino, dir, index, &b);
        if (err != 0)
            return err;
        bool empty = true;
        for (uint32_t off = 0; off < fs->block_size && empty; off += entry_at(b, off)->rec_len) {
            const struct ext2_dir_entry *e = entry_at(b, off);
            empty = e->inode == 0 || is_dot_or_dotdot(e);
        }
        buffer_release(fs->cache, b);
        if (!empty)
            return 0;
    }
    return 1;
}

int ext2_dir_init(struct ext2_fs *fs, uint32_t dir_ino, struct ext2_inode *dir, uint32_t parent)
{
    uint32_t block;
    bool fresh;
    int err = ext2_bmap_allocate(fs, dir_ino, dir, 0, &block, &fresh);
    if (err != 0)
        return err;
    struct buffer *b;
    if ((err = buffer_get_zeroed(fs->cache, fs->dev, block, &b)) != 0)
        return err;
    uint32_t dot_len = EXT2_DIR_REC_LEN(1);
    entry_at(b, 0)->rec_len = (uint16_t)dot_len;
    fill_entry(fs, b, 0, ".", 1, dir_ino, EXT2_FT_DIR);
    entry_at(b, dot_len)->rec_len = (uint16_t)(fs->block_size - dot_len);
    fill_entry(fs, b, dot_len, "..", 2, parent, EXT2_FT_DIR);
    buffer_release(fs->cache, b);
    ext2_inode_set_size(fs, dir, fs->block_size);
    return 0;
}
