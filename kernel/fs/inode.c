/*
 * inode.c — the in-memory inode cache (inode.h).
 *
 * Inodes someone uses are here (open files, mappings, working directories, the
 * roots of mounts, the few a path walk holds at once), and so are files nobody
 * uses any more whose data is still in the page cache: a second open of a file
 * just read finds its pages in memory. Those stay until reclaim drops their last
 * page (inode_pages_emptied), so no unused inode without pages is ever kept. A
 * small hash table by inode number finds them.
 */
#include "inode.h"

#include "ext2/namei.h"
#include "file_pages.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/page_cache.h"
#include "mount.h"

#define INODE_BUCKETS 256 /* a power of two */

static struct inode *buckets[INODE_BUCKETS];
static int in_use;   /* inodes with a reference */
static int resident; /* inodes in the table, used or not */

static struct inode **bucket_of(uint32_t ino)
{
    return &buckets[ino & (INODE_BUCKETS - 1)];
}

/* The cached inode (m, ino), or NULL. */
static struct inode *find(const struct mount *m, uint32_t ino)
{
    for (struct inode *ip = *bucket_of(ino); ip != NULL; ip = ip->next) {
        if (ip->mount == m && ip->ino == ino)
            return ip;
    }
    return NULL;
}

struct inode *inode_get(struct mount *m, uint32_t ino, uint32_t mode)
{
    struct inode *ip = find(m, ino);
    if (ip != NULL)
        return inode_hold(ip);
    ip = kzalloc(sizeof *ip);
    if (ip == NULL)
        return NULL;
    *ip =
        (struct inode){ .mount = m, .ino = ino, .mode = mode, .refs = 1, .next = *bucket_of(ino) };
    *bucket_of(ino) = ip;
    in_use++;
    resident++;
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

struct inode *inode_hold(struct inode *ip)
{
    if (ip->refs++ == 0)
        in_use++; /* an unused inode kept for its pages is in use again */
    return ip;
}

/* Take ip out of the table and free it (its pages are gone). */
static void forget(struct inode *ip)
{
    struct inode **link = bucket_of(ip->ino);
    while (*link != ip)
        link = &(*link)->next;
    *link = ip->next;
    resident--;
    kfree(ip->name);
    kfree(ip);
}

/* The last user of an inode without a name is gone: its blocks and the inode
 * itself go back to the free counts. Nothing can find it meanwhile (no directory
 * names it). Its pages go first: nothing will read them again. */
static void evict(struct inode *ip)
{
    if (ip->has_pages)
        page_cache_drop_all(&ip->pages);
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
    in_use--;
    /* ASSIGNMENT(evict): an unlinked file lives until its last user lets go */
    if (ip->unlinked && ip->mount->kind == FS_EXT2) {
        evict(ip);
        forget(ip);
        return;
    }
    if (ip->has_pages && ip->pages.cached > 0 && ip->mount->kind == FS_EXT2)
        return; /* unused, but its pages are worth keeping: reclaim decides */
    if (ip->has_pages)
        page_cache_drop_all(&ip->pages); /* pages of a file on no disk (any more) */
    forget(ip);
}

void inode_pages_emptied(struct inode *ip)
{
    if (ip->refs == 0)
        forget(ip);
}

bool inode_is_swapfile(const struct mount *m, uint32_t ino)
{
    const struct inode *ip = find(m, ino);
    return ip != NULL && ip->swapfile;
}

bool inode_keep_unlinked(struct mount *m, uint32_t ino)
{
    struct inode *ip = find(m, ino);
    if (ip == NULL)
        return false;
    if (ip->refs == 0) {
        /* nobody uses it, only its pages were kept: they go, and so can it */
        if (ip->has_pages)
            page_cache_drop_all(&ip->pages);
        forget(ip);
        return false;
    }
    ip->unlinked = true;
    return true;
}

void inode_remember_name(struct inode *ip, const struct inode *dir, const char *name, size_t len)
{
    bool dots = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
    if (dots || ip == ip->mount->root)
        return; /* "..", "." name no file; a mount's root is named by the mount */
    if (ip->name != NULL && ip->parent_ino == dir->ino && strlen(ip->name) == len &&
        memcmp(ip->name, name, len) == 0)
        return; /* the usual case: found by the same name again */
    char *copy = kmalloc(len + 1);
    if (copy == NULL)
        return;
    memcpy(copy, name, len);
    copy[len] = '\0';
    kfree(ip->name);
    ip->name = copy;
    ip->parent_ino = dir->ino;
}

void inode_size_lock(struct inode *ip)
{
    while (ip->size_locked)
        sleep_on(&ip->size_locked);
    ip->size_locked = true;
}

void inode_size_unlock(struct inode *ip)
{
    ip->size_locked = false;
    wakeup(&ip->size_locked);
}

int inode_cached(void)
{
    return in_use;
}
