/*
 * swapfile.c — a regular file lent to swap: marking it, emptying its page cache,
 * and where its blocks lie (swapfile.h).
 */
#include "swapfile.h"

#include "ext2/bmap.h"
#include "ext2/file.h"
#include "ext2/inode.h"
#include "ext2/super.h"
#include "file_pages.h"
#include "inode.h"
#include "kernel/errno.h"
#include "mm/addr.h"
#include "mm/object.h"
#include "mm/page_cache.h"
#include "mount.h"

/* Pages that hold size bytes. */
static uint64_t pages_for(uint64_t size)
{
    return (size + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Can ip be an area at all? 0 or the errno swapfile_claim's contract gives. */
static int check_claimable(struct inode *ip)
{
    if ((ip->mode & S_IFMT) != S_IFREG || ip->mount->kind != FS_EXT2)
        return -EINVAL; /* no blocks on a disk to swap to (Linux: no read_folio) */
    if (fs_read_only(ip))
        return -EROFS; /* swapon opens it O_RDWR on Linux */
    if (ip->has_pages && ip->pages.exec_users > 0)
        return -ETXTBSY;
    return 0;
}

int swapfile_claim(struct inode *ip, struct swapfile_layout *out)
{
    int error = check_claimable(ip);
    if (error != 0)
        return error;
    struct mem_object *o = inode_pages(ip, &error);
    if (o == NULL)
        return error;
    /* Stores through shared mappings reach the disk first: the header mkswap
     * wrote through one, say. Then the mark, under the lock a write or a
     * truncate holds across its change (one in progress ends before it, every
     * later one sees it and is refused), and under the mount's, which an unlink
     * holds from its check of the mark to its end: the last name may have gone
     * since swapon looked the path up (Linux: d_unlinked, -ENOENT). */
    error = page_cache_sync(o, 0, pages_for(o->size));
    if (error != 0)
        return error;
    inode_size_lock(ip);
    mount_lock(ip->mount);
    error = ip->unlinked ? -ENOENT : 0;
    if (error == 0) {
        ip->swapfile = true;
        o->no_shared_stores = true; /* SIGBUS from now on, as Linux 6.1 answers */
    }
    mount_unlock(ip->mount);
    inode_size_unlock(ip);
    if (error != 0)
        return error;
    /* Swap's writes go around the cache: no page of the file may stay in it
     * (nor in a mapping) to disagree with the disk later. */
    page_cache_punch_hole(o, 0, pages_for(o->size));
    *out = (struct swapfile_layout){ ip->mount->ext2->dev, ip->mount->ext2->block_size, o->size };
    return 0;
}

void swapfile_release(struct inode *ip)
{
    /* a read or a mapping may have cached pages of it since swapon: they show
     * what the disk held then, not what swap wrote afterwards */
    page_cache_punch_hole(&ip->pages, 0, pages_for(ip->pages.size));
    inode_size_lock(ip);
    ip->swapfile = false;
    ip->pages.no_shared_stores = false;
    inode_size_unlock(ip);
}

int64_t swapfile_read(struct inode *ip, uint64_t offset, void *buf, uint64_t count)
{
    struct mount *m = ip->mount;
    mount_lock(m);
    int64_t got = ext2_file_read(m->ext2, ip->ino, offset, buf, count);
    mount_unlock(m);
    return got;
}

int swapfile_bmap(struct inode *ip, uint64_t block, uint64_t *disk_block)
{
    struct mount *m = ip->mount;
    struct ext2_inode inode;
    uint32_t found = 0;
    mount_lock(m);
    int error = ext2_inode_read(m->ext2, ip->ino, &inode);
    if (error == 0 && !ext2_inode_has_block_map(m->ext2, &inode))
        error = -EIO;
    if (error == 0)
        error = ext2_bmap_lookup(m->ext2, ip->ino, &inode, block, &found);
    mount_unlock(m);
    *disk_block = found;
    return error == 0 ? 0 : -EIO;
}
