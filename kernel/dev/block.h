/*
 * block.h — the block layer: disks as numbered 512-byte sectors.
 *
 * A caller asks for sectors; the block layer checks the range, cuts the transfer
 * into requests the device accepts, hands each to the device's driver and puts
 * the caller to sleep until the device's interrupt says the request is done
 * (other processes run meanwhile). Devices are named in the order they were
 * found: vda, vdb, ...
 */
#ifndef KERNEL_DEV_BLOCK_H
#define KERNEL_DEV_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define BLOCK_SECTOR_SIZE 512

struct block_device; /* opaque to callers */

/* The device called name ("vda", "vdb"...), or NULL. */
struct block_device *block_device_find(const char *name);

uint64_t block_sector_count(const struct block_device *dev);
const char *block_device_name(const struct block_device *dev);

/* Does the device refuse writes (QEMU's readonly=on: virtio's VIRTIO_BLK_F_RO)?
 * Then block_write is -EROFS without a request, and a file system on it mounts
 * read-only. */
bool block_read_only(const struct block_device *dev);

/* Synchronous for the caller: the request is queued, the caller sleeps until the
 * device's interrupt completes it (other processes run meanwhile). count >= 1,
 * buf is kernel memory of count * 512 bytes (any alignment; the driver copies or
 * maps as it needs). 0, or -EIO (device error: one kernel log line), -EINVAL (out
 * of range / count 0), -EROFS (a write to a read-only device). Never panics on a
 * device error. */
int block_read(struct block_device *dev, uint64_t sector, uint32_t count, void *buf);
int block_write(struct block_device *dev, uint64_t sector, uint32_t count, const void *buf);

/* Ask the device to put everything written so far on stable storage. 0 or -EIO. */
int block_flush(struct block_device *dev);

struct block_stats {
    uint64_t requests;        /* requests sent to the device (a long transfer is several) */
    uint64_t sectors_read;    /* by requests that succeeded */
    uint64_t sectors_written; /* ditto */
    uint64_t errors;          /* requests the device failed */
    uint64_t wait_ns;         /* time callers spent waiting, summed over callers */
};
struct block_stats block_stats(const struct block_device *dev);

/* Print one line of counters per device (at the end of a run). */
void block_print_stats(void);

/* ---- for drivers ---- */

enum block_op { BLOCK_OP_READ, BLOCK_OP_WRITE, BLOCK_OP_FLUSH };

/* One request to a device, owned by the caller that waits for it. */
struct block_request {
    struct block_device *dev;
    enum block_op op;
    uint64_t sector;
    uint32_t count; /* sectors; 0 for a flush */
    void *buf;      /* count * 512 bytes of kernel memory */
    int result;     /* 0 or -EIO, set by block_complete */
    volatile bool done;
};

struct block_driver {
    /* Start r on the device (called with interrupts off). 0 if started; -EAGAIN
     * if the device has no room now (the caller waits for a completion and tries
     * again); another -errno if r can never be done (it then fails at once). */
    int (*submit)(void *driver_data, struct block_request *r);
};

/* Make a device known under the next free name (vda, vdb, ...): sectors of 512
 * bytes, at most max_request_sectors per request, read_only if it refuses writes.
 * NULL if there are too many. */
struct block_device *block_register(const struct block_driver *driver, void *driver_data,
                                    uint64_t sectors, uint32_t max_request_sectors, bool read_only);

/* The driver's interrupt handler: r has finished with result (0 or -EIO). Wakes
 * the caller waiting for it. */
void block_complete(struct block_request *r, int result);

#endif
