/*
 * mount.h — the mount table and what each kind of file system answers: look a
 * name up in a directory, describe an inode (stat), list a directory.
 *
 * The ext2 core is not re-entrant and a call into it may sleep in block I/O, so
 * every ext2 call is made between mount_lock and mount_unlock of its mount: one
 * process at a time inside one file system.
 */
#ifndef KERNEL_FS_MOUNT_H
#define KERNEL_FS_MOUNT_H

#include <stddef.h>

#include "vfs.h"

/* Mount "/" (ext2 on vda if vda holds one, else an empty directory) and devfs at
 * /dev. Called once at boot, before the first program. */
void vfs_init(void);

/* The root directory "/" (the caller takes no reference), and the mounts. */
struct inode *vfs_root(void);
struct mount *mount_at(int slot); /* NULL past the last; slot >= 0 */

/* Does a mounted file system live on disk dev (swapon refuses it: -EBUSY)? */
struct block_device;
bool vfs_disk_mounted(const struct block_device *dev);

/* The mount hiding name (len bytes) in directory dir, or NULL. */
struct mount *mount_covering(const struct inode *dir, const char *name, size_t len);

/* One process at a time inside a file system (ext2 sleeps in block I/O). */
void mount_lock(struct mount *m);
void mount_unlock(struct mount *m);

/* The inode named name (len bytes, not "." and not a mount point) in directory dir,
 * with a reference. 0 and *out, or -ENOENT, -ENOTDIR, -EIO, -ENOMEM. */
int fs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);

/* The target of symbolic link ip into buf (size bytes, no zero added): its length,
 * or -EINVAL (not a link), -ENOENT (empty), -ENAMETOOLONG (size or more), -EIO. */
long fs_readlink(struct inode *ip, char *buf, size_t size);

/* Linux's struct stat of ip. 0 or -EIO. */
int fs_stat(struct inode *ip, struct linux_stat *st);

/* Called for each directory entry by fs_readdir; next is where the entry after it
 * starts. Return nonzero to stop before this entry. */
typedef int (*fs_emit_fn)(void *ctx, const char *name, size_t len, uint64_t ino, uint8_t d_type,
                          uint64_t next);

/* Emit dir's entries from *pos until the end or emit stops; *pos: where to go on.
 * 0, -ENOTDIR, -EIO. */
int fs_readdir(struct inode *dir, uint64_t *pos, fs_emit_fn emit, void *ctx);

/* A new regular file named name (len bytes) in directory dir, with permission bits
 * mode (the umask already applied), with a reference. 0 and *out, or -EEXIST,
 * -ENOTDIR, -ENAMETOOLONG, -ENOSPC, -ENOENT (a directory held in the kernel), -EIO. */
int fs_create(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);

/* Take back what fs_create just made, when the call that made it fails after all
 * (no memory for the open file): the name goes, and the inode with the last
 * reference to it. A call that fails must leave nothing behind -- the kernel may
 * run it again after freeing memory (kernel/oom.h), and open(O_CREAT|O_EXCL)
 * would then find its own file: EEXIST. */
void fs_uncreate(struct inode *dir, const char *name, size_t len);

/* Make regular file ip size bytes long. 0, -EISDIR, -EINVAL (not a regular file on
 * a disk), -EFBIG, -EIO. */
int fs_truncate(struct inode *ip, uint64_t size);

/* Are ip's file system's files read-only (ext2 on a read-only disk, or with a
 * feature it does not know)? Opening one of its files for writing is -EROFS. */
bool fs_read_only(const struct inode *ip);

/* Write the page cache's dirty pages (stores through shared mappings) and mount
 * m's dirty metadata back, and flush its device (nothing to do for a file system
 * held in the kernel). 0 or -EIO. */
int fs_sync(struct mount *m);

/* Write back every dirty page, then drop every clean cached page nobody maps and
 * every inode kept only for its pages (Linux's drop_caches; the memory check at
 * the end of a run uses it to see every frame come back). */
void vfs_drop_caches(void);

/* fs_sync of every mount (sync(2)). */
void vfs_sync_all(void);

/* At a clean power-off: unmount every disk file system (write back, mark clean,
 * flush). Nothing may use them afterwards. A mount some process is inside (asleep
 * in block I/O): with wait, the caller (a process: reboot(2)) sleeps until that
 * call is done; without (the end of the run, the idle loop: they cannot sleep),
 * it is left as it is, with a log line. */
void vfs_unmount_all(bool wait);

#endif
