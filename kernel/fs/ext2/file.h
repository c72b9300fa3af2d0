/*
 * file.h — the bytes of a regular file: read and write at any offset and length,
 * growing the file (and its block map) as needed, and truncate.
 *
 * File data goes straight between the caller's buffer and the disk (whole blocks,
 * several adjacent ones in one request); only a partial block passes through a
 * bounce buffer. The buffer cache is for metadata. Holes read as zeros.
 */
#ifndef KERNEL_FS_EXT2_FILE_H
#define KERNEL_FS_EXT2_FILE_H

#include <stdint.h>

struct ext2_fs;

/* Up to count bytes from offset into buf (fewer at the end of the file; 0 at or past
 * it); a symlink reads as its target. Bytes read, or -EISDIR, -EINVAL (a device,
 * fifo or socket), -EIO. */
int64_t ext2_file_read(struct ext2_fs *fs, uint32_t ino, uint64_t offset, void *buf,
                       uint64_t count);

/* Write count bytes of buf at offset, extending the file (a gap becomes a hole).
 * Bytes written: all of them, or fewer when the disk filled up or the largest file
 * size was reached; an error only if none were: -ENOSPC, -EFBIG, -EISDIR, -EROFS,
 * -EIO. Sets mtime and ctime. */
int64_t ext2_file_write(struct ext2_fs *fs, uint32_t ino, uint64_t offset, const void *buf,
                        uint64_t count);

/* Make the file size bytes long: shrinking frees the blocks past the end and zeros
 * the rest of the last block; growing leaves a hole. 0, -EISDIR, -EFBIG, -EROFS, -EIO. */
int ext2_file_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size);

#endif
