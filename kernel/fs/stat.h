/*
 * stat.h — what fstat tells about a file: x86-64 Linux's struct stat.
 *
 * The layout is the kernel's own (arch/x86/include/uapi/asm/stat.h), 144 bytes,
 * so a program's fstat() fills the struct its C library declares.
 */
#ifndef KERNEL_FS_STAT_H
#define KERNEL_FS_STAT_H

#include <stdint.h>

/* The kind of file, in st_mode's top bits (the rest are the permission bits). */
#define S_IFMT  0170000
#define S_IFIFO 0010000 /* a pipe */
#define S_IFCHR 0020000 /* a character device */
#define S_IFDIR 0040000
#define S_IFBLK 0060000 /* a block device (a disk: /dev/vda) */
#define S_IFREG 0100000
#define S_IFLNK 0120000

struct linux_stat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink;
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks; /* in 512-byte units */
    uint64_t st_atime_sec, st_atime_nsec;
    uint64_t st_mtime_sec, st_mtime_nsec;
    uint64_t st_ctime_sec, st_ctime_nsec;
    int64_t unused[3];
};

_Static_assert(sizeof(struct linux_stat) == 144, "struct stat is 144 bytes on x86-64 Linux");

/* A device number as st_dev and st_rdev carry it (Linux's new_encode_dev): the
 * minor's low byte, the major above it, the minor's other bits above that.
 * makedev(1, 3), /dev/null, is 0x103. */
static inline uint64_t stat_makedev(uint32_t major, uint32_t minor)
{
    return (minor & 0xff) | ((uint64_t)major << 8) | ((uint64_t)(minor & ~0xffu) << 12);
}

#endif
