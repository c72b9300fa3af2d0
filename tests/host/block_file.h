/*
 * block_file.h — a block device for host tests, backed by an image file: it
 * implements kernel/dev/block.h's functions with pread/pwrite, so the ext2 code
 * runs unchanged over a disk image made by mke2fs. Test-only; never in the kernel.
 */
#ifndef TESTS_HOST_BLOCK_FILE_H
#define TESTS_HOST_BLOCK_FILE_H

#include <stdbool.h>
#include <stdint.h>

struct block_device;

/* Open the image at path as device `name` (block_device_find finds it); NULL on
 * error (a test failure says why). */
struct block_device *block_file_open(const char *path, const char *name);

/* Close and forget the device. */
void block_file_close(struct block_device *dev);

/* Make every request after the next `requests` fail with -EIO (a dying disk);
 * -1 turns failures off. */
void block_file_fail_after(struct block_device *dev, int64_t requests);

/* Make the device refuse writes (-EROFS), as QEMU's readonly=on does. */
void block_file_set_read_only(struct block_device *dev, bool read_only);

#endif
