/*
 * block.c — the block layer: range checks, splitting, sleeping until the interrupt.
 *
 * The path of one block_read:
 *
 *   block_read(vda, 1000, 300, buf)      range check: 1000 + 300 <= sectors
 *     -> request 1: sectors 1000..1255   (the device takes at most 256 at once)
 *          submit (driver: descriptors into the virtqueue, notify the device)
 *          sleep_on(request)             another process runs
 *          ... the device's interrupt: block_complete(request) -> wakeup(request)
 *     -> request 2: sectors 1256..1299   the same
 *
 * Everything that the interrupt handler also touches (the request's done flag, the
 * driver's queue) is looked at with interrupts off.
 */
#include "block.h"

#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/x86.h"
#include "lib/format.h"
#include "lib/string.h"

#define BLOCK_MAX_DEVICES 4 /* vda .. vdd */
#define BLOCK_NAME_MAX    8
#define NS_PER_MS         1000000ul

struct block_device {
    char name[BLOCK_NAME_MAX];
    const struct block_driver *driver;
    void *driver_data;
    uint64_t sectors;
    uint32_t max_request_sectors;
    bool read_only; /* writes are -EROFS here, before the device is asked */
    struct block_stats stats;
    volatile uint64_t completions; /* requests the device finished, ever */
};

static struct block_device devices[BLOCK_MAX_DEVICES];
static unsigned device_count;

struct block_device *block_register(const struct block_driver *driver, void *driver_data,
                                    uint64_t sectors, uint32_t max_request_sectors, bool read_only)
{
    if (device_count == BLOCK_MAX_DEVICES)
        return NULL;
    assert(max_request_sectors > 0, "block_register: a device that takes no sectors");
    struct block_device *dev = &devices[device_count];
    *dev = (struct block_device){ .driver = driver,
                                  .driver_data = driver_data,
                                  .sectors = sectors,
                                  .max_request_sectors = max_request_sectors,
                                  .read_only = read_only };
    snprintf(dev->name, sizeof dev->name, "vd%c", 'a' + device_count);
    device_count++;
    return dev;
}

struct block_device *block_device_find(const char *name)
{
    for (unsigned i = 0; i < device_count; i++) {
        if (strcmp(devices[i].name, name) == 0)
            return &devices[i];
    }
    return NULL;
}

uint64_t block_sector_count(const struct block_device *dev)
{
    return dev->sectors;
}

bool block_read_only(const struct block_device *dev)
{
    return dev->read_only;
}

const char *block_device_name(const struct block_device *dev)
{
    return dev->name;
}

struct block_stats block_stats(const struct block_device *dev)
{
    uint64_t flags = irq_save(); /* the interrupt handler counts errors */
    struct block_stats copy = dev->stats;
    irq_restore(flags);
    return copy;
}

/* ---- waiting ---- */

/* Can the caller sleep? Only a process other than idle can: when idle sleeps,
 * the scheduler has nobody else to run and hands the CPU straight back. */
static bool caller_can_sleep(void)
{
    struct proc *self = current_proc();
    return self != NULL && self != proc_idle();
}

void block_complete(struct block_request *r, int result)
{
    struct block_device *dev = r->dev;
    r->result = result;
    r->done = true;
    if (result != 0)
        dev->stats.errors++;
    dev->completions++;
    wakeup(r);
    wakeup(dev); /* the device has room again */
}

/* Wait once, interrupts off, for a wakeup on channel. A process sleeps: the
 * scheduler runs others until wakeup(channel), or until a signal interrupts the
 * sleep, which is why callers look at their condition again. At boot, or in the
 * idle process (the in-kernel tests run there), there is no one to switch to: it
 * halts with interrupts on until the next interrupt instead (the device's, or the
 * timer's). */
static void wait_once(const void *channel)
{
    if (caller_can_sleep()) {
        sleep_on(channel);
    } else {
        sti_hlt();
        cli();
    }
}

/* ASSIGNMENT(block-sleep): wait for the interrupt without missing it (the disk
 * test disk_sleeping_reader_lets_another_process_run catches a busy wait).
 * Wait until the request is done. The device writes into the caller's buffer, so
 * the wait cannot be abandoned half way, not even for a fatal signal: Linux's
 * uninterruptible sleep (state D). */
static void wait_for_completion(struct block_request *r)
{
    while (!r->done)
        wait_once(r);
}

/* Hand r to the driver, waiting while the device has no room. 0 or -errno. */
static int submit(struct block_request *r)
{
    struct block_device *dev = r->dev;
    for (;;) {
        int error = dev->driver->submit(dev->driver_data, r);
        if (error != -EAGAIN)
            return error;
        uint64_t seen = dev->completions; /* any completion frees room */
        while (dev->completions == seen)
            wait_once(dev);
    }
}

/* Send one request to the device and wait for its end. 0 or -errno. */
static int do_request(struct block_device *dev, enum block_op op, uint64_t sector, uint32_t count,
                      void *buf)
{
    struct block_request r = { .dev = dev, .op = op, .sector = sector, .count = count, .buf = buf };
    uint64_t flags = irq_save();
    uint64_t start = clock_monotonic_ns();
    int error = submit(&r);
    if (error == 0) {
        wait_for_completion(&r);
        error = r.result;
    }
    dev->stats.requests++;
    dev->stats.wait_ns += clock_monotonic_ns() - start;
    if (error == 0 && op == BLOCK_OP_READ)
        dev->stats.sectors_read += count;
    if (error == 0 && op == BLOCK_OP_WRITE)
        dev->stats.sectors_written += count;
    irq_restore(flags);
    return error;
}

/* ---- reading and writing ---- */

/* Is [sector, sector + count) a non-empty range inside the device? (Written so
 * that no addition can overflow.) */
static bool range_ok(const struct block_device *dev, uint64_t sector, uint32_t count)
{
    return count != 0 && sector < dev->sectors && count <= dev->sectors - sector;
}

/* Cut [sector, sector + count) into requests the device accepts, in order;
 * stops at the first that fails. */
static int transfer(struct block_device *dev, enum block_op op, uint64_t sector, uint32_t count,
                    uint8_t *buf)
{
    if (dev == NULL || buf == NULL || !range_ok(dev, sector, count))
        return -EINVAL;
    while (count > 0) {
        uint32_t n = count < dev->max_request_sectors ? count : dev->max_request_sectors;
        int error = do_request(dev, op, sector, n, buf);
        if (error != 0)
            return error;
        sector += n;
        count -= n;
        buf += (uint64_t)n * BLOCK_SECTOR_SIZE;
    }
    return 0;
}

int block_read(struct block_device *dev, uint64_t sector, uint32_t count, void *buf)
{
    return transfer(dev, BLOCK_OP_READ, sector, count, buf);
}

int block_write(struct block_device *dev, uint64_t sector, uint32_t count, const void *buf)
{
    if (dev != NULL && dev->read_only)
        return -EROFS; /* the device would fail it: say why, and log nothing */
    /* the driver only reads the buffer for a write; the cast keeps one path */
    return transfer(dev, BLOCK_OP_WRITE, sector, count, (uint8_t *)(uintptr_t)buf);
}

int block_flush(struct block_device *dev)
{
    if (dev == NULL)
        return -EINVAL;
    return do_request(dev, BLOCK_OP_FLUSH, 0, 0, NULL);
}

void block_print_stats(void)
{
    for (unsigned i = 0; i < device_count; i++) {
        struct block_stats s = block_stats(&devices[i]);
        kprintf("block %s: %lu requests, %lu sectors read, %lu sectors written, %lu errors, "
                "%lu ms waiting\n",
                devices[i].name, s.requests, s.sectors_read, s.sectors_written, s.errors,
                s.wait_ns / NS_PER_MS);
    }
}
