/*
 * bootfs.h — the boot modules as read-only files: /bin/<name>.
 *
 * GRUB loads each `module2 /boot/modules/hello hello` into memory and tells us
 * where (kernel/bootinfo.c); the text after the path is the file's name. The
 * files live in physical memory the frame allocator keeps out of its pool, and
 * are read through the direct map. A program is looked up here first, then on
 * the disk (exec.c): a boot module /bin/NAME hides the disk's /bin/NAME.
 */
#ifndef KERNEL_BOOTFS_H
#define KERNEL_BOOTFS_H

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"
#include "mm/object.h"

/* A boot module is a memory object too (mm/object.h): its pages are copied from
 * the module into the page cache on first touch, so every process running it
 * shares one copy of its text, as with a program on the disk. */
struct bootfs_file {
    const char *name;    /* "hello" for /bin/hello */
    const uint8_t *data; /* the contents, through the direct map */
    size_t size;
    struct mem_object pages; /* its page cache */
};

/* Register every boot module as /bin/<its name>. */
void bootfs_init(const struct boot_info *info);

/* The file at path ("/bin/hello"), or NULL. */
const struct bootfs_file *bootfs_lookup(const char *path);

struct program_source;

/* The boot module at path as a program source (program_source.h): 0, or -ENOENT. */
int bootfs_open_program(const char *path, struct program_source *src);

#endif
