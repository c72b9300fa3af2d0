/*
 * sys_io.c — read, write, writev and ioctl on the console (fds 0, 1, 2).
 *
 * There are no files to open yet: descriptors 0, 1 and 2 are the console, and
 * every other descriptor is -EBADF. A write whose buffer is not entirely readable
 * writes nothing and returns -EFAULT, as Linux does for terminals.
 */
#include "errno.h"
#include "mm/uaccess.h"
#include "syscall.h"
#include "tty.h"

#define CHUNK       256     /* bytes copied into the kernel at a time */
#define IOV_MAX     1024
#define TIOCGWINSZ  0x5413
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80
#define SSIZE_MAX_VALUE 0x7ffffffffffffffful

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

/* Write user bytes already known to be readable. */
static long write_out(vaddr_t buf, size_t count)
{
    char chunk[CHUNK];
    for (size_t done = 0; done < count;) {
        size_t n = count - done < CHUNK ? count - done : CHUNK;
        if (copy_from_user(chunk, buf + done, n) != 0)
            return done > 0 ? (long)done : -EFAULT;
        tty_write(chunk, n);
        done += n;
    }
    return (long)count;
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
    if (user_range_readable(buf, count) != 0)
        return -EFAULT;
    return write_out(buf, count);
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
    static struct iovec iov[IOV_MAX];
    if (copy_from_user(iov, iov_at, (size_t)count * sizeof iov[0]) != 0)
        return -EFAULT;
    uint64_t total = 0;
    for (int i = 0; i < count; i++) {
        if (iov[i].length > SSIZE_MAX_VALUE - total)
            return -EINVAL;
        total += iov[i].length;
        if (user_range_readable(iov[i].base, iov[i].length) != 0)
            return -EFAULT; /* checked before anything is written */
    }
    for (int i = 0; i < count; i++)
        write_out(iov[i].base, iov[i].length);
    return (long)total;
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
