/*
 * bootfs.h — the boot modules as read-only files: /bin/<name>.
 *
 * GRUB loads each `module2 /boot/modules/hello hello` into memory and tells us
 * where (kernel/bootinfo.c); the text after the path is the file's name. The
 * files live in physical memory the frame allocator keeps out of its pool, and
 * are read through the direct map. There is no other file system yet.
 */
#ifndef KERNEL_BOOTFS_H
#define KERNEL_BOOTFS_H

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"

struct bootfs_file {
    const char *name;    /* "hello" for /bin/hello */
    const uint8_t *data; /* the contents, through the direct map */
    size_t size;
};

/* Register every boot module as /bin/<its name>. */
void bootfs_init(const struct boot_info *info);

/* The file at path ("/bin/hello"), or NULL. */
const struct bootfs_file *bootfs_lookup(const char *path);

#endif
