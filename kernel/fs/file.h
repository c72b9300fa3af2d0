/*
 * file.h — open file descriptions: what an open() or a pipe() creates.
 *
 * An open file description (struct file) is the kernel's record of one opening:
 * which object it reaches (its operations and private data), how it was opened
 * (read, write or both; append; non-blocking) and, for files with positions, the
 * current offset. Descriptors (fdtable.h) are small numbers that point at these
 * records; dup() and fork() make a second descriptor point at the SAME record, so
 * they share its offset and flags. The record counts its references and is
 * released when the last descriptor to it is closed: then, for a pipe end, the
 * other side learns that this end is gone. kernel/fs/FILES.md tells it at length.
 */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/addr.h"
#include "stat.h"
#include "uio.h"

/* open()'s flags, with Linux's x86-64 values (octal, as in <fcntl.h>). */
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_ACCMODE   03 /* 3: neither read nor write, only ioctl (as on Linux) */
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DIRECT    040000
#define O_LARGEFILE 0100000 /* every open on 64-bit Linux has it */
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000  /* a final symbolic link is not followed: -ELOOP */
#define O_CLOEXEC   02000000 /* a property of the descriptor, never of the file */

/* The flags F_SETFL may change; the others stay as open() set them. */
#define FILE_SETFL_FLAGS (O_APPEND | O_NONBLOCK)

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_MAX 4 /* SEEK_DATA 3 and SEEK_HOLE 4 are known to Linux too */

struct file;
struct mem_object;

/* What a kind of file does. read and write get the user memory as a uio (uio.h)
 * and the position to use (the file's offset, or pread's own); they return bytes
 * done or -errno. A NULL llseek marks a stream (pipe, terminal): no offset, so
 * lseek, pread64 and pwrite64 are -ESPIPE. A NULL ioctl answers -ENOTTY. */
struct file_ops {
    long (*read)(struct file *f, struct uio *to, uint64_t *pos);
    long (*write)(struct file *f, struct uio *from, uint64_t *pos);
    long (*llseek)(struct file *f, int64_t offset, int whence);
    long (*ioctl)(struct file *f, uint32_t request, vaddr_t arg);
    void (*stat)(const struct file *f, struct linux_stat *st);
    void (*release)(struct file *f); /* the last reference is gone */
    /* getdents64: a directory's entries from the offset into the user's buffer;
     * bytes filled, or -errno. NULL: not a directory (-ENOTDIR). */
    long (*getdents)(struct file *f, vaddr_t buf, size_t count);
    /* mmap: the memory object whose pages a mapping of the file shows (its page
     * cache, mm/object.h), or NULL with *error set. NULL op: it cannot be mapped
     * (a pipe, a terminal, a directory): -ENODEV, as on Linux. */
    struct mem_object *(*mmap_object)(struct file *f, int *error);
    /* /dev/zero: a mapping of it is anonymous memory, private or shared, as on Linux */
    bool maps_anonymous;
    /* poll: the events (kernel/poll.h: POLLIN, POLLOUT, POLLHUP...) the file has
     * now, without sleeping, interrupts off. NULL: always readable and writable. */
    uint32_t (*poll)(struct file *f);
};

struct file {
    int refs;        /* descriptors (in any process) and calls in progress using it */
    uint32_t flags;  /* O_ACCMODE bits, O_APPEND, O_NONBLOCK, O_LARGEFILE */
    uint64_t offset; /* where the next read or write starts, for files with one */
    const struct file_ops *ops;
    void *private; /* the object behind it: a pipe, a device, an inode (vfs.h) */
};

/* A new description with one reference, or NULL if out of memory. */
struct file *file_alloc(const struct file_ops *ops, uint32_t flags, void *private);

/* Take one more reference / drop one; the last file_put calls ops->release and
 * frees the record. */
void file_get(struct file *f);
void file_put(struct file *f);

/* lseek's last step: the offset becomes base + offset; -EINVAL if that overflows
 * or is negative (Linux's rule), else the new offset. */
long file_seek_from(struct file *f, int64_t base, int64_t offset);

/* Was it opened for reading / for writing (O_RDONLY or O_RDWR / O_WRONLY or O_RDWR)? */
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/* A stream has no position: lseek, pread64 and pwrite64 are -ESPIPE. */
bool file_is_stream(const struct file *f);

#endif
