/*
 * inode.c — the in-memory inode cache (inode.h).
 *
 * A short list is enough: only inodes someone uses are here (open files, working
 * directories, the roots of mounts, the few a path walk holds at once), and an
 * inode leaves when its last user does. The disk keeps the rest.
 */
#include "inode.h"

#include "ext2/namei.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/kheap.h"
#include "mount.h"

static struct inode *cache; /* every inode with a reference */
static int cached;

/* The cached inode (m, ino), or NULL. */
static struct inode *find(const struct mount *m, uint32_t ino)
{
    for (struct inode *ip = cache; ip != NULL; ip = ip->next) {
        if (ip->mount == m && ip->ino == ino)
            return ip;
    }
    return NULL;
}

struct inode *inode_get(struct mount *m, uint32_t ino, uint32_t mode)
{
    struct inode *ip = find(m, ino);
    if (ip != NULL)
        return inode_ref(ip);
    ip = kzalloc(sizeof *ip);
    if (ip == NULL)
        return NULL;
    *ip = (struct inode){ .mount = m, .ino = ino, .mode = mode, .refs = 1, .next = cache };
    cache = ip;
    cached++;
    return ip;
}

struct inode *inode_ref(struct inode *ip)
{
    if (ip != NULL) {
        assert(ip->refs > 0, "inode_ref: inode %u has %d references", ip->ino, ip->refs);
        ip->refs++;
    }
    return ip;
}

/* Take ip out of the list. */
static void unlink_from_cache(struct inode *ip)
{
    struct inode **link = &cache;
    while (*link != ip)
        link = &(*link)->next;
    *link = ip->next;
    cached--;
}

/* The last user of an inode without a name is gone: its blocks and the inode
 * itself go back to the free counts. Nothing can find it meanwhile (no directory
 * names it, and it has already left the cache). */
static void evict(struct inode *ip)
{
    struct mount *m = ip->mount;
    mount_lock(m);
    int err = ext2_evict(m->ext2, ip->ino);
    mount_unlock(m);
    if (err != 0)
        kprintf("vfs: inode %u could not be freed (%d): e2fsck will find it\n", ip->ino, err);
}

void inode_put(struct inode *ip)
{
    if (ip == NULL)
        return;
    assert(ip->refs > 0, "inode_put: inode %u has %d references", ip->ino, ip->refs);
    if (--ip->refs > 0)
        return;
    unlink_from_cache(ip);
    /* ASSIGNMENT(evict): an unlinked file lives until its last user lets go */
    if (ip->unlinked && ip->mount->kind == FS_EXT2)
        evict(ip);
    kfree(ip);
}

bool inode_keep_unlinked(struct mount *m, uint32_t ino)
{
    struct inode *ip = find(m, ino);
    if (ip == NULL)
        return false;
    ip->unlinked = true;
    return true;
}

int inode_cached(void)
{
    return cached;
}
