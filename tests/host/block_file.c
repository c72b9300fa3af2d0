/*
 * block_file.c — the file-backed block device of block_file.h.
 */
#undef snprintf
#undef vsnprintf

#include "tests/host/block_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"

#define MAX_DEVICES 8

struct block_device {
    int fd;
    char name[16];
    uint64_t sectors;
    int64_t fail_after; /* requests until failures start; -1: never */
    bool read_only;     /* writes refused with -EROFS, as a readonly=on virtio disk */
    struct block_stats stats;
};

static struct block_device *devices[MAX_DEVICES];

struct block_device *block_file_open(const char *path, const char *name)
{
    int fd = open(path, O_RDWR);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(path);
        return NULL;
    }
    for (int i = 0; i < MAX_DEVICES; i++) {
        if (devices[i] != NULL)
            continue;
        struct block_device *dev = calloc(1, sizeof *dev);
        dev->fd = fd;
        snprintf(dev->name, sizeof dev->name, "%s", name);
        dev->sectors = (uint64_t)st.st_size / BLOCK_SECTOR_SIZE;
        dev->fail_after = -1;
        devices[i] = dev;
        return dev;
    }
    close(fd);
    return NULL;
}

void block_file_close(struct block_device *dev)
{
    for (int i = 0; i < MAX_DEVICES; i++)
        if (devices[i] == dev)
            devices[i] = NULL;
    close(dev->fd);
    free(dev);
}

void block_file_fail_after(struct block_device *dev, int64_t requests)
{
    dev->fail_after = requests;
}

struct block_device *block_device_find(const char *name)
{
    for (int i = 0; i < MAX_DEVICES; i++)
        if (devices[i] != NULL && strcmp(devices[i]->name, name) == 0)
            return devices[i];
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

void block_file_set_read_only(struct block_device *dev, bool read_only)
{
    dev->read_only = read_only;
}

const char *block_device_name(const struct block_device *dev)
{
    return dev->name;
}

/* Count a request; -EIO if the device has been told to fail by now. */
static int start_request(struct block_device *dev)
{
    dev->stats.requests++;
    if (dev->fail_after == 0) {
        dev->stats.errors++;
        return -EIO;
    }
    if (dev->fail_after > 0)
        dev->fail_after--;
    return 0;
}

/* The range checks of the real block layer. */
static int check_range(const struct block_device *dev, uint64_t sector, uint32_t count)
{
    if (count == 0 || sector >= dev->sectors || count > dev->sectors - sector)
        return -EINVAL;
    return 0;
}

int block_read(struct block_device *dev, uint64_t sector, uint32_t count, void *buf)
{
    int err = check_range(dev, sector, count);
    if (err == 0)
        err = start_request(dev);
    if (err != 0)
        return err;
    size_t bytes = (size_t)count * BLOCK_SECTOR_SIZE;
    if (pread(dev->fd, buf, bytes, (off_t)(sector * BLOCK_SECTOR_SIZE)) != (ssize_t)bytes)
        return -EIO;
    dev->stats.sectors_read += count;
    return 0;
}

int block_write(struct block_device *dev, uint64_t sector, uint32_t count, const void *buf)
{
    if (dev->read_only)
        return -EROFS;
    int err = check_range(dev, sector, count);
    if (err == 0)
        err = start_request(dev);
    if (err != 0)
        return err;
    size_t bytes = (size_t)count * BLOCK_SECTOR_SIZE;
    if (pwrite(dev->fd, buf, bytes, (off_t)(sector * BLOCK_SECTOR_SIZE)) != (ssize_t)bytes)
        return -EIO;
    dev->stats.sectors_written += count;
    return 0;
}

int block_flush(struct block_device *dev)
{
    return start_request(dev);
}

struct block_stats block_stats(const struct block_device *dev)
{
    return dev->stats;
}
