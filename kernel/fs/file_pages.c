/*
 * file_pages.c — the object operations of a regular file (file_pages.h).
 */
#include "file_pages.h"

#include "ext2/file.h"
#include "ext2/namei.h"
#include "inode.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kheap.h"
#include "mm/object.h"
#include "mm/page_cache.h"
#include "mm/pmm.h"
#include "mount.h"

static struct inode *inode_of(struct mem_object *o)
{
    return o->owner;
}

/* count pages from index on: straight into the frame for one page; for more, one
 * request for the whole run (the disk reads contiguous blocks together) into the
 * mount's read buffer (allocated once, used under the lock), then a copy into each
 * frame. The copy costs far less than a request per page. */
static int file_read_pages(struct mem_object *o, uint64_t index, size_t count, void *const pages[])
{
    struct inode *ip = inode_of(o);
    struct mount *m = ip->mount;
    mount_lock(m);
    if (count > 1 && m->read_buffer == NULL)
        m->read_buffer = kmalloc(PAGE_CACHE_READAHEAD * PAGE_SIZE);
    if (count > 1 && m->read_buffer == NULL) {
        /* memory is short: page by page, each straight into its frame */
        mount_unlock(m);
        for (size_t i = 0; i < count; i++) {
            int error = file_read_pages(o, index + i, 1, &pages[i]);
            if (error != 0)
                return error;
        }
        return 0;
    }
    uint8_t *buf = count == 1 ? pages[0] : m->read_buffer;
    int64_t got = m->kind == FS_EXT2
                      ? ext2_file_read(m->ext2, ip->ino, index * PAGE_SIZE, buf, count * PAGE_SIZE)
                      : -EIO; /* unmounted under it */
    /* short of what the file holds there: a block could not be read (ext2 returns
     * the bytes before it); the pages cannot be cached as they are */
    uint64_t start = index * PAGE_SIZE;
    uint64_t expected = o->size > start ? o->size - start : 0;
    if (expected > count * PAGE_SIZE)
        expected = count * PAGE_SIZE;
    if (got >= 0 && (uint64_t)got < expected)
        got = -EIO;
    if (got >= 0 && buf != pages[0]) {
        /* bytes past what the file holds stay as they were in the buffer: clear them */
        memset(buf + got, 0, count * PAGE_SIZE - (size_t)got);
        for (size_t i = 0; i < count; i++)
            memcpy(pages[i], buf + i * PAGE_SIZE, PAGE_SIZE);
    }
    mount_unlock(m);
    return got < 0 ? -EIO : 0;
}

/* Is src still the contents of o's cached page index? A truncate takes the pages
 * it cuts out of the cache before it takes the mount's lock to free their blocks;
 * so, under that lock, a page no longer cached is one a truncate cut (and the
 * file may have grown again since: its bytes there are zeros now). */
static bool still_cached(struct mem_object *o, uint64_t index, const void *src)
{
    paddr_t frame = page_cache_peek(o, index);
    return frame != PMM_NO_FRAME && phys_to_virt(frame) == src;
}

/* Write back bytes of page index. A short write (the disk filled up filling a
 * hole) is -ENOSPC. The size is looked at again under the lock: waiting for it, a
 * truncate may have cut the file, and what lies past the end now must not be
 * written (it would grow the file again); nor a page the truncate cut, even if
 * the file has grown past it again since (its old bytes would come back). */
static int file_write_page(struct mem_object *o, uint64_t index, const void *src, size_t bytes)
{
    struct inode *ip = inode_of(o);
    struct mount *m = ip->mount;
    mount_lock(m);
    uint64_t start = index * PAGE_SIZE;
    if (ip->swapfile) {
        /* an active swap area: its blocks hold swapped-out pages now, which a
         * store through a shared mapping must not overwrite; the stores are
         * lost, as for any failed write-back (swapfile.h) */
        mount_unlock(m);
        return -EIO;
    }
    if (start >= o->size || !still_cached(o, index, src))
        bytes = 0;
    else if (o->size - start < bytes)
        bytes = (size_t)(o->size - start);
    int64_t put = m->kind != FS_EXT2 ? -EIO
                  : bytes == 0       ? 0
                                     : ext2_file_write(m->ext2, ip->ino, start, src, bytes);
    mount_unlock(m);
    if (put < 0)
        return (int)put;
    return (size_t)put < bytes ? -ENOSPC : 0;
}

/* A user of the file: a region, or the page cache across a read or a write-back
 * (the inode may be one kept only for its pages, with no other user). */
static void file_get(struct mem_object *o)
{
    inode_hold(inode_of(o));
}

static void file_put(struct mem_object *o)
{
    inode_put(inode_of(o));
}

static void file_emptied(struct mem_object *o)
{
    inode_pages_emptied(inode_of(o));
}

static const struct object_ops file_ops = {
    .kind = "file",
    .read_pages = file_read_pages,
    .write_page = file_write_page,
    .get = file_get,
    .put = file_put,
    .emptied = file_emptied,
};

struct inode *file_pages_inode(const struct mem_object *o)
{
    return o != NULL && o->ops == &file_ops ? o->owner : NULL;
}

struct mem_object *inode_pages(struct inode *ip, int *error)
{
    *error = 0;
    if (ip->has_pages)
        return &ip->pages;
    if ((ip->mode & S_IFMT) != S_IFREG || ip->mount->kind != FS_EXT2) {
        *error = -ENODEV;
        return NULL;
    }
    struct mount *m = ip->mount;
    struct ext2_stat st;
    mount_lock(m);
    int err = ext2_stat(m->ext2, ip->ino, &st);
    mount_unlock(m);
    if (err != 0) {
        *error = err;
        return NULL;
    }
    if (!ip->has_pages) { /* not set up by someone else while we slept */
        object_init(&ip->pages, &file_ops, ip, st.size);
        ip->has_pages = true;
    }
    return &ip->pages;
}
