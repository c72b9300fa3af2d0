/*
 * paths.c — an inode's path, rebuilt from the name it was last found by (paths.h).
 */
#include "paths.h"

#include "kernel/errno.h"
#include "kernel/fs/inode.h"
#include "kernel/fs/namei.h"
#include "lib/format.h"
#include "lib/string.h"

#define DELETED " (deleted)"

/* The path of the directory ip was found in, into buf: its length (no zero). */
static long parent_path(struct inode *ip, char *buf, size_t size)
{
    struct inode *parent = ip->parent_ino == ip->mount->root->ino
                               ? inode_ref(ip->mount->root)
                               : inode_get(ip->mount, ip->parent_ino, S_IFDIR | 0755);
    if (parent == NULL)
        return -ENOMEM;
    long length = namei_path_of(parent, buf, size); /* the final zero counted */
    inode_put(parent);
    return length < 0 ? length : length - 1;
}

long procfs_path_of(struct inode *ip, char *buf, size_t size)
{
    if (inode_is_dir(ip)) {
        long length = namei_path_of(ip, buf, size);
        return length < 0 ? length : length - 1;
    }
    if (ip->name == NULL)
        return -ENOENT;
    long length = parent_path(ip, buf, size);
    if (length < 0)
        return length;
    const char *slash = length == 1 ? "" : "/"; /* "/" + "name", not "//name" */
    int more = snprintf(buf + length, size - (size_t)length, "%s%s%s", slash, ip->name,
                        ip->unlinked ? DELETED : "");
    if ((size_t)(length + more) >= size)
        return -ENAMETOOLONG;
    return length + more;
}
