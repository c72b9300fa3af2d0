/*
 * file_pages.h — a regular file as a memory object (mm/object.h): its page cache.
 *
 * The page cache is mm/'s; what a file adds is how its pages are read from and
 * written to the disk (through the ext2 core, under the mount's lock), and that its
 * users are counted on its inode, so a mapping keeps the file alive after close().
 * read(), write(), mmap and execve all reach the file's data through the object
 * inode_pages returns.
 */
#ifndef KERNEL_FS_FILE_PAGES_H
#define KERNEL_FS_FILE_PAGES_H

#include <stdint.h>

struct inode;
struct mem_object;

/* The page-cache object of a regular file on an ext2 mount (set up on first use,
 * with the file's size from the disk); NULL for anything else, or -EIO reading
 * the size (*error says which: -ENODEV, -EIO). */
struct mem_object *inode_pages(struct inode *ip, int *error);

/* The inode whose page cache o is, or NULL (o is another kind of object). */
struct inode *file_pages_inode(const struct mem_object *o);

#endif
