/*
 * rename.c — rename (rename.h). The order keeps every step undoable or harmless:
 * all checks first; then the new name is made to point at the inode (a new entry,
 * or the target's entry rewritten); only then is the old name removed and the
 * replaced target's link dropped.
 */
#include "kernel/fs/ext2/rename.h"

#include <stdbool.h>

#include "kernel/errno.h"
#include "kernel/fs/ext2/dir.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/namei_internal.h"
#include "kernel/fs/ext2/super.h"

/* Deeper than any real tree: a longer ".." chain means the disk loops. */
#define MAX_DEPTH 4096

/* Everything a rename works on, loaded once. When both directories are the same,
 * old_parent points at new_parent's copy so changes are not lost. */
struct rename_state {
    uint32_t old_dir, new_dir, ino, target;
    struct ext2_inode old_dir_copy, new_parent, inode, target_inode;
    struct ext2_inode *old_parent;
    bool is_dir, has_target;
};

static bool is_dot_name(const char *name, uint32_t len)
{
    return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* Is directory `dir` the directory ino or inside it? Walks ".." up to the root.
 * 1 yes, 0 no, -EIO. */
static int is_inside(struct ext2_fs *fs, uint32_t dir, uint32_t ino)
{
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
        if (dir == ino)
            return 1;
        if (dir == EXT2_ROOT_INO)
            return 0;
        struct ext2_inode inode;
        int err = ext2_load_dir(fs, dir, &inode);
        if (err == 0)
            err = ext2_dir_lookup(fs, dir, &inode, "..", 2, &dir);
        if (err != 0)
            return err == -EIO ? err : -EIO;
    }
    return ext2_corrupt(fs, "the \"..\" chain from directory %u does not reach the root", dir);
}

/* Load both directories, the inode to move and the target if any. */
static int load(struct ext2_fs *fs, struct rename_state *s, const char *old_name, uint32_t old_len,
                const char *new_name, uint32_t new_len)
{
    int err = ext2_load_dir(fs, s->new_dir, &s->new_parent);
    s->old_parent = &s->new_parent;
    if (err == 0 && s->old_dir != s->new_dir) {
        err = ext2_load_dir(fs, s->old_dir, &s->old_dir_copy);
        s->old_parent = &s->old_dir_copy;
    }
    if (err == 0)
        err = ext2_dir_lookup(fs, s->old_dir, s->old_parent, old_name, old_len, &s->ino);
    if (err == 0)
        err = ext2_inode_read_live(fs, s->ino, &s->inode);
    if (err != 0)
        return err;
    s->is_dir = ext2_inode_is_dir(&s->inode);
    err = ext2_dir_lookup(fs, s->new_dir, &s->new_parent, new_name, new_len, &s->target);
    s->has_target = err == 0;
    if (err == -ENOENT)
        return 0;
    return err == 0 ? ext2_inode_read_live(fs, s->target, &s->target_inode) : err;
}

/* The checks of rename(2) that need the loaded state. 0 or the error. */
static int check(struct ext2_fs *fs, struct rename_state *s)
{
    if (s->is_dir && s->old_dir != s->new_dir) {
        int inside = is_inside(fs, s->new_dir, s->ino);
        if (inside != 0)
            return inside < 0 ? inside : -EINVAL;
    }
    if (!s->has_target) {
        bool new_link = s->is_dir && s->old_dir != s->new_dir;
        return new_link && s->new_parent.i_links_count >= EXT2_LINK_MAX ? -EMLINK : 0;
    }
    bool target_is_dir = ext2_inode_is_dir(&s->target_inode);
    if (s->is_dir && !target_is_dir)
        return -ENOTDIR;
    if (!s->is_dir && target_is_dir)
        return -EISDIR;
    if (target_is_dir) {
        int empty = ext2_dir_is_empty(fs, s->target, &s->target_inode);
        if (empty <= 0)
            return empty < 0 ? empty : -ENOTEMPTY;
    }
    return 0;
}

/* The target loses the name: a file one link, a directory all (and the new
 * parent the link of the target's ".."). */
static int drop_target(struct ext2_fs *fs, struct rename_state *s)
{
    if (!ext2_inode_is_dir(&s->target_inode))
        return ext2_drop_link(fs, s->target, &s->target_inode, 1);
    s->new_parent.i_links_count--;
    return ext2_drop_link(fs, s->target, &s->target_inode, s->target_inode.i_links_count);
}

/* A directory moved to another parent: its ".." and both parents' link counts. */
static int move_dotdot(struct ext2_fs *fs, struct rename_state *s)
{
    int err = ext2_dir_set(fs, s->ino, &s->inode, "..", 2, s->new_dir, EXT2_FT_DIR);
    if (err != 0)
        return err;
    s->old_parent->i_links_count--;
    s->new_parent.i_links_count++;
    return 0;
}

/* Change the disk: new name, old name gone, target dropped, ".." moved. */
static int apply(struct ext2_fs *fs, struct rename_state *s, const char *old_name, uint32_t old_len,
                 const char *new_name, uint32_t new_len)
{
    uint8_t type = ext2_file_type_of_mode(s->inode.i_mode);
    int err = s->has_target
                  ? ext2_dir_set(fs, s->new_dir, &s->new_parent, new_name, new_len, s->ino, type)
                  : ext2_dir_add(fs, s->new_dir, &s->new_parent, new_name, new_len, s->ino, type);
    if (err == 0)
        err = ext2_dir_remove(fs, s->old_dir, s->old_parent, old_name, old_len);
    if (err == 0 && s->is_dir && s->old_dir != s->new_dir)
        err = move_dotdot(fs, s);
    if (err != 0)
        return err;
    s->inode.i_ctime = ext2_now();
    if ((err = ext2_inode_write(fs, s->ino, &s->inode)) != 0)
        return err;
    if (s->has_target && (err = drop_target(fs, s)) != 0)
        return err;
    if (s->old_dir != s->new_dir && (err = ext2_inode_write(fs, s->old_dir, s->old_parent)) != 0)
        return err;
    return ext2_inode_write(fs, s->new_dir, &s->new_parent);
}

int ext2_rename(struct ext2_fs *fs, uint32_t old_dir, const char *old_name, uint32_t old_len,
                uint32_t new_dir, const char *new_name, uint32_t new_len)
{
    if (fs->read_only)
        return -EROFS;
    if (is_dot_name(old_name, old_len) || is_dot_name(new_name, new_len))
        return -EINVAL;
    struct rename_state s = { .old_dir = old_dir, .new_dir = new_dir };
    int err = load(fs, &s, old_name, old_len, new_name, new_len);
    if (err != 0)
        return err;
    if (s.has_target && s.target == s.ino)
        return 0;
    if ((err = check(fs, &s)) != 0)
        return err;
    return apply(fs, &s, old_name, old_len, new_name, new_len);
}
