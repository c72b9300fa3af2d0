/*
 * chardev.h — character devices: the console, /dev/null, /dev/zero.
 *
 * A character device is a kind of file that is not stored anywhere: reading and
 * writing call a driver. Each has Linux's device number (major, minor), which
 * fstat reports in st_rdev, so a program can tell /dev/null (1, 3) from any
 * other file. devfs.c gives them their names under /dev.
 */
#ifndef KERNEL_FS_CHARDEV_H
#define KERNEL_FS_CHARDEV_H

#include <stdint.h>

#include "file.h"

struct chardev {
    const char *name; /* its name under /dev */
    uint32_t major, minor;
    uint32_t mode; /* S_IFCHR and the permission bits, as a Linux /dev has them */
    const struct file_ops *ops;
};

/* The devices there are (Linux's numbers):
 *   console  5, 1   the terminal: kernel/tty.c's line discipline
 *   tty      5, 0   "my terminal": here always the console
 *   null     1, 3   reads end at once, writes vanish
 *   zero     1, 5   reads give zero bytes, writes vanish */
extern const struct chardev chardev_console, chardev_tty, chardev_null, chardev_zero;

#endif
