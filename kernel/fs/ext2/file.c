/*
 * file.c — reading and writing file data (file.h).
 */
#include "kernel/fs/ext2/file.h"

#include <stdbool.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2/bmap.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"

/* The most blocks one read request carries (256 KiB with 4 KiB blocks). */
#define MAX_RUN_BLOCKS 64

/* Read `blocks` disk blocks from `block` on into buf. 0 or -EIO. */
static int read_blocks(struct ext2_fs *fs, uint32_t block, uint32_t blocks, void *buf)
{
    if (block_read(fs->dev, (uint64_t)block * fs->sectors_per_block, blocks * fs->sectors_per_block,
                   buf) != 0)
        return ext2_corrupt(fs, "cannot read data block %u", block);
    return 0;
}

static int write_block(struct ext2_fs *fs, uint32_t block, const void *buf)
{
    if (block_write(fs->dev, (uint64_t)block * fs->sectors_per_block, fs->sectors_per_block, buf) !=
        0)
        return ext2_corrupt(fs, "cannot write data block %u", block);
    return 0;
}

/* How many of the file blocks from index on, at most `most`, lie one after the
 * other on the disk from `block` on (at least 1). */
static uint32_t contiguous_run(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *inode,
                               uint64_t index, uint32_t block, uint32_t most)
{
    uint32_t run = 1;
    while (run < most) {
        uint32_t next;
        if (ext2_bmap_lookup(fs, ino, inode, index + run, &next) != 0 || next != block + run)
            break;
        run++;
    }
    return run;
}

/* Read bytes [pos, pos + count) of the file, all inside the file, into out.
 * Returns the bytes read (whole blocks may come as a run) or -EIO. */
static int64_t read_piece(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *inode,
                          uint64_t pos, uint8_t *out, uint64_t count)
{
    uint64_t index = pos / fs->block_size;
    uint32_t in_block = pos % fs->block_size;
    uint64_t chunk = fs->block_size - in_block;
    chunk = chunk < count ? chunk : count;
    uint32_t block;
    int err = ext2_bmap_lookup(fs, ino, inode, index, &block);
    if (err != 0)
        return err;
    if (block == 0) {
        memset(out, 0, chunk); /* a hole */
        return (int64_t)chunk;
    }
    if (chunk == fs->block_size) {
        uint64_t whole = count / fs->block_size;
        uint32_t run = contiguous_run(fs, ino, inode, index, block,
                                      whole < MAX_RUN_BLOCKS ? (uint32_t)whole : MAX_RUN_BLOCKS);
        err = read_blocks(fs, block, run, out);
        return err != 0 ? err : (int64_t)run * fs->block_size;
    }
    err = read_blocks(fs, block, 1, fs->bounce);
    if (err != 0)
        return err;
    memcpy(out, fs->bounce + in_block, chunk);
    return (int64_t)chunk;
}

int64_t ext2_file_read(struct ext2_fs *fs, uint32_t ino, uint64_t offset, void *buf, uint64_t count)
{
    struct ext2_inode inode;
    int err = ext2_inode_read_open(fs, ino, &inode);
    if (err != 0)
        return err;
    if (ext2_inode_is_dir(&inode))
        return -EISDIR;
    uint64_t size = ext2_inode_size(&inode);
    if (offset >= size)
        return 0;
    if (count > size - offset)
        count = size - offset;
    if (!ext2_inode_has_block_map(fs, &inode)) {
        if ((inode.i_mode & EXT2_S_IFMT) != EXT2_S_IFLNK)
            return -EINVAL; /* a device, fifo or socket: no bytes on the disk */
        /* A short symlink: its target lives in i_block[] itself (size < 60). */
        memcpy(buf, (const uint8_t *)inode.i_block + offset, count);
        return (int64_t)count;
    }
    uint64_t done = 0;
    while (done < count) {
        int64_t n = read_piece(fs, ino, &inode, offset + done, (uint8_t *)buf + done, count - done);
        if (n < 0)
            return done > 0 ? (int64_t)done : n;
        done += (uint64_t)n;
    }
    return (int64_t)done;
}

/* Write bytes [pos, pos + count) within one block, allocating it if needed. Returns
 * the bytes written or an error. */
static int64_t write_piece(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode, uint64_t pos,
                           const uint8_t *in, uint64_t count)
{
    uint32_t in_block = pos % fs->block_size;
    uint64_t chunk = fs->block_size - in_block;
    chunk = chunk < count ? chunk : count;
    uint32_t block;
    bool fresh;
    int err = ext2_bmap_allocate(fs, ino, inode, pos / fs->block_size, &block, &fresh);
    if (err != 0)
        return err;
    if (chunk == fs->block_size) {
        err = write_block(fs, block, in);
        return err != 0 ? err : (int64_t)chunk;
    }
    /* Part of a block: keep the rest of it (zeros if the block is new). */
    if (fresh)
        memset(fs->bounce, 0, fs->block_size);
    else if ((err = read_blocks(fs, block, 1, fs->bounce)) != 0)
        return err;
    memcpy(fs->bounce + in_block, in, chunk);
    err = write_block(fs, block, fs->bounce);
    return err != 0 ? err : (int64_t)chunk;
}

/* Load a regular file's inode for a change. 0, -EROFS, -EISDIR, -EINVAL (not a
 * regular file), -EIO. */
static int load_for_change(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *inode)
{
    if (fs->read_only)
        return -EROFS;
    int err = ext2_inode_read_open(fs, ino, inode);
    if (err != 0)
        return err;
    if (ext2_inode_is_dir(inode))
        return -EISDIR;
    return ext2_inode_is_reg(inode) ? 0 : -EINVAL;
}

int64_t ext2_file_write(struct ext2_fs *fs, uint32_t ino, uint64_t offset, const void *buf,
                        uint64_t count)
{
    struct ext2_inode inode;
    int err = load_for_change(fs, ino, &inode);
    if (err != 0)
        return err;
    if (offset >= fs->max_file_size)
        return count == 0 ? 0 : -EFBIG;
    if (count > fs->max_file_size - offset)
        count = fs->max_file_size - offset;
    uint64_t done = 0;
    int64_t n = 0;
    while (done < count) {
        n = write_piece(fs, ino, &inode, offset + done, (const uint8_t *)buf + done, count - done);
        if (n < 0)
            break;
        done += (uint64_t)n;
    }
    /* The block map may have grown even if the data did not all land; a write of
     * nothing (a full disk) leaves the size as it was, as on Linux. */
    if (done > 0 && offset + done > ext2_inode_size(&inode))
        ext2_inode_set_size(fs, &inode, offset + done);
    if (done > 0)
        inode.i_mtime = inode.i_ctime = ext2_now();
    err = ext2_inode_write(fs, ino, &inode);
    if (done > 0)
        return (int64_t)done;
    return n < 0 ? n : err;
}

/* Zero the bytes of the file's block from `from` (not a block boundary) to the
 * block's end, so a later extension reads zeros there. 0 or -EIO. */
static int zero_tail(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *inode,
                     uint64_t from)
{
    uint32_t block;
    int err = ext2_bmap_lookup(fs, ino, inode, from / fs->block_size, &block);
    if (err != 0 || block == 0)
        return err;
    if ((err = read_blocks(fs, block, 1, fs->bounce)) != 0)
        return err;
    uint32_t in_block = from % fs->block_size;
    memset(fs->bounce + in_block, 0, fs->block_size - in_block);
    return write_block(fs, block, fs->bounce);
}

int ext2_file_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size)
{
    struct ext2_inode inode;
    int err = load_for_change(fs, ino, &inode);
    if (err != 0)
        return err;
    if (size > fs->max_file_size)
        return -EFBIG;
    if (size < ext2_inode_size(&inode)) {
        uint64_t keep = (size + fs->block_size - 1) / fs->block_size;
        err = ext2_bmap_truncate(fs, ino, &inode, keep);
        if (err == 0 && size % fs->block_size != 0)
            err = zero_tail(fs, ino, &inode, size);
    }
    if (err == 0)
        ext2_inode_set_size(fs, &inode, size);
    inode.i_mtime = inode.i_ctime = ext2_now();
    int write_err = ext2_inode_write(fs, ino, &inode);
    return err != 0 ? err : write_err;
}
