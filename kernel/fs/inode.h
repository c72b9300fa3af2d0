/*
 * inode.h — the in-memory inode cache: one struct inode (vfs.h) per file in use,
 * found by (mount, inode number), freed when its last reference goes -- unless
 * pages of the file are still cached (then when reclaim drops the last of them).
 */
#ifndef KERNEL_FS_INODE_H
#define KERNEL_FS_INODE_H

#include "vfs.h"

/* The inode ino of mount m with a reference for the caller: the cached one, or a
 * new one whose type and permissions are mode. NULL if out of memory. */
struct inode *inode_get(struct mount *m, uint32_t ino, uint32_t mode);

/* A reference to an inode in the cache, even one nobody uses but kept for its
 * pages (the page cache writing back, or reading into, an unused file's page). */
struct inode *inode_hold(struct inode *ip);

/* One more reference to an inode the caller holds (NULL is fine). */
struct inode *inode_ref(struct inode *ip);

/* Drop a reference (NULL is fine). The last one frees the record (or keeps it,
 * unused, while its pages are cached), and when the inode lost its last name
 * while in use (inode_keep_unlinked) it frees the inode on the disk too
 * (ext2_evict, under the mount's lock: the caller must not hold it). */
void inode_put(struct inode *ip);

/* Reclaim dropped the last cached page of ip: if nobody uses it, it goes. */
void inode_pages_emptied(struct inode *ip);

/* ext2's inode_is_open hook, called when inode ino of mount m loses its last link:
 * true if it is in use, and then it is marked so that the last inode_put evicts it;
 * false, and ext2 frees it at once. */
bool inode_keep_unlinked(struct mount *m, uint32_t ino);

/* Is inode ino of mount m an active swap area (swapfile.h)? Its names cannot be
 * removed then (unlink and rename: -EPERM). */
bool inode_is_swapfile(const struct mount *m, uint32_t ino);

/* The size of a regular file changes in two places, the disk and its page cache
 * (mm/object.h's size): a write or a truncate holds this lock across both, so
 * that two of them cannot leave the two disagreeing. Readers do not take it
 * (reading a page takes the mount's lock, which a truncate may wait for). */
void inode_size_lock(struct inode *ip);
void inode_size_unlock(struct inode *ip);

/* A lookup found ip as name (len bytes) in directory dir: remember it (for /proc's
 * paths; nothing if memory is short). */
void inode_remember_name(struct inode *ip, const struct inode *dir, const char *name, size_t len);

/* Inodes in use now, those kept only for their pages not counted (for tests and
 * the leak check). */
int inode_cached(void);

static inline bool inode_is_dir(const struct inode *ip)
{
    return (ip->mode & S_IFMT) == S_IFDIR;
}

#endif
