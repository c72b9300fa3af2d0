/*
 * inode.c — the in-memory inode cache (inode.h).
 *
 * A short list is enough: only inodes someone uses are here (open files, working
 * directories, the roots of mounts, the few a path walk holds at once), and an
 * inode leaves when its last user does. The disk keeps the rest.
 */
#include "inode.h"

#include "kernel/panic.h"
#include "mm/kheap.h"

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

void inode_put(struct inode *ip)
{
    if (ip == NULL)
        return;
    assert(ip->refs > 0, "inode_put: inode %u has %d references", ip->ino, ip->refs);
    if (--ip->refs > 0)
        return;
    /* read-only for now: an inode unlinked while open (ext2_evict) comes with writes */
    unlink_from_cache(ip);
    kfree(ip);
}

bool inode_in_use(const struct mount *m, uint32_t ino)
{
    return find(m, ino) != NULL;
}

int inode_cached(void)
{
    return cached;
}
