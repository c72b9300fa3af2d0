/*
 * devfs.c — /dev by name (devfs.h).
 */
#include "devfs.h"

#include "chardev.h"
#include "disknode.h"
#include "kernel/errno.h"
#include "lib/string.h"

static const struct chardev *const devices[] = {
    &chardev_console,
    &chardev_tty,
    &chardev_null,
    &chardev_zero,
};

#define DEVICE_COUNT ((int)(sizeof devices / sizeof devices[0]))

int devfs_find(const char *name, size_t len)
{
    const struct chardev *dev;
    for (int i = 0; (dev = devfs_device(i)) != NULL; i++) {
        if (strlen(dev->name) == len && memcmp(name, dev->name, len) == 0)
            return i;
    }
    return -1;
}

/* The character devices, then the disks there are (disknode.h): the disks are
 * named in order, so they leave no gap. */
const struct chardev *devfs_device(int i)
{
    if (i < 0)
        return NULL;
    return i < DEVICE_COUNT ? devices[i] : disknode_at(i - DEVICE_COUNT);
}

int devfs_open(const struct chardev *dev, uint32_t flags, struct file **file)
{
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    /* open() keeps only the flags a description carries (O_CREAT, O_TRUNC, O_EXCL,
     * O_NOCTTY act at the open and are gone); 64-bit Linux adds O_LARGEFILE */
    uint32_t kept = (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT)) | O_LARGEFILE;
    *file = file_alloc(dev->ops, kept, (void *)dev);
    return *file != NULL ? 0 : -ENOMEM;
}
