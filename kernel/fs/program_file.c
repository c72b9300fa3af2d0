/*
 * program_file.c — reading a program from a file of the VFS (program_file.h).
 */
#include "program_file.h"

#include "ext2/file.h"
#include "inode.h"
#include "kernel/errno.h"
#include "mount.h"
#include "namei.h"

#define EXEC_BITS 0111 /* S_IXUSR | S_IXGRP | S_IXOTH: root may run a file with any of them */

/* n bytes at offset, through the file system under its lock. A short read means
 * the file is not what its size said (it shrank): -EIO, as a device error. */
static int file_read_at(const struct program_source *src, uint64_t offset, void *buf, size_t n)
{
    struct inode *ip = src->inode;
    mount_lock(ip->mount);
    int64_t got = ext2_file_read(ip->mount->ext2, ip->ino, offset, buf, n);
    mount_unlock(ip->mount);
    return got == (int64_t)n ? 0 : -EIO;
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
    struct linux_stat st;
    error = may_execute(ip);
    if (error == 0)
        error = fs_stat(ip, &st);
    if (error != 0) {
        inode_put(ip);
        return error;
    }
    *src = (struct program_source){ .size = (uint64_t)st.st_size,
                                    .read_at = file_read_at,
                                    .inode = ip };
    return 0;
}

void program_file_close(struct program_source *src)
{
    if (src->read_at == file_read_at)
        inode_put(src->inode);
    src->inode = NULL;
}
