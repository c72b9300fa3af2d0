/*
 * program_file.c — reading a program from a file of the VFS (program_file.h).
 */
#include "program_file.h"

#include "file_pages.h"
#include "inode.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/page_cache.h"
#include "mm/pmm.h"
#include "mount.h"
#include "namei.h"

#define EXEC_BITS 0111 /* S_IXUSR | S_IXGRP | S_IXOTH: root may run a file with any of them */

/* n bytes at offset (the headers), through the page cache: the pages read stay
 * cached, for the mapping of the segments that follows. Bytes past the end of the
 * file (it shrank): -EIO, as a device error. */
static int file_read_at(const struct program_source *src, uint64_t offset, void *buf, size_t n)
{
    uint8_t *to = buf;
    while (n > 0) {
        if (offset >= src->object->size)
            return -EIO;
        paddr_t frame;
        int error = page_cache_get(src->object, offset / PAGE_SIZE, &frame, NULL);
        if (error != 0)
            return -EIO;
        size_t at = offset % PAGE_SIZE, piece = PAGE_SIZE - at < n ? PAGE_SIZE - at : n;
        memcpy(to, (const uint8_t *)phys_to_virt(frame) + at, piece);
        pmm_unref(frame);
        to += piece;
        offset += piece;
        n -= piece;
    }
    return 0;
}

/* May ip be executed? Linux's rule for root: a regular file with at least one x
 * bit; never a directory or a device (-EACCES). Regular files live on ext2 only. */
static int may_execute(const struct inode *ip)
{
    if ((ip->mode & S_IFMT) != S_IFREG || ip->mount->kind != FS_EXT2)
        return -EACCES;
    return (ip->mode & EXEC_BITS) != 0 ? 0 : -EACCES;
}

int program_file_open(struct inode *start, const char *path, struct program_source *src)
{
    struct inode *ip;
    int error = namei(start, path, NAMEI_FOLLOW, &ip);
    if (error != 0)
        return error;
    error = may_execute(ip);
    if (error == 0 && (ip->writers > 0 || ip->swapfile))
        error = -ETXTBSY; /* open for writing, or an active swap area (Linux's swapon
                           * holds it open O_RDWR): its text could change under it */
    struct mem_object *pages = error == 0 ? inode_pages(ip, &error) : NULL;
    if (error != 0) {
        inode_put(ip);
        return error;
    }
    *src = (struct program_source){
        .size = pages->size, .read_at = file_read_at, .object = pages, .inode = ip
    };
    return 0;
}

void program_file_close(struct program_source *src)
{
    if (src->read_at == file_read_at)
        inode_put(src->inode);
    src->inode = NULL;
}
