/*
 * vfs.h — the virtual file system: one tree of names over several file systems.
 *
 * A program names files by path; a path is walked one component at a time from a
 * directory *inode*. The VFS keeps, for every file some process is using, one
 * in-memory `struct inode` (whichever file system holds it), found by (mount,
 * inode number) in a small cache and reference counted: an open file, a working
 * directory and a walk in progress each hold one reference. Each inode belongs to
 * one `struct mount`, a mounted file system:
 *
 *   /            the ext2 file system on vda (when vda holds one), else an empty
 *                directory that holds only the mount point below
 *   /dev         devfs: console, tty, null, zero, the disks vda... (devfs.h)
 *   /proc        procfs: the kernel's records about processes and memory (procfs/)
 *
 * kernel/fs/README.md ("The VFS") tells the walk of one path through both.
 */
#ifndef KERNEL_FS_VFS_H
#define KERNEL_FS_VFS_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/object.h"
#include "stat.h"

#define PATH_MAX 4096 /* bytes in a path, the final zero included (Linux's) */
#define NAME_MAX 255  /* bytes in one component */

struct ext2_fs;
struct chardev;

/* The kinds of mounted file system. */
enum fs_kind {
    FS_EXT2,  /* a disk: every call goes through the ext2 core under the mount's lock */
    FS_DEVFS, /* the devices, a directory held in the kernel */
    FS_EMPTY, /* the root when there is no disk: an empty directory */
    FS_PROC,  /* /proc: reports made when read (procfs/procfs.h) */
};

struct inode;

/* A mounted file system. */
struct mount {
    enum fs_kind kind;
    struct ext2_fs *ext2; /* FS_EXT2 only */
    uint64_t dev;         /* st_dev of its files */
    struct inode *root;   /* its top directory (one reference held by the mount) */
    struct inode *parent; /* the directory it is mounted in (NULL: it is "/") */
    const char *name;     /* the name it hides there ("dev") */
    bool locked;          /* a process is inside the ext2 core (mount_lock) */
    uint8_t *read_buffer; /* read-ahead runs land here, under the lock (file_pages.c) */
};

/* A file in use: one per (mount, inode number), shared by everyone using it. A
 * regular file's data in memory is its page cache (file_pages.h): while pages of it
 * are cached the inode stays in the cache, even with no user (refs 0), so that the
 * next open finds them. */
struct inode {
    struct mount *mount;
    uint32_t ino;
    uint32_t mode;                 /* S_IFMT type and permission bits */
    int refs;                      /* open files, mappings, working directories, walks */
    bool unlinked;                 /* its last name went while in use: evicted at the last put */
    bool has_pages;                /* pages is set up (file_pages.c) */
    bool size_locked;              /* a write or truncate is changing the size (inode.h) */
    int writers;                   /* open for writing: execve is -ETXTBSY meanwhile */
    int running;                   /* programs running from it: opening for writing is -ETXTBSY */
    bool swapfile;                 /* an active swap area (Linux's S_SWAPFILE, fs/swapfile.h):
                                    * no write, shrinking, unlink or rename */
    const struct chardev *chardev; /* a devfs device */
    struct mem_object pages;       /* a regular file's page cache (mm/object.h) */
    struct inode *next;            /* the cache's hash chain */
    /* The name it was last found by and the directory holding it, so /proc can name
     * the file behind a mapping or a descriptor (procfs/paths.c); NULL: none. */
    char *name;
    uint32_t parent_ino;
};

#endif
