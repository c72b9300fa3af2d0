/*
 * paths.h — the path of a file, for /proc to show: maps names the file behind
 * each mapping, fd/N what each descriptor is open on, exe the program.
 *
 * A region knows its memory object, the object its inode, and an inode has no
 * name: names live in directories, and one file may have several (hard links)
 * or none left (unlinked while open). Linux keeps the path an open file was
 * reached by (struct file's f_path, with its dentries). vmlab does a cheaper
 * thing: each inode remembers the last name a lookup found it by and the
 * directory holding it (inode_remember_name), and the path is rebuilt from
 * there when asked -- the directory's path (namei_path_of walks ".." up to "/")
 * then the name. A file renamed since shows its old name; an unlinked one gets
 * " (deleted)" after it, as on Linux.
 */
#ifndef KERNEL_FS_PROCFS_PATHS_H
#define KERNEL_FS_PROCFS_PATHS_H

#include <stddef.h>

struct inode;

/* The absolute path of ip into buf (size bytes, zero-terminated): its length, or
 * -ENOENT (never found by name), -ENAMETOOLONG, -EIO, -ENOMEM. May sleep
 * (reading directories). */
long procfs_path_of(struct inode *ip, char *buf, size_t size);

#endif
