/*
 * namei.c — path lookup (namei.h).
 *
 * The walk holds one reference, on the directory it stands in; each step takes
 * the next inode's reference before dropping the last one, so no inode it uses
 * can leave the cache under it.
 */
#include "namei.h"

#include "inode.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mount.h"

#define MAX_SYMLINK_DEPTH                                                                          \
    8 /* links within links (Linux's former nesting limit): the walk                               \
       * recurses once per level, on a 16 KiB kernel stack */

/* One step from directory dir through the component name (len bytes, not empty).
 * The next inode with a reference, or -errno (dir keeps its reference). */
static int step(struct inode *dir, const char *name, size_t len, struct inode **next)
{
    if (!inode_is_dir(dir))
        return -ENOTDIR;
    if (len > NAME_MAX)
        return -ENAMETOOLONG;
    if (len == 1 && name[0] == '.') {
        *next = inode_ref(dir);
        return 0;
    }
    if (dir->unlinked)
        return -ENOENT; /* a removed directory holds no names (Linux's IS_DEADDIR) */
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        if (dir == vfs_root()) {
            *next = inode_ref(dir); /* ".." of "/" is "/" */
            return 0;
        }
        if (dir == dir->mount->root) {
            *next = inode_ref(dir->mount->parent); /* out of a mount: where it is mounted */
            return 0;
        }
    }
    struct mount *m = mount_covering(dir, name, len);
    if (m != NULL) {
        *next = inode_ref(m->root); /* into a mounted file system */
        return 0;
    }
    return fs_lookup(dir, name, len, next);
}

/* Where a walk starts: "/" for an absolute path, else start (NULL: "/"). */
static struct inode *walk_start(struct inode *start, const char *path)
{
    return inode_ref(path[0] == '/' || start == NULL ? vfs_root() : start);
}

static int walk(struct inode *start, const char *path, size_t end, bool follow_last, int depth,
                struct inode **at, bool *last_missing);

/* A symbolic link met in directory dir: walk its target from dir (or from "/" for
 * an absolute target) instead. *link's reference is replaced by the result's. */
static int follow(struct inode *dir, struct inode **link, int depth)
{
    if (depth >= MAX_SYMLINK_DEPTH)
        return -ELOOP; /* a loop ("a" -> "a") ends here too */
    char *target = kmalloc(PATH_MAX);
    if (target == NULL)
        return -ENOMEM;
    long length = fs_readlink(*link, target, PATH_MAX);
    struct inode *reached = NULL;
    int err = length < 0 ? (int)length
                         : walk(dir, target, (size_t)length, true, depth + 1, &reached, NULL);
    if (err == 0 && target[length - 1] == '/' && !inode_is_dir(reached)) {
        inode_put(reached);
        err = -ENOTDIR; /* a target "file/" demands a directory, as a path does */
    }
    kfree(target);
    if (err != 0)
        return err;
    inode_put(*link);
    *link = reached;
    return 0;
}

static bool is_symlink(const struct inode *ip)
{
    return (ip->mode & S_IFMT) == S_IFLNK;
}

/* Walk the components of path[0..end) from start; *at the inode reached. A symbolic
 * link is followed, except as the last component when follow_last is false. On
 * -ENOENT, *last_missing (if given) says whether it was the last name itself that
 * its directory does not hold (not a name before it, nor a link's target). */
static int walk(struct inode *start, const char *path, size_t end, bool follow_last, int depth,
                struct inode **at, bool *last_missing)
{
    struct inode *cur = walk_start(start, path);
    size_t i = 0;
    while (i < end) {
        if (path[i] == '/') {
            i++;
            continue;
        }
        size_t len = 0;
        while (i + len < end && path[i + len] != '/')
            len++;
        struct inode *next;
        int err = step(cur, path + i, len, &next);
        bool last = i + len == end; /* "link/" has a component after it: follow */
        if (last_missing != NULL)
            *last_missing = err == -ENOENT && last;
        if (err == 0 && is_symlink(next) && (!last || follow_last)) {
            err = follow(cur, &next, depth);
            if (err != 0)
                inode_put(next);
        }
        inode_put(cur);
        if (err != 0)
            return err;
        cur = next;
        i += len;
    }
    *at = cur;
    return 0;
}

int namei_noting_last(struct inode *start, const char *path, enum namei_follow how,
                      struct inode **out, bool *last_missing)
{
    if (last_missing != NULL)
        *last_missing = false;
    size_t length = strlen(path);
    if (length == 0)
        return -ENOENT; /* as Linux: "" names nothing (AT_EMPTY_PATH aside) */
    struct inode *ip;
    int err = walk(start, path, length, how == NAMEI_FOLLOW, 0, &ip, last_missing);
    if (err != 0)
        return err;
    if (path[length - 1] == '/' && !inode_is_dir(ip)) {
        inode_put(ip);
        return -ENOTDIR; /* "file/" */
    }
    *out = ip;
    return 0;
}

int namei(struct inode *start, const char *path, enum namei_follow how, struct inode **out)
{
    return namei_noting_last(start, path, how, out, NULL);
}

int namei_parent(struct inode *start, const char *path, struct inode **out)
{
    size_t end = strlen(path);
    while (end > 0 && path[end - 1] == '/')
        end--;
    while (end > 0 && path[end - 1] != '/')
        end--; /* the last component goes */
    int err = walk(start, path, end, true, 0, out, NULL);
    if (err == 0 && !inode_is_dir(*out)) {
        inode_put(*out);
        err = -ENOTDIR;
    }
    if (err != 0)
        *out = NULL; /* nothing for the caller to put */
    return err;
}

/* ---- getcwd: from a directory back up to "/" ---- */

struct name_search {
    uint64_t ino;
    char *name; /* NAME_MAX + 1 bytes */
    bool found;
};

static int match_ino(void *ctx, const char *name, size_t len, uint64_t ino, uint8_t d_type,
                     uint64_t next)
{
    (void)d_type, (void)next;
    struct name_search *s = ctx;
    bool dots = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
    if (dots || ino != s->ino || len > NAME_MAX)
        return 0;
    memcpy(s->name, name, len);
    s->name[len] = '\0';
    s->found = true;
    return 1;
}

/* The parent of dir (with a reference) and dir's name in it. */
static int parent_and_name(struct inode *dir, struct inode **parent, char *name)
{
    if (dir->unlinked)
        return -ENOENT; /* removed: no path names it (getcwd's ENOENT) */
    if (dir == dir->mount->root) {
        size_t len = strlen(dir->mount->name);
        memcpy(name, dir->mount->name, len + 1);
        *parent = inode_ref(dir->mount->parent);
        return 0;
    }
    int err = fs_lookup(dir, "..", 2, parent);
    if (err != 0)
        return err;
    struct name_search s = { dir->ino, name, false };
    uint64_t pos = 0;
    err = fs_readdir(*parent, &pos, match_ino, &s);
    if (err == 0 && !s.found)
        err = -ENOENT; /* removed from its parent meanwhile */
    if (err != 0)
        inode_put(*parent);
    return err;
}

/* Put "/name" in front of the path built at the end of buf; *start moves back. */
static int prepend(char *buf, size_t *start, const char *name)
{
    size_t len = strlen(name);
    if (*start < len + 1)
        return -ENAMETOOLONG;
    *start -= len;
    memcpy(buf + *start, name, len);
    buf[--*start] = '/';
    return 0;
}

long namei_path_of(struct inode *dir, char *buf, size_t size)
{
    char *path = kmalloc(PATH_MAX), *name = kmalloc(NAME_MAX + 1);
    size_t start = PATH_MAX - 1;
    int err = path == NULL || name == NULL ? -ENOMEM : 0;
    struct inode *cur = inode_ref(dir);
    while (err == 0 && cur != vfs_root()) {
        struct inode *parent;
        err = parent_and_name(cur, &parent, name);
        if (err == 0) {
            err = prepend(path, &start, name);
            inode_put(cur);
            cur = parent;
        }
    }
    inode_put(cur);
    long length = 0;
    if (err == 0) {
        path[PATH_MAX - 1] = '\0';
        if (start == PATH_MAX - 1)
            path[--start] = '/';           /* the root itself */
        length = (long)(PATH_MAX - start); /* with the final zero */
        if ((size_t)length > size)
            err = -ERANGE;
        else
            memcpy(buf, path + start, (size_t)length);
    }
    kfree(path);
    kfree(name);
    return err != 0 ? err : length;
}
