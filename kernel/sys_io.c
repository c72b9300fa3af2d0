/*
 * sys_io.c — read, write, writev and ioctl on the console (fds 0, 1, 2).
 *
 * There are no files to open yet: descriptors 0, 1 and 2 are the console, and
 * every other descriptor is -EBADF. A write whose buffer is not entirely readable
 * writes nothing and returns -EFAULT, as Linux does for terminals.
 */
#include "errno.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "syscall.h"
#include "tty.h"

#define CHUNK           256 /* bytes copied into the kernel at a time */
#define IOV_MAX         1024
#define FAST_IOV        8 /* iovecs that fit on the kernel stack (Linux's UIO_FASTIOV) */
#define TIOCGWINSZ      0x5413
#define CONSOLE_ROWS    25
#define CONSOLE_COLS    80
#define SSIZE_MAX_VALUE 0x7ffffffffffffffful
#define MAX_RW_COUNT    0x7ffff000ul /* Linux's most bytes per read or write: 2 GiB - 4 KiB */
#define PROBE_STEP      (2ul << 20)  /* bytes of a buffer probed between two preemption points */

struct iovec {
    uint64_t base;
    uint64_t length;
};

struct winsize {
    uint16_t rows, cols, xpixel, ypixel;
};

static bool is_console(int fd)
{
    return fd >= 0 && fd <= 2;
}

/* Write user bytes already known to be readable. The console takes a few hundred
 * KiB a second, so a big write is long: between chunks the rest of the system gets
 * its turn, and a fatal signal ends the write there (the bytes written so far are
 * the result, as on Linux). */
static long write_out(vaddr_t buf, size_t count)
{
    char chunk[CHUNK];
    for (size_t done = 0; done < count;) {
        size_t n = count - done < CHUNK ? count - done : CHUNK;
        if (copy_from_user(chunk, buf + done, n) != 0)
            return done > 0 ? (long)done : -EFAULT;
        tty_write(chunk, n);
        done += n;
        if (done < count && !syscall_preempt_point())
            return (long)done;
    }
    return (long)count;
}

/* 0 if every byte of [buf, buf + count) can be read now, else -EFAULT, probed a
 * step at a time: up to 2 GiB takes seconds to probe (a fault per untouched page),
 * so between steps the others run, and a fatal signal stops the probe (-EINTR:
 * the process dies on its way out). */
static int check_readable(vaddr_t buf, size_t count)
{
    for (size_t done = 0; done < count; done += PROBE_STEP) {
        size_t n = count - done < PROBE_STEP ? count - done : PROBE_STEP;
        if (user_range_readable(buf + done, n) != 0)
            return -EFAULT;
        if (done + n < count && !syscall_preempt_point())
            return -EINTR;
    }
    return 0;
}

long sys_write(struct syscall_args a)
{
    int fd = (int)a.arg[0];
    vaddr_t buf = a.arg[1];
    size_t count = a.arg[2];
    if (!is_console(fd))
        return -EBADF;
    if (count > SSIZE_MAX_VALUE)
        return -EINVAL;
    if (!user_range_ok(buf, count))
        return -EFAULT;
    if (count > MAX_RW_COUNT)
        count = MAX_RW_COUNT; /* as Linux: the rest is the caller's next write */
    int error = check_readable(buf, count);
    return error != 0 ? error : write_out(buf, count);
}

/* Check the iovecs as Linux does -- a length too big is EINVAL, a range outside
 * user space or unreadable EFAULT, all before anything is written; the lengths
 * beyond MAX_RW_COUNT bytes in all are cut -- then write them. */
static long write_iovecs(struct iovec *iov, int count)
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
        int error = check_readable(iov[i].base, iov[i].length);
        if (error != 0)
            return error;
    }
    long written = 0;
    for (int i = 0; i < count; i++) {
        long n = write_out(iov[i].base, iov[i].length);
        if (n < 0)
            return written > 0 ? written : n;
        written += n;
        if ((uint64_t)n < iov[i].length)
            break; /* stopped by a fatal signal */
    }
    return written;
}

long sys_writev(struct syscall_args a)
{
    int fd = (int)a.arg[0];
    vaddr_t iov_at = a.arg[1];
    int count = (int)a.arg[2];
    if (!is_console(fd))
        return -EBADF;
    if (count < 0 || count > IOV_MAX)
        return -EINVAL;
    /* the process's own copy: a long write lets others run, and they may writev too */
    struct iovec on_stack[FAST_IOV];
    struct iovec *iov = count <= FAST_IOV ? on_stack : kmalloc((size_t)count * sizeof *iov);
    if (iov == NULL)
        return -ENOMEM;
    long result = copy_from_user(iov, iov_at, (size_t)count * sizeof *iov) != 0
                      ? -EFAULT
                      : write_iovecs(iov, count);
    if (iov != on_stack)
        kfree(iov);
    return result;
}

long sys_read(struct syscall_args a)
{
    int fd = (int)a.arg[0];
    vaddr_t buf = a.arg[1];
    size_t count = a.arg[2];
    if (!is_console(fd))
        return -EBADF;
    if (count == 0)
        return 0;
    if (!user_range_ok(buf, count))
        return -EFAULT;
    char chunk[CHUNK];
    long n = tty_read(chunk, count < CHUNK ? count : CHUNK);
    if (n > 0 && copy_to_user(buf, chunk, (size_t)n) != 0)
        return -EFAULT;
    return n;
}

long sys_ioctl(struct syscall_args a)
{
    int fd = (int)a.arg[0];
    uint32_t request = (uint32_t)a.arg[1];
    if (!is_console(fd))
        return -EBADF;
    if (request != TIOCGWINSZ)
        return -ENOTTY;
    struct winsize size = { CONSOLE_ROWS, CONSOLE_COLS, 0, 0 };
    return copy_to_user(a.arg[2], &size, sizeof size) == 0 ? 0 : -EFAULT;
}
