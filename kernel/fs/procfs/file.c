/*
 * file.c — an open /proc file: its report, made when a read starts at offset 0
 * and kept until the next such read, so a report read in pieces (odd offsets,
 * one byte at a time, after lseek) is one consistent text, as Linux's seq_file
 * gives it.
 */
#include "entries.h"
#include "kernel/errno.h"
#include "kernel/fs/inode.h"
#include "kernel/fs/uio.h"
#include "mm/kheap.h"
#include "procfs.h"

struct procfs_open_file {
    struct inode *ip; /* one reference */
    struct procfs_text text;
    bool made; /* text holds a report */
};

/* Make the report afresh. 0, or -ESRCH when its process is gone, -ENOMEM. */
static int make_report(struct procfs_open_file *of)
{
    int pid, fd;
    const struct procfs_entry *e = procfs_entry_of(of->ip->ino, &pid, &fd);
    struct proc *p = procfs_process(pid);
    if (pid != 0 && p == NULL)
        return -ESRCH;
    text_free(&of->text);
    int err = e->show(&of->text, p);
    if (err == 0 && of->text.overflow)
        err = -ENOMEM;
    of->made = err == 0;
    return err;
}

/* Is it a file of /proc/sys? Linux reads and writes those through one kernel
 * buffer the size of the whole request (proc_sys_call_handler): a read or write
 * of SYSCTL_COUNT_MAX bytes or more is -ENOMEM before anything else. */
static bool is_sysctl(const struct procfs_open_file *of)
{
    return sysctl_entry_of(of->ip->ino) != NULL;
}

static long procfs_read(struct file *f, struct uio *to, uint64_t *pos)
{
    struct procfs_open_file *of = f->private;
    if (is_sysctl(of) && to->resid >= SYSCTL_COUNT_MAX)
        return -ENOMEM; /* Linux's buffer for the whole read would fail: not tried */
    if (*pos == 0 || !of->made) {
        int err = make_report(of);
        if (err != 0)
            return err;
    }
    if (*pos >= of->text.length)
        return 0;
    size_t n = of->text.length - (size_t)*pos;
    if (n > to->resid)
        n = to->resid;
    size_t copied = uio_copy_out(to, of->text.bytes + *pos, n);
    if (copied == 0 && n > 0)
        return -EFAULT;
    *pos += copied;
    return (long)copied;
}

/* The first bytes of a write (up to SYSCTL_WRITE_MAX) into a new buffer, which
 * the caller kfrees: 0, or -EFAULT, -ENOMEM. */
static int copy_write(struct uio *from, uint64_t pos, struct sysctl_write *w, char **bytes)
{
    w->count = from->resid;
    w->n = w->count < SYSCTL_WRITE_MAX ? w->count : SYSCTL_WRITE_MAX;
    w->pos = pos;
    *bytes = kmalloc(w->n + 1); /* + 1: a write of 0 bytes gets a buffer too */
    if (*bytes == NULL)
        return -ENOMEM;
    w->bytes = *bytes;
    return uio_copy_in(from, *bytes, w->n) == w->n ? 0 : -EFAULT;
}

/* The rest of a write to a /proc/sys file, past the bytes copy_write kept:
 * Linux copies it in too before a handler parses the first page, so a page
 * that cannot be read anywhere in the write makes it -EFAULT. 0 or -EFAULT. */
static int sysctl_rest_readable(struct uio *from)
{
    char scratch[256];
    while (from->resid > 0) {
        size_t want = from->resid < sizeof scratch ? from->resid : sizeof scratch;
        if (uio_copy_in(from, scratch, want) != want)
            return -EFAULT;
    }
    return 0;
}

/* Writes: comm takes a new name, /proc/sys/vm's knobs a value; the rest refuse, as Linux's do:
 * -EINVAL for a process's files (no write operation), -EIO for /proc's own (proc_reg_write).
 * The bytes are copied in before the process is looked up: copying may sleep. */
static long procfs_write(struct file *f, struct uio *from, uint64_t *pos)
{
    struct procfs_open_file *of = f->private;
    int pid, fd;
    const struct procfs_entry *e = procfs_entry_of(of->ip->ino, &pid, &fd);
    if (e->write == NULL)
        return pid != 0 ? -EINVAL : -EIO;
    bool sysctl = is_sysctl(of);
    if (sysctl && from->resid >= SYSCTL_COUNT_MAX)
        return -ENOMEM; /* as a read's */
    struct sysctl_write w;
    char *bytes;
    long done = copy_write(from, *pos, &w, &bytes);
    if (done == 0 && sysctl)
        done = sysctl_rest_readable(from);
    struct proc *p = procfs_process(pid);
    if (done == 0 && pid != 0 && p == NULL)
        done = -ESRCH; /* (/proc's own files, pid 0, have no process) */
    if (done == 0)
        done = e->write(p, &w);
    if (done > 0)
        *pos = w.pos; /* the offset the file's rules give, as vfs_write keeps ki_pos */
    kfree(bytes);
    return done;
}

/* lseek: from the start or the current offset; not from the end (a report has
 * no size until it is made): -EINVAL, as on Linux. */
static long procfs_llseek(struct file *f, int64_t offset, int whence)
{
    int64_t base;
    if (whence == SEEK_SET)
        base = 0;
    else if (whence == SEEK_CUR)
        base = (int64_t)f->offset;
    else
        return -EINVAL;
    return file_seek_from(f, base, offset);
}

static void procfs_file_stat(const struct file *f, struct linux_stat *st)
{
    const struct procfs_open_file *of = f->private;
    fs_stat(of->ip, st);
}

static void procfs_release(struct file *f)
{
    struct procfs_open_file *of = f->private;
    text_free(&of->text);
    inode_put(of->ip);
    kfree(of);
}

static const struct file_ops procfs_file_ops = {
    .read = procfs_read,
    .write = procfs_write,
    .llseek = procfs_llseek,
    .stat = procfs_file_stat,
    .release = procfs_release,
};

int procfs_open(struct inode *ip, uint32_t flags, struct file **file)
{
    int pid, fd;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    if (procfs_entry_of(ip->ino, &pid, &fd) == NULL)
        return -ENOENT;
    if (pid != 0 && procfs_process(pid) == NULL)
        return -ENOENT;
    struct procfs_open_file *of = kzalloc(sizeof *of);
    if (of == NULL)
        return -ENOMEM;
    of->ip = inode_ref(ip);
    uint32_t kept = (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK)) | O_LARGEFILE;
    *file = file_alloc(&procfs_file_ops, kept, of);
    if (*file == NULL) {
        inode_put(ip);
        kfree(of);
        return -ENOMEM;
    }
    return 0;
}
