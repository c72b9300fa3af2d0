/*
 * sys_rw.c — moving bytes: read, write, readv, writev, pread64, pwrite64, lseek.
 *
 * Each call finds the open file behind the descriptor, makes the checks Linux
 * makes in Linux's order (the descriptor: -EBADF; opened for this direction:
 * -EBADF; the buffers in user space: -EFAULT; at most MAX_RW_COUNT bytes, the
 * rest is the caller's next call), and hands the file a uio (uio.h) over the
 * user's buffers. The file's own read or write does the rest.
 */
#include "fdtable.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"

#define FAST_IOV        8 /* iovecs that fit on the kernel stack (Linux's UIO_FASTIOV) */
#define SSIZE_MAX_VALUE 0x7ffffffffffffffful

enum rw { READ, WRITE };

static struct file *file_of(int fd)
{
    return fd_get(current_proc()->files, fd);
}

/* Opened for this direction (-EBADF), and a kind of file that does it (-EINVAL). */
static long check_access(const struct file *f, enum rw dir)
{
    if (dir == READ ? !file_readable(f) : !file_writable(f))
        return -EBADF;
    if ((dir == READ ? (void *)f->ops->read : (void *)f->ops->write) == NULL)
        return -EINVAL;
    return 0;
}

/* The transfer itself, at *pos (pread64/pwrite64) or at the file's offset. */
static long transfer(struct file *f, enum rw dir, struct uio *u, uint64_t *pos)
{
    if (u->resid == 0)
        return 0;
    uint64_t *where = pos != NULL ? pos : &f->offset;
    return dir == READ ? f->ops->read(f, u, where) : f->ops->write(f, u, where);
}

/* read/write/pread64/pwrite64 on one buffer. */
static long rw_buffer(struct file *f, enum rw dir, vaddr_t buf, size_t count, uint64_t *pos)
{
    long error = check_access(f, dir);
    if (error != 0)
        return error;
    if (!user_range_ok(buf, count))
        return -EFAULT;
    if (count > MAX_RW_COUNT)
        count = MAX_RW_COUNT; /* as Linux: the rest is the caller's next call */
    struct iovec piece;
    struct uio u;
    uio_single(&u, &piece, buf, count);
    return transfer(f, dir, &u, pos);
}

static long rw_fd(struct syscall_args a, enum rw dir)
{
    struct file *f = file_of((int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    long result = rw_buffer(f, dir, a.arg[1], a.arg[2], NULL);
    file_put(f);
    return result;
}

long sys_read(struct syscall_args a)
{
    return rw_fd(a, READ);
}

long sys_write(struct syscall_args a)
{
    return rw_fd(a, WRITE);
}

/* pread64/pwrite64: at a position of their own; the file's offset is untouched.
 * A negative position is -EINVAL before anything else (as on Linux); a stream
 * (pipe, terminal) has no positions: -ESPIPE. */
static long rw_at(struct syscall_args a, enum rw dir)
{
    if ((int64_t)a.arg[3] < 0)
        return -EINVAL;
    struct file *f = file_of((int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    uint64_t pos = a.arg[3];
    long result = file_is_stream(f) ? -ESPIPE : rw_buffer(f, dir, a.arg[1], a.arg[2], &pos);
    file_put(f);
    return result;
}

long sys_pread64(struct syscall_args a)
{
    return rw_at(a, READ);
}

long sys_pwrite64(struct syscall_args a)
{
    return rw_at(a, WRITE);
}

/* Check the iovecs as Linux does -- a length too big is EINVAL, a range outside
 * user space EFAULT, all before anything moves; the lengths beyond MAX_RW_COUNT
 * bytes in all are cut. The total, or -errno. */
static long check_iovecs(struct iovec *iov, int count)
{
    uint64_t total = 0;
    for (int i = 0; i < count; i++) {
        if (iov[i].length > SSIZE_MAX_VALUE - total)
            return -EINVAL;
        if (!user_range_ok(iov[i].base, iov[i].length))
            return -EFAULT;
        if (iov[i].length > MAX_RW_COUNT - total)
            iov[i].length = MAX_RW_COUNT - total;
        total += iov[i].length;
    }
    return (long)total;
}

/* readv/writev once the iovecs are in the kernel. */
static long rw_iovecs(struct file *f, enum rw dir, struct iovec *iov, int count)
{
    long total = check_iovecs(iov, count);
    if (total < 0)
        return total;
    struct uio u = { iov, count, (size_t)total, false };
    return transfer(f, dir, &u, NULL);
}

/* Linux's order: the descriptor (-EBADF), the direction it was opened for (-EBADF)
 * and whether the file can do it (-EINVAL), the count (-EINVAL), and only then the
 * iovecs themselves (-EFAULT, then their lengths). */
static long rw_vector(struct syscall_args a, enum rw dir)
{
    vaddr_t iov_at = a.arg[1];
    int count = (int)a.arg[2];
    struct file *f = file_of((int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    long error = check_access(f, dir);
    if (error == 0 && (count < 0 || count > IOV_MAX))
        error = -EINVAL;
    if (error != 0) {
        file_put(f);
        return error;
    }
    /* the process's own copy: a long transfer lets others run, and they may call too */
    struct iovec on_stack[FAST_IOV];
    struct iovec *iov = count <= FAST_IOV ? on_stack : kmalloc((size_t)count * sizeof *iov);
    long result = -ENOMEM;
    if (iov != NULL)
        result = copy_from_user(iov, iov_at, (size_t)count * sizeof *iov) != 0
                     ? -EFAULT
                     : rw_iovecs(f, dir, iov, count);
    if (iov != on_stack)
        kfree(iov);
    file_put(f);
    return result;
}

long sys_readv(struct syscall_args a)
{
    return rw_vector(a, READ);
}

long sys_writev(struct syscall_args a)
{
    return rw_vector(a, WRITE);
}

/* lseek: Linux checks whence (-EINVAL) before the kind of file (-ESPIPE). */
long sys_lseek(struct syscall_args a)
{
    int whence = (int)a.arg[2];
    struct file *f = file_of((int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    long result;
    if ((unsigned)whence > SEEK_MAX)
        result = -EINVAL;
    else if (file_is_stream(f))
        result = -ESPIPE;
    else
        result = f->ops->llseek(f, (int64_t)a.arg[1], whence);
    file_put(f);
    return result;
}
