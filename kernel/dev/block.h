/*
 * block.h — the block-device API (issue 12's design note): what the file system
 * asks of a disk. Sectors are 512 bytes; requests are synchronous for the caller.
 */
#ifndef KERNEL_DEV_BLOCK_H
#define KERNEL_DEV_BLOCK_H

#include <stdint.h>

#define BLOCK_SECTOR_SIZE 512

struct block_device; /* opaque to callers */

/* The device called name ("vda", "vdb", ...), or NULL. */
struct block_device *block_device_find(const char *name);
uint64_t block_sector_count(const struct block_device *dev);
const char *block_device_name(const struct block_device *dev);

/* Synchronous for the caller: the request is queued, the caller sleeps until the
 * device's interrupt completes it (other processes run meanwhile). count >= 1,
 * buf is kernel memory of count * 512 bytes (any alignment; the driver copies or
 * maps as it needs). 0, or -EIO (device error: one kernel log line), -EINVAL (out
 * of range / count 0). Never panics on a device error. */
int block_read(struct block_device *dev, uint64_t sector, uint32_t count, void *buf);
int block_write(struct block_device *dev, uint64_t sector, uint32_t count, const void *buf);
int block_flush(struct block_device *dev);

struct block_stats {
    uint64_t requests, sectors_read, sectors_written, errors, wait_ns;
};
struct block_stats block_stats(const struct block_device *dev);

#endif
