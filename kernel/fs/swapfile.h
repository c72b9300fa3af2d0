/*
 * swapfile.h — a regular file lent to swap (swapon of a file, kernel/swap/): the
 * file system's side.
 *
 * Swap moves its pages straight between memory and the file's blocks on the
 * disk, past the file system and its page cache, so while the file is an area
 * (inode->swapfile, Linux's S_SWAPFILE) nothing else may change it or where it
 * lies: write(2), a shared writable mmap and execve are -ETXTBSY, a truncate
 * that would not grow it -ETXTBSY, unlink and rename -EPERM (Linux's generic_write_checks,
 * do_mmap, inode_newsize_ok, may_delete), and the page cache never writes a page
 * of it back (a shared mapping made writable by mprotect, or made before swapon).
 */
#ifndef KERNEL_FS_SWAPFILE_H
#define KERNEL_FS_SWAPFILE_H

#include <stdint.h>

struct inode;
struct block_device;

/* What swapon needs to know about a regular file: where its blocks are. */
struct swapfile_layout {
    struct block_device *dev; /* the disk of its file system */
    uint32_t block_size;      /* bytes in a block of it: 1024, 2048 or 4096 */
    uint64_t size;            /* the file's size in bytes */
};

/* Make regular file ip an area's: mark it (no writes from now on), write its
 * dirty cached pages back and drop every cached page, so that the disk holds its
 * bytes and no page in memory can disagree with what swap writes later. 0, or
 * -EINVAL (not a file of a disk file system), -EROFS (a read-only one), -ETXTBSY
 * (a running program: Linux's O_RDWR open would refuse), -ENOENT (its last name
 * was removed meanwhile), -EIO; unmarked then. */
int swapfile_claim(struct inode *ip, struct swapfile_layout *out);

/* The area is gone (swapoff, or a failed swapon): pages of the file read while
 * it was one may be stale, so they go; then it is an ordinary file again. */
void swapfile_release(struct inode *ip);

/* Bytes [offset, offset + count) of ip, read from the disk. Bytes read (fewer
 * at the end), or -EIO. */
int64_t swapfile_read(struct inode *ip, uint64_t offset, void *buf, uint64_t count);

/* Where block `block` of ip lies (Linux's bmap): 0 and *disk_block, 0 for a
 * hole; -EIO. Sleeps (indirect blocks). */
int swapfile_bmap(struct inode *ip, uint64_t block, uint64_t *disk_block);

#endif
