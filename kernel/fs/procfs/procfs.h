/*
 * procfs.h — /proc: the kernel's own records, shown as files.
 *
 * Nothing under /proc is stored anywhere. Each name is a question the kernel
 * answers when it is read: /proc/meminfo asks the frame allocator, /proc/PID/maps
 * walks that process's regions, /proc/PID/smaps its page tables too. The VFS
 * mounts it at /proc (mount.c, FS_PROC) and calls these for its inodes:
 *
 *   /proc                      meminfo vmstat uptime loadavg stat cpuinfo mounts
 *                              filesystems version, self -> PID, and a directory
 *   /proc/PID/                 per process: maps smaps smaps_rollup status statm
 *                              stat cmdline comm, exe -> its program, cwd -> its
 *                              working directory, fd/N -> what descriptor N is
 *
 * README.md (in this folder) tells it with real output.
 */
#ifndef KERNEL_FS_PROCFS_PROCFS_H
#define KERNEL_FS_PROCFS_PROCFS_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/fs/file.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/vfs.h"

#define PROCFS_ROOT_INO 1 /* /proc itself (Linux's is 1 too) */

/* The inode named name (len bytes) in /proc directory dir, with a reference:
 * 0 and *out, or -ENOENT (no such name, a process that is gone), -ENOMEM. */
int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);

/* dir's entries from *pos on, as fs_readdir (mount.h) wants them: ".", "..", the
 * fixed names, then one per process (the root), per descriptor (fd/). 0. */
int procfs_readdir(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx);

/* The target of link ip (self, exe, cwd, fd/N) into buf, as fs_readlink: its
 * length, or -EINVAL (not a link), -ENOENT (the process is gone, or has no such
 * thing), -ENAMETOOLONG. */
long procfs_readlink(struct inode *ip, char *buf, size_t size);

/* Open the file ip with open()'s flags: 0 and *file, or -EEXIST (O_CREAT |
 * O_EXCL), -ENOTDIR (O_DIRECTORY), -ENOENT (its process is gone), -ENOMEM. */
int procfs_open(struct inode *ip, uint32_t flags, struct file **file);

/* Is ip a /proc/PID/exe link? execve follows it to the program itself (which
 * may be a boot module, not on any disk): sys_execve asks, then runs the target. */
bool procfs_is_exe_link(const struct inode *ip);

#endif
