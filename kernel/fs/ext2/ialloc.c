/*
 * ialloc.c — inode allocation (ialloc.h).
 */
#include "kernel/fs/ext2/ialloc.h"

#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/bitmap.h"
#include "kernel/fs/ext2/group.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/super.h"

/* Count one inode of group g as used (delta -1) or free (+1). */
static void count_inodes(struct ext2_fs *fs, uint32_t g, int delta, bool is_dir)
{
    fs->groups[g].bg_free_inodes_count += delta;
    fs->sb.s_free_inodes_count += delta;
    if (is_dir)
        fs->groups[g].bg_used_dirs_count -= delta;
    fs->groups_dirty = true;
    fs->super_dirty = true;
}

/* The group a new inode goes to, or -1 if no group has a free inode. */
static int64_t choose_group(const struct ext2_fs *fs, uint32_t parent, bool is_dir)
{
    if (is_dir) {
        int64_t best = -1;
        for (uint32_t g = 0; g < fs->group_count; g++)
            if (fs->groups[g].bg_free_inodes_count > 0 &&
                (best < 0 ||
                 fs->groups[g].bg_free_inodes_count > fs->groups[best].bg_free_inodes_count))
                best = g;
        return best;
    }
    uint32_t home = (parent - 1) / fs->sb.s_inodes_per_group;
    for (uint32_t i = 0; i < fs->group_count; i++) {
        uint32_t g = (home + i) % fs->group_count;
        if (fs->groups[g].bg_free_inodes_count > 0)
            return g;
    }
    return -1;
}

/* The inode a clear bitmap bit offers must really be free: a damaged bitmap (a
 * flipped bit, or a descriptor pointing it into the inode table) would otherwise
 * hand out a live file's inode, and the new file would silently overwrite it.
 * 0, or -EIO with a log line (the bit stays clear: nothing changed). */
static int check_unused(struct ext2_fs *fs, uint32_t ino)
{
    struct ext2_inode inode;
    int err = ext2_inode_read(fs, ino, &inode);
    if (err != 0)
        return err;
    if (ext2_inode_in_use(&inode))
        return ext2_corrupt(fs, "inode %u: free in the bitmap but in use (links %u, mode 0%o)", ino,
                            inode.i_links_count, inode.i_mode);
    return 0;
}

/* Take a clear bit of group g's inode bitmap. 0 and *out, -EIO. */
static int take_in_group(struct ext2_fs *fs, uint32_t g, bool is_dir, uint32_t *out)
{
    struct buffer *b;
    if (buffer_get(fs->cache, fs->dev, fs->groups[g].bg_inode_bitmap, &b) != 0)
        return ext2_corrupt(fs, "group %u: cannot read the inode bitmap", g);
    uint32_t bits = fs->sb.s_inodes_per_group, first = g * bits + 1;
    /* Inodes below first_ino (root, journal, resize...) are never handed out. */
    uint32_t from = first < fs->first_ino ? fs->first_ino - first : 0;
    uint32_t bit = from < bits ? ext2_bit_find_clear(b->data, from, bits) : bits;
    if (bit == bits) {
        buffer_release(fs->cache, b);
        return ext2_corrupt(fs, "group %u: %u inodes counted free, none in the bitmap", g,
                            fs->groups[g].bg_free_inodes_count);
    }
    int err = check_unused(fs, first + bit);
    if (err != 0) {
        buffer_release(fs->cache, b);
        return err;
    }
    ext2_bit_set(b->data, bit);
    buffer_mark_dirty(b);
    buffer_release(fs->cache, b);
    count_inodes(fs, g, -1, is_dir);
    *out = first + bit;
    return 0;
}

int ext2_inode_alloc(struct ext2_fs *fs, uint32_t parent, bool is_dir, uint32_t *out)
{
    if (fs->sb.s_free_inodes_count == 0)
        return -ENOSPC;
    int64_t g = choose_group(fs, parent, is_dir);
    if (g < 0)
        return -ENOSPC;
    return take_in_group(fs, (uint32_t)g, is_dir, out);
}

int ext2_inode_free(struct ext2_fs *fs, uint32_t ino, bool is_dir)
{
    if (ino < fs->first_ino || ino > fs->sb.s_inodes_count)
        return ext2_corrupt(fs, "freeing inode %u, outside %u..%u", ino, fs->first_ino,
                            fs->sb.s_inodes_count);
    uint32_t g = (ino - 1) / fs->sb.s_inodes_per_group;
    uint32_t bit = (ino - 1) % fs->sb.s_inodes_per_group;
    int was_set = ext2_bitmap_clear(fs, fs->groups[g].bg_inode_bitmap, bit, "inode");
    if (was_set < 0)
        return was_set;
    if (!was_set)
        return ext2_corrupt(fs, "freeing inode %u, already free", ino);
    count_inodes(fs, g, +1, is_dir);
    return 0;
}
