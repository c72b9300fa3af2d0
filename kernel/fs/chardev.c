/*
 * chardev.c — the console, null and zero devices (chardev.h).
 */
#include "chardev.h"

#include "kernel/errno.h"
#include "kernel/poll.h"
#include "kernel/syscall.h"
#include "kernel/tty.h"
#include "mm/uaccess.h"

#define CONSOLE_CHUNK 256         /* console bytes copied into the kernel at a time */
#define PROBE_STEP    (2ul << 20) /* bytes of a buffer probed between two preemption points */
#define DEV_BLKSIZE   4096        /* st_blksize: the preferred size of an I/O */

static void chardev_stat(const struct file *f, struct linux_stat *st)
{
    const struct chardev *dev = f->private;
    st->st_mode = dev->mode;
    st->st_rdev = stat_makedev(dev->major, dev->minor);
    st->st_nlink = 1;
    st->st_blksize = DEV_BLKSIZE;
    st->st_ino = stat_makedev(dev->major, dev->minor); /* unique among devices */
}

/* ---- the console ---- */

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

/* A write whose buffers are not all readable writes nothing and returns -EFAULT
 * (Linux writes what precedes the bad page; vmlab promises the stricter answer).
 * The console takes a few hundred KiB a second, so a big write is long: between
 * chunks the rest of the system gets its turn, and a fatal signal ends the write
 * there (the bytes written so far are the result, as on Linux). */
static long console_write(struct file *f, struct uio *from, uint64_t *pos)
{
    (void)f, (void)pos;
    for (int i = 0; i < from->count && !from->kernel; i++) {
        int error = check_readable(from->iov[i].base, from->iov[i].length);
        if (error != 0)
            return error;
    }
    char chunk[CONSOLE_CHUNK];
    size_t done = 0;
    while (from->resid > 0) {
        size_t n = uio_copy_in(from, chunk, sizeof chunk);
        if (n == 0)
            return done > 0 ? (long)done : -EFAULT; /* unmapped meanwhile */
        tty_write(chunk, n);
        done += n;
        if (from->resid > 0 && !syscall_preempt_point())
            break;
    }
    return (long)done;
}

/* One line at most, as a terminal reads (tty.c). */
static long console_read(struct file *f, struct uio *to, uint64_t *pos)
{
    (void)f, (void)pos;
    char chunk[CONSOLE_CHUNK];
    long n = tty_read(chunk, to->resid < sizeof chunk ? to->resid : sizeof chunk);
    if (n > 0 && uio_copy_out(to, chunk, (size_t)n) != (size_t)n)
        return -EFAULT;
    return n;
}

static long console_ioctl(struct file *f, uint32_t request, vaddr_t arg)
{
    (void)f;
    return tty_ioctl(request, arg);
}

/* Always writable (a write waits for nothing but the UART); readable once a
 * whole line, or the end of input, is there (Linux's n_tty_poll). */
static uint32_t console_poll(struct file *f)
{
    (void)f;
    return POLLOUT | POLLWRNORM | (tty_input_ready() ? POLLIN | POLLRDNORM : 0);
}

/* No llseek: a terminal is a stream. */
static const struct file_ops console_ops = {
    .poll = console_poll,
    .read = console_read,
    .write = console_write,
    .ioctl = console_ioctl,
    .stat = chardev_stat,
};

/* ---- null and zero ---- */

static long null_read(struct file *f, struct uio *to, uint64_t *pos)
{
    (void)f, (void)to, (void)pos;
    return 0; /* end of file, always */
}

/* Every byte is taken and none is looked at: a write of 3 GiB from untouched
 * memory costs nothing (and returns MAX_RW_COUNT, where the system call cut it). */
static long null_write(struct file *f, struct uio *from, uint64_t *pos)
{
    (void)f, (void)pos;
    size_t n = from->resid;
    uio_skip(from, n);
    return (long)n;
}

/* Linux's null_lseek: every seek of /dev/null and /dev/zero lands at 0. */
static long null_llseek(struct file *f, int64_t offset, int whence)
{
    (void)offset, (void)whence;
    f->offset = 0;
    return 0;
}

/* Zeros a page at a time; a long read lets others run between pages and ends at a
 * fatal signal. A page that cannot be written ends the read there (-EFAULT if it
 * was the first). */
static long zero_read(struct file *f, struct uio *to, uint64_t *pos)
{
    (void)f, (void)pos;
    static const char zeros[PAGE_SIZE];
    size_t done = 0;
    while (to->resid > 0) {
        size_t want = to->resid < sizeof zeros ? to->resid : sizeof zeros;
        size_t n = uio_copy_out(to, zeros, want);
        done += n;
        if (n < want)
            return done > 0 ? (long)done : -EFAULT;
        if (to->resid > 0 && !syscall_preempt_point())
            break;
    }
    return (long)done;
}

static const struct file_ops null_ops = {
    .read = null_read,
    .write = null_write,
    .llseek = null_llseek,
    .stat = chardev_stat,
};

static const struct file_ops zero_ops = {
    .maps_anonymous = true, /* mmap of /dev/zero: fresh zeroed memory */
    .read = zero_read,
    .write = null_write,
    .llseek = null_llseek,
    .stat = chardev_stat,
};

#define MODE_RW_ALL  0666
#define MODE_RW_USER 0600

const struct chardev chardev_console = { "console", 5, 1, S_IFCHR | MODE_RW_USER, &console_ops };
const struct chardev chardev_tty = { "tty", 5, 0, S_IFCHR | MODE_RW_ALL, &console_ops };
const struct chardev chardev_null = { "null", 1, 3, S_IFCHR | MODE_RW_ALL, &null_ops };
const struct chardev chardev_zero = { "zero", 1, 5, S_IFCHR | MODE_RW_ALL, &zero_ops };
