/*
 * umask.h — the file mode creation mask: permission bits a process's new files
 * never get.
 *
 * open(O_CREAT), creat and mkdir name the permissions a new file should have; the
 * kernel clears from them the bits set in the caller's umask (022 for init: no
 * write for the group and others). fork copies the mask, execve keeps it, and
 * umask(2) changes it, returning the old one.
 */
#ifndef KERNEL_FS_UMASK_H
#define KERNEL_FS_UMASK_H

#include <stdint.h>

#define UMASK_DEFAULT  0022  /* init's, as Linux's init gets it */
#define MODE_PERM_MASK 07777 /* the permission bits, setuid, setgid and sticky */

/* The permission bits a file created now with mode gets: mode & 07777, minus the
 * calling process's umask. */
uint32_t umask_apply(uint32_t mode);

#endif
