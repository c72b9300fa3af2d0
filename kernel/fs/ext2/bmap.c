/*
 * bmap.c — walking and growing the block map (see the picture in bmap.h), and
 * cutting it back on truncate. Every block number read from an inode or an
 * indirect block is checked (ext2_block_check) before it is read or freed.
 */
#include "kernel/fs/ext2/bmap.h"

#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/balloc.h"
#include "kernel/fs/ext2/group.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"

#define MAX_DEPTH 4 /* i_block[] and up to three indirect blocks */

/* ASSIGNMENT(bmap): split a file block number into the path through i_block[] and
 * the indirect blocks (block_path), then walk it (ext2_bmap_lookup). */
/* The path to file block index: offsets[0] into i_block[], offsets[1..] into the
 * indirect blocks. Returns the path's length (1 direct .. 4 triple), or -EFBIG. */
static int block_path(const struct ext2_fs *fs, uint64_t index, uint32_t offsets[MAX_DEPTH])
{
    uint64_t p = fs->pointers_per_block;
    if (index < EXT2_NDIR_BLOCKS) {
        offsets[0] = (uint32_t)index;
        return 1;
    }
    index -= EXT2_NDIR_BLOCKS;
    if (index < p) {
        offsets[0] = EXT2_IND_BLOCK;
        offsets[1] = (uint32_t)index;
        return 2;
    }
    index -= p;
    if (index < p * p) {
        offsets[0] = EXT2_DIND_BLOCK;
        offsets[1] = (uint32_t)(index / p);
        offsets[2] = (uint32_t)(index % p);
        return 3;
    }
    index -= p * p;
    if (index < p * p * p) {
        offsets[0] = EXT2_TIND_BLOCK;
        offsets[1] = (uint32_t)(index / (p * p));
        offsets[2] = (uint32_t)(index / p % p);
        offsets[3] = (uint32_t)(index % p);
        return 4;
    }
    return -EFBIG;
}

/* Entry `slot` of indirect block `block`, checked. 0 and *entry (0: a hole), -EIO. */
static int read_entry(struct ext2_fs *fs, uint32_t ino, uint32_t block, uint32_t slot,
                      uint32_t *entry)
{
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, block, &b) != 0)
        return ext2_corrupt(fs, "inode %u: cannot read indirect block %u", ino, block);
    *entry = ((const uint32_t *)b->data)[slot];
    buffer_release(fs->cache, b);
    if (*entry != 0)
        return ext2_block_check(fs, *entry, "an indirect block", ino);
    return 0;
}

int ext2_bmap_lookup(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *inode,
                     uint64_t index, uint32_t *block)
{
    uint32_t offsets[MAX_DEPTH];
    int depth = block_path(fs, index, offsets);
    if (depth < 0)
        return depth;
    uint32_t current = inode->i_block[offsets[0]];
    if (current != 0 && ext2_block_check(fs, current, "i_block", ino) != 0)
        return -EIO;
    for (int level = 1; level < depth && current != 0; level++) {
        int err = read_entry(fs, ino, current, offsets[level], &current);
        if (err != 0)
            return err;
    }
    *block = current;
    return 0;
}

/* A new block near goal; an indirect one (not `data`) comes back zero-filled in
 * the cache. Counted in the inode's i_blocks. 0 and *out, -ENOSPC, -EIO. */
static int new_block(struct ext2_fs *fs, struct ext2_inode *inode, uint32_t goal, bool data,
                     uint32_t *out)
{
    int err = ext2_block_alloc(fs, goal, out);
    if (err != 0)
        return err;
    ext2_inode_add_blocks(fs, inode, 1);
    if (data)
        return 0;
    struct buffer *b;
    err = buffer_get_zeroed(fs->cache, fs->dev, *out, &b);
    if (err == 0)
        buffer_release(fs->cache, b);
    return err;
}

/* Where a new block of inode ino should go when nothing better is known: the
 * start of its group. */
static uint32_t home_goal(const struct ext2_fs *fs, uint32_t ino)
{
    uint32_t group = (ino - 1) / fs->sb.s_inodes_per_group;
    return fs->sb.s_first_data_block + group * fs->sb.s_blocks_per_group;
}

/* The first step: i_block[slot], allocated if missing (goal: the previous slot's
 * block + 1). 0 and *out, or an error. */
static int walk_inode_slot(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode,
                           uint32_t slot, bool data, uint32_t *out, bool *fresh)
{
    uint32_t current = inode->i_block[slot];
    if (current != 0) {
        *out = current;
        return ext2_block_check(fs, current, "i_block", ino);
    }
    uint32_t goal =
        slot > 0 && inode->i_block[slot - 1] ? inode->i_block[slot - 1] + 1 : home_goal(fs, ino);
    int err = new_block(fs, inode, goal, data, &current);
    if (err != 0)
        return err;
    inode->i_block[slot] = current;
    *fresh = data;
    *out = current;
    return 0;
}

/* One step down: entry `slot` of indirect block `block`, allocated if missing
 * (goal: the entry before it + 1, or the indirect block + 1). */
static int walk_indirect_slot(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode,
                              uint32_t block, uint32_t slot, bool data, uint32_t *out, bool *fresh)
{
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, block, &b) != 0)
        return ext2_corrupt(fs, "inode %u: cannot read indirect block %u", ino, block);
    uint32_t *entries = (uint32_t *)b->data;
    uint32_t current = entries[slot];
    int err = 0;
    if (current != 0) {
        err = ext2_block_check(fs, current, "an indirect block", ino);
    } else {
        uint32_t goal = slot > 0 && entries[slot - 1] ? entries[slot - 1] + 1 : block + 1;
        err = new_block(fs, inode, goal, data, &current);
        if (err == 0) {
            entries[slot] = current;
            buffer_mark_dirty(b);
            *fresh = data;
        }
    }
    buffer_release(fs->cache, b);
    *out = current;
    return err;
}

int ext2_bmap_allocate(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint64_t index,
                       uint32_t *block, bool *fresh)
{
    uint32_t offsets[MAX_DEPTH];
    int depth = block_path(fs, index, offsets);
    if (depth < 0)
        return depth;
    *fresh = false;
    uint32_t current;
    int err = walk_inode_slot(fs, ino, inode, offsets[0], depth == 1, &current, fresh);
    for (int level = 1; level < depth && err == 0; level++)
        err = walk_indirect_slot(fs, ino, inode, current, offsets[level], level == depth - 1,
                                 &current, fresh);
    if (err == 0)
        *block = current;
    return err;
}

/* File blocks under one block of `level` levels of indirection (0: a data block). */
static uint64_t span_of(const struct ext2_fs *fs, int level)
{
    uint64_t span = 1;
    while (level-- > 0)
        span *= fs->pointers_per_block;
    return span;
}

/* ASSIGNMENT(truncate): free a subtree of the block map from a cut point on. */
/* Cut the subtree at *slot, which maps file blocks [base, base + its span): free
 * the blocks mapping indexes >= keep, and the subtree's own block when all of it
 * goes (then *slot = 0). above[0..depth) are the indirect blocks on the way down.
 * 0 or -EIO. */
static int trim(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint32_t *slot,
                int level, uint64_t base, uint64_t keep, const uint32_t *above, int depth)
{
    if (*slot == 0 || base + span_of(fs, level) <= keep)
        return 0;
    if (ext2_block_check(fs, *slot, "a block to free", ino) != 0)
        return -EIO;
    /* A corrupt map may point back at an indirect block on the way down (held now). */
    for (int i = 0; i < depth; i++)
        if (above[i] == *slot)
            return ext2_corrupt(fs, "inode %u: indirect block %u points back at itself", ino,
                                *slot);
    if (level > 0) {
        struct buffer *b;
        if (buffer_get(fs->cache, fs->dev, *slot, &b) != 0)
            return ext2_corrupt(fs, "inode %u: cannot read indirect block %u", ino, *slot);
        uint32_t *entries = (uint32_t *)b->data;
        uint64_t child_span = span_of(fs, level - 1);
        uint32_t path[MAX_DEPTH];
        if (depth > 0)
            memcpy(path, above, depth * sizeof *above);
        path[depth] = *slot;
        int err = 0;
        for (uint32_t i = 0; i < fs->pointers_per_block && err == 0; i++) {
            uint32_t child = entries[i];
            err = trim(fs, ino, inode, &child, level - 1, base + i * child_span, keep, path,
                       depth + 1);
            if (child != entries[i]) {
                entries[i] = child;
                buffer_mark_dirty(b);
            }
        }
        buffer_release(fs->cache, b);
        if (err != 0)
            return err;
    }
    if (base < keep)
        return 0; /* part of the subtree stays, so its block does too */
    int err = ext2_block_free(fs, *slot);
    if (err != 0)
        return err;
    ext2_inode_add_blocks(fs, inode, -1);
    *slot = 0;
    return 0;
}

int ext2_bmap_truncate(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint64_t keep)
{
    uint64_t p = fs->pointers_per_block;
    int err = 0;
    for (uint32_t i = 0; i < EXT2_NDIR_BLOCKS && err == 0; i++)
        err = trim(fs, ino, inode, &inode->i_block[i], 0, i, keep, NULL, 0);
    uint64_t base = EXT2_NDIR_BLOCKS;
    if (err == 0)
        err = trim(fs, ino, inode, &inode->i_block[EXT2_IND_BLOCK], 1, base, keep, NULL, 0);
    base += p;
    if (err == 0)
        err = trim(fs, ino, inode, &inode->i_block[EXT2_DIND_BLOCK], 2, base, keep, NULL, 0);
    base += p * p;
    if (err == 0)
        err = trim(fs, ino, inode, &inode->i_block[EXT2_TIND_BLOCK], 3, base, keep, NULL, 0);
    return err;
}
