/*
 * names.c — making, removing and renaming names (names.h).
 *
 * Each operation is Linux's sequence of checks, in Linux's order (fs/namei.c:
 * filename_create, do_unlinkat, do_rmdir, do_linkat, do_renameat2), so a program
 * gets the same errno here as there when several things are wrong at once; then
 * the ext2 core does the change. Only ext2 holds names that can change: in
 * /dev and the empty root, the checks run and the change is -EROFS.
 */
#include "names.h"

#include "ext2/namei.h"
#include "ext2/rename.h"
#include "ext2/super.h"
#include "ext2/symlink.h"
#include "inode.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mount.h"
#include "namei.h"
#include "umask.h"

#define EXT2_ROOT_INO 2     /* where a walk up the ".." entries ends */
#define MAX_DEPTH     4096  /* deeper than any real tree: a longer ".." chain loops */
#define MKDIR_BITS    01777 /* mkdir keeps rwx for all and the sticky bit (Linux) */

/* ---- the last component ---- */

static enum last_kind kind_of(const char *name, size_t len)
{
    if (len == 0)
        return LAST_ROOT;
    if (len == 1 && name[0] == '.')
        return LAST_DOT;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return LAST_DOTDOT;
    return LAST_NORMAL;
}

int names_split(struct inode *start, const char *path, struct last_name *out)
{
    size_t end = strlen(path);
    if (end == 0)
        return -ENOENT; /* "" names nothing */
    size_t name_end = end;
    while (name_end > 0 && path[name_end - 1] == '/')
        name_end--;
    size_t name_start = name_end;
    while (name_start > 0 && path[name_start - 1] != '/')
        name_start--;
    struct inode *dir;
    int err = namei_parent(start, path, &dir);
    if (err != 0)
        return err;
    out->dir = dir;
    out->name = path + name_start;
    out->len = name_end - name_start;
    out->trailing_slash = name_end < end && out->len > 0;
    out->kind = kind_of(out->name, out->len);
    return 0;
}

void names_release(struct last_name *last)
{
    inode_put(last->dir);
    last->dir = NULL;
}

/* ---- looking the last name up, under the lock ---- */

/* What a directory holds under the last name. */
struct entry {
    bool exists, is_dir, mount_point;
    uint32_t ino;
};

/* Inside a file system (ext2: one process at a time, mount.h). */
static void enter(struct mount *m)
{
    if (m->kind == FS_EXT2)
        mount_lock(m);
}

static void leave(struct mount *m)
{
    if (m->kind == FS_EXT2)
        mount_unlock(m);
}

static int look_ext2(const struct last_name *l, struct entry *e)
{
    struct ext2_fs *fs = l->dir->mount->ext2;
    int err = ext2_lookup(fs, l->dir->ino, l->name, (uint32_t)l->len, &e->ino);
    if (err == -ENOENT)
        return 0;
    struct ext2_stat st;
    if (err == 0)
        err = ext2_stat(fs, e->ino, &st);
    if (err != 0)
        return err;
    e->exists = true;
    e->is_dir = (st.mode & S_IFMT) == S_IFDIR;
    return 0;
}

/* A directory held in the kernel (/dev, the empty root): no lock to hold. */
static int look_kernel(const struct last_name *l, struct entry *e)
{
    struct inode *ip;
    int err = fs_lookup(l->dir, l->name, l->len, &ip);
    if (err != 0)
        return err == -ENOENT ? 0 : err;
    *e = (struct entry){ .exists = true, .is_dir = inode_is_dir(ip), .ino = ip->ino };
    inode_put(ip);
    return 0;
}

/* The last name in its directory (the mount entered): 0 and *e (e->exists false
 * for a free name), -ENOENT (the directory was removed: Linux's IS_DEADDIR),
 * -ENAMETOOLONG, -EIO. A name hidden by a mount is the mounted directory. */
static int look(const struct last_name *l, struct entry *e)
{
    *e = (struct entry){ 0 };
    if (l->dir->unlinked)
        return -ENOENT;
    if (l->len > NAME_MAX)
        return -ENAMETOOLONG;
    struct mount *covering = mount_covering(l->dir, l->name, l->len);
    if (covering != NULL) {
        *e = (struct entry){ true, true, true, covering->root->ino };
        return 0;
    }
    return l->dir->mount->kind == FS_EXT2 ? look_ext2(l, e) : look_kernel(l, e);
}

/* ---- making names ---- */

/* Linux's filename_create: the last name must be a free, ordinary name; with a
 * trailing slash only mkdir may make it. 0 or the error. */
static int check_new_name(const struct last_name *l, bool want_dir)
{
    if (l->kind != LAST_NORMAL)
        return -EEXIST; /* ".", "..", "/" always exist */
    struct entry e;
    int err = look(l, &e);
    if (err != 0)
        return err;
    if (e.exists)
        return -EEXIST; /* a dangling symlink exists too: it is not followed */
    return l->trailing_slash && !want_dir ? -ENOENT : 0;
}

int fs_mkdir(const struct last_name *l, uint32_t mode)
{
    struct mount *m = l->dir->mount;
    enter(m);
    int err = check_new_name(l, true);
    uint32_t ino;
    if (err == 0)
        err = m->kind != FS_EXT2 ? -EROFS
                                 : ext2_mkdir(m->ext2, l->dir->ino, l->name, (uint32_t)l->len,
                                              (uint16_t)umask_apply(mode & MKDIR_BITS), &ino);
    leave(m);
    return err;
}

int fs_symlink(const char *target, size_t len, const struct last_name *l)
{
    struct mount *m = l->dir->mount;
    enter(m);
    int err = check_new_name(l, false);
    uint32_t ino;
    if (err == 0)
        err = m->kind != FS_EXT2 ? -EROFS
                                 : ext2_symlink(m->ext2, l->dir->ino, l->name, (uint32_t)l->len,
                                                target, (uint32_t)len, &ino);
    leave(m);
    return err;
}

/* vfs_link's checks of the inode once the new name is known to be free. */
static int check_link_source(const struct inode *ip, const struct last_name *l)
{
    if (ip->mount != l->dir->mount)
        return -EXDEV; /* a hard link stays inside one file system */
    if (inode_is_dir(ip))
        return -EPERM; /* directories have one name (and "." and "..") */
    if (ip->unlinked)
        return -ENOENT; /* an open file whose names are all gone gets no new one */
    return l->dir->mount->kind == FS_EXT2 ? 0 : -EPERM;
}

int fs_link(struct inode *ip, const struct last_name *l)
{
    struct mount *m = l->dir->mount;
    enter(m);
    int err = check_new_name(l, false);
    if (err == 0)
        err = check_link_source(ip, l);
    if (err == 0)
        err = ext2_link(m->ext2, ip->ino, l->dir->ino, l->name, (uint32_t)l->len);
    leave(m);
    return err;
}

/* ---- removing names ---- */

/* do_unlinkat's checks of what the name holds. */
static int check_unlink(const struct last_name *l, const struct entry *e)
{
    if (l->trailing_slash) /* "x/": whatever x is, unlink cannot mean it */
        return !e->exists ? -ENOENT : e->is_dir ? -EISDIR : -ENOTDIR;
    if (!e->exists)
        return -ENOENT;
    if (inode_is_swapfile(l->dir->mount, e->ino))
        return -EPERM;              /* Linux's may_delete: swapoff could not name it any more */
    return e->is_dir ? -EISDIR : 0; /* Linux's answer, where POSIX allows EPERM */
}

int fs_unlink(const struct last_name *l)
{
    if (l->kind != LAST_NORMAL)
        return -EISDIR;
    struct mount *m = l->dir->mount;
    enter(m);
    struct entry e;
    int err = look(l, &e);
    if (err == 0)
        err = check_unlink(l, &e);
    if (err == 0)
        err = m->kind != FS_EXT2 ? -EROFS
                                 : ext2_unlink(m->ext2, l->dir->ino, l->name, (uint32_t)l->len);
    leave(m);
    return err;
}

/* do_rmdir's answer for a last component that is not a name. */
static int rmdir_special(enum last_kind kind)
{
    switch (kind) {
    case LAST_DOT: return -EINVAL;       /* the directory one stands in */
    case LAST_DOTDOT: return -ENOTEMPTY; /* it holds at least the caller's directory */
    default: return -EBUSY;              /* "/" */
    }
}

int fs_rmdir(const struct last_name *l)
{
    if (l->kind != LAST_NORMAL)
        return rmdir_special(l->kind);
    struct mount *m = l->dir->mount;
    enter(m);
    struct entry e;
    int err = look(l, &e);
    if (err == 0)
        err = !e.exists ? -ENOENT : !e.is_dir ? -ENOTDIR : e.mount_point ? -EBUSY : 0;
    if (err == 0)
        err = m->kind != FS_EXT2 ? -EROFS
                                 : ext2_rmdir(m->ext2, l->dir->ino, l->name, (uint32_t)l->len);
    leave(m);
    return err;
}

/* ---- rename ---- */

/* Everything rename decides on, looked up once under the lock. */
struct rename_names {
    const struct last_name *from, *to;
    struct entry old, new;
    uint32_t flags;
};

/* Is directory `from` below directory `ancestor`? 1 and *child (the directory in
 * ancestor on the way up), 0, -EIO (the ".." chain is broken or loops). */
static int below(struct ext2_fs *fs, uint32_t from, uint32_t ancestor, uint32_t *child)
{
    uint32_t cur = from;
    for (int depth = 0; depth < MAX_DEPTH && cur != EXT2_ROOT_INO; depth++) {
        uint32_t parent;
        int err = ext2_lookup(fs, cur, "..", 2, &parent);
        if (err != 0)
            return -EIO;
        if (parent == ancestor) {
            *child = cur;
            return 1;
        }
        cur = parent;
    }
    return cur == EXT2_ROOT_INO ? 0 : -EIO;
}

/* Linux's "trap" (lock_rename): moving a directory below itself is -EINVAL;
 * replacing a directory that holds the source is -ENOTEMPTY. */
static int check_ancestry(struct rename_names *r)
{
    uint32_t old_dir = r->from->dir->ino, new_dir = r->to->dir->ino, child;
    if (old_dir == new_dir || r->from->dir->mount->kind != FS_EXT2)
        return 0;
    struct ext2_fs *fs = r->from->dir->mount->ext2;
    int inside = below(fs, new_dir, old_dir, &child);
    if (inside != 0)
        return inside < 0 ? inside : r->old.exists && r->old.ino == child ? -EINVAL : 0;
    inside = below(fs, old_dir, new_dir, &child);
    if (inside <= 0 || !r->new.exists || r->new.ino != child)
        return inside < 0 ? inside : 0;
    return r->flags & RENAME_EXCHANGE ? -EINVAL : -ENOTEMPTY;
}

/* do_renameat2's checks between the lookups and vfs_rename. */
static int check_names(struct rename_names *r)
{
    if (!r->old.exists)
        return -ENOENT; /* the source must exist */
    if ((r->flags & RENAME_NOREPLACE) && r->new.exists)
        return -EEXIST;
    if (r->flags & RENAME_EXCHANGE) {
        if (!r->new.exists)
            return -ENOENT;
        if (!r->new.is_dir && r->to->trailing_slash)
            return -ENOTDIR;
    }
    /* unless the source is a directory, trailing slashes give -ENOTDIR */
    if (!r->old.is_dir &&
        (r->from->trailing_slash || (!(r->flags & RENAME_EXCHANGE) && r->to->trailing_slash)))
        return -ENOTDIR;
    return check_ancestry(r);
}

/* vfs_rename's checks once source and target differ: the target must be of the
 * source's kind; mount points stay where they are. */
static int check_replace(const struct rename_names *r)
{
    /* may_delete of either name: an active swap file keeps its name */
    struct mount *m = r->from->dir->mount;
    if (inode_is_swapfile(m, r->old.ino) || (r->new.exists &&inode_is_swapfile(m, r->new.ino)))
        return -EPERM;
    if (r->new.exists && !(r->flags & RENAME_EXCHANGE)) {
        if (r->old.is_dir && !r->new.is_dir)
            return -ENOTDIR;
        if (!r->old.is_dir && r->new.is_dir)
            return -EISDIR;
    }
    if (r->old.mount_point || r->new.mount_point)
        return -EBUSY;
    /* ext2 cannot exchange (Linux's ext2 says -EINVAL too), nor make whiteouts */
    return r->flags & (RENAME_EXCHANGE | RENAME_WHITEOUT) ? -EINVAL : 0;
}

/* Both names looked up and every check passed: the change. */
static int rename_locked(struct rename_names *r)
{
    int err = look(r->from, &r->old);
    if (err == 0)
        err = look(r->to, &r->new);
    if (err == 0)
        err = check_names(r);
    if (err != 0)
        return err;
    if (r->new.exists && r->new.ino == r->old.ino)
        return 0; /* the same inode (the same name, or two links of one file) */
    if ((err = check_replace(r)) != 0)
        return err;
    struct mount *m = r->from->dir->mount;
    if (m->kind != FS_EXT2)
        return -EROFS;
    return ext2_rename(m->ext2, r->from->dir->ino, r->from->name, (uint32_t)r->from->len,
                       r->to->dir->ino, r->to->name, (uint32_t)r->to->len);
}

int fs_rename(const struct last_name *from, const struct last_name *to, uint32_t flags)
{
    struct mount *m = from->dir->mount;
    if (m != to->dir->mount)
        return -EXDEV;
    if (from->kind != LAST_NORMAL)
        return -EBUSY;
    if (to->kind != LAST_NORMAL)
        return flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
    struct rename_names r = { .from = from, .to = to, .flags = flags };
    enter(m);
    int err = rename_locked(&r);
    leave(m);
    return err;
}
