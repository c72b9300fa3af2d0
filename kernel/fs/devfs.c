/*
 * devfs.c — /dev by name (devfs.h).
 */
#include "devfs.h"

#include "chardev.h"
#include "kernel/errno.h"
#include "lib/string.h"

#define DEV_PREFIX "/dev/"

static const struct chardev *const devices[] = {
    &chardev_console,
    &chardev_tty,
    &chardev_null,
    &chardev_zero,
};

/* The device named by an absolute path, or NULL. Only "/dev/NAME" exactly: the
 * lookup of "//dev/./null" and relative paths comes with the VFS. */
static const struct chardev *lookup(const char *path)
{
    size_t prefix = strlen(DEV_PREFIX);
    if (strncmp(path, DEV_PREFIX, prefix) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
        if (strcmp(path + prefix, devices[i]->name) == 0)
            return devices[i];
    }
    return NULL;
}

int devfs_open(const char *path, uint32_t flags, struct file **file)
{
    const struct chardev *dev = lookup(path);
    if (dev == NULL)
        return -ENOENT; /* files on the disk come with the VFS */
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
