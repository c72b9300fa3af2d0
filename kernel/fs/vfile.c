/*
 * vfile.c — open files of the VFS (vfile.h): regular files on the disk and
 * directories.
 */
#include "vfile.h"

#include "devfs.h"
#include "ext2/file.h"
#include "ext2/namei.h"
#include "file_pages.h"
#include "inode.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/page_cache.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "mount.h"
#include "procfs/procfs.h"

#define BOUNCE_MIN     4096  /* the smallest write step, when memory is short */
#define DIRENT_BUF_MAX 32768 /* getdents64 fills at most this much per call */
#define DIRENT_HEAD    19    /* d_ino 8, d_off 8, d_reclen 2, d_type 1 */
#define DIRENT_ALIGN   8
#define WRITE_CHUNK    65536 /* bytes written per step, through a kernel buffer */

static const struct file_ops regular_ops, dir_ops;

struct inode *vfile_inode(const struct file *f)
{
    return f->ops == &regular_ops || f->ops == &dir_ops ? f->private : NULL;
}

/* ---- regular files ---- */

/* read: page by page through the file's page cache (mm/page_cache.h): a page not
 * cached is read from the disk first, with the next few (read-ahead), and stays
 * cached for the next reader, and for every mapping of the file. The copy to the
 * user is made holding a reference on the page, and no lock: it may fault and
 * sleep. Bytes read, or -errno if none were. */
static long regular_read(struct file *f, struct uio *to, uint64_t *pos)
{
    int error;
    struct mem_object *o = inode_pages(f->private, &error);
    if (o == NULL)
        return error;
    long done = 0;
    while (to->resid > 0 && *pos < o->size) {
        paddr_t frame;
        error = page_cache_get(o, *pos / PAGE_SIZE, &frame, NULL);
        if (error != 0) {
            if (done == 0)
                done = error;
            break;
        }
        size_t offset = *pos % PAGE_SIZE, piece = PAGE_SIZE - offset;
        if (piece > to->resid)
            piece = to->resid;
        if (*pos + piece > o->size) /* the size is read again: a read may have slept */
            piece = *pos < o->size ? (size_t)(o->size - *pos) : 0;
        page_cache_pin(frame); /* the copy may fault, and sleep reading another page */
        size_t copied = uio_copy_out(to, (uint8_t *)phys_to_virt(frame) + offset, piece);
        page_cache_unpin(frame);
        *pos += copied;
        done += (long)copied;
        if (copied < piece) {
            if (done == 0)
                done = -EFAULT;
            break; /* a bad page: the bytes before it count */
        }
        if (piece == 0)
            break;
    }
    return done;
}

/* One piece of a write: n bytes of buf at *pos (at the end of the file for
 * O_APPEND, looked up under the same lock, so two appenders never write over each
 * other), under the lock. Bytes written (*pos moves past them), or -errno. */
static int64_t write_piece(struct inode *ip, bool append, uint64_t *pos, const void *buf, size_t n)
{
    if (ip->swapfile)
        return -ETXTBSY; /* swapon marked it while this write slept (swapfile.h) */
    struct mount *m = ip->mount;
    mount_lock(m);
    int64_t done = 0;
    if (append) {
        struct ext2_stat st;
        done = ext2_stat(m->ext2, ip->ino, &st);
        *pos = st.size;
    }
    if (done == 0)
        done = ext2_file_write(m->ext2, ip->ino, *pos, buf, n);
    mount_unlock(m);
    if (done > 0)
        *pos += (uint64_t)done;
    return done;
}

/* A kernel buffer of up to want bytes for moving file data in steps: *size is
 * what it got (smaller steps when memory is short). NULL if none at all. */
static uint8_t *bounce_alloc(size_t want, size_t *size)
{
    *size = want;
    uint8_t *buf = kmalloc(want);
    if (buf == NULL)
        buf = kmalloc(*size = BOUNCE_MIN);
    return buf;
}

/* write: from the user into a kernel buffer (outside the lock: the copy may fault
 * and sleep), then to the disk, a chunk at a time, and into the page cache
 * (write-through: a cached page never differs from the disk because of write()). Bytes written, or
 * -errno if none were: as on Linux, a full disk (-ENOSPC) or the largest file size (-EFBIG) after
 * some bytes ends the write short, and the next write gets the error. */
static long regular_write(struct file *f, struct uio *from, uint64_t *pos)
{
    if (((struct inode *)f->private)->swapfile)
        return -ETXTBSY; /* an active swap area: swap owns its blocks (swapfile.h) */
    size_t chunk;
    uint8_t *buf = bounce_alloc(from->resid < WRITE_CHUNK ? from->resid : WRITE_CHUNK, &chunk);
    if (buf == NULL)
        return -ENOMEM;
    int error;
    struct mem_object *o = inode_pages(f->private, &error); /* NULL: nothing cached to update */
    long done = 0;
    while (from->resid > 0) {
        size_t want = from->resid < chunk ? from->resid : chunk;
        size_t copied = uio_copy_in(from, buf, want);
        if (copied == 0) {
            if (done == 0)
                done = -EFAULT;
            break;
        }
        inode_size_lock(f->private); /* the disk's size and the cache's move together */
        int64_t put = write_piece(f->private, f->flags & O_APPEND, pos, buf, copied);
        if (put > 0 && o != NULL) /* the disk has the bytes now; the cache gets them too */
            page_cache_write_through(o, *pos - (uint64_t)put, buf, (uint64_t)put);
        inode_size_unlock(f->private);
        if (put <= 0) {
            if (done == 0)
                done = put;
            break;
        }
        done += (long)put;
        if ((size_t)put < want)
            break; /* a bad page, a full disk or the largest size: the bytes before count */
    }
    kfree(buf);
    return done;
}

/* lseek: a position from the start, the current one or the end; a negative result
 * is -EINVAL (SEEK_DATA and SEEK_HOLE too, for now). */
static long vfile_llseek(struct file *f, int64_t offset, int whence)
{
    int64_t base = 0;
    if (whence == SEEK_CUR) {
        base = (int64_t)f->offset;
    } else if (whence == SEEK_END) {
        struct linux_stat st;
        int err = fs_stat(f->private, &st);
        if (err != 0)
            return err;
        base = st.st_size;
    } else if (whence != SEEK_SET) {
        return -EINVAL;
    }
    return file_seek_from(f, base, offset);
}

static void vfile_stat(const struct file *f, struct linux_stat *st)
{
    fs_stat(f->private, st); /* on -EIO the zeros stay */
}

/* Does f count as a writer of its inode (execve is -ETXTBSY meanwhile)? */
static bool opened_for_writing(const struct file *f)
{
    uint32_t mode = f->flags & O_ACCMODE;
    return mode == O_WRONLY || mode == O_RDWR;
}

static void vfile_release(struct file *f)
{
    struct inode *ip = f->private;
    if (f->ops == &regular_ops && opened_for_writing(f))
        ip->writers--;
    inode_put(ip);
}

/* mmap: the file's page cache. */
static struct mem_object *regular_mmap_object(struct file *f, int *error)
{
    return inode_pages(f->private, error);
}

static const struct file_ops regular_ops = {
    .mmap_object = regular_mmap_object,
    .read = regular_read,
    .write = regular_write,
    .llseek = vfile_llseek,
    .stat = vfile_stat,
    .release = vfile_release,
};

/* ---- directories ---- */

static long dir_read(struct file *f, struct uio *to, uint64_t *pos)
{
    (void)f, (void)to, (void)pos;
    return -EISDIR;
}

struct dirent_buf {
    uint8_t *buf;
    size_t size, used;
    bool too_small; /* the first entry did not fit */
};

/* Append one struct linux_dirent64 (d_ino, d_off, d_reclen, d_type, d_name); stop
 * (1) when it does not fit. */
static int put_dirent(void *ctx, const char *name, size_t len, uint64_t ino, uint8_t d_type,
                      uint64_t next)
{
    struct dirent_buf *d = ctx;
    size_t reclen = (DIRENT_HEAD + len + 1 + DIRENT_ALIGN - 1) & ~(size_t)(DIRENT_ALIGN - 1);
    if (d->used + reclen > d->size) {
        d->too_small = d->used == 0;
        return 1;
    }
    uint8_t *e = d->buf + d->used;
    memset(e, 0, reclen);
    int64_t off = (int64_t)next;
    uint16_t reclen16 = (uint16_t)reclen;
    memcpy(e, &ino, 8);
    memcpy(e + 8, &off, 8);
    memcpy(e + 16, &reclen16, 2);
    e[18] = d_type;
    memcpy(e + DIRENT_HEAD, name, len);
    d->used += reclen;
    return 0;
}

/* getdents64: as many entries as fit, from the file's offset, which moves past
 * them. Bytes filled; 0 at the end; -EINVAL when not even the next entry fits. */
static long dir_getdents(struct file *f, vaddr_t user_buf, size_t count)
{
    struct dirent_buf d = { NULL, count < DIRENT_BUF_MAX ? count : DIRENT_BUF_MAX, 0, false };
    d.buf = kmalloc(d.size + 1);
    if (d.buf == NULL)
        return -ENOMEM;
    uint64_t pos = f->offset;
    long result = fs_readdir(f->private, &pos, put_dirent, &d);
    if (result == 0 && d.too_small)
        result = -EINVAL;
    if (result == 0 && d.used > 0) {
        if (copy_to_user(user_buf, d.buf, d.used) != 0) {
            result = -EFAULT;
        } else {
            result = (long)d.used;
            f->offset = pos;
        }
    }
    kfree(d.buf);
    return result;
}

static const struct file_ops dir_ops = {
    .read = dir_read,
    .llseek = vfile_llseek,
    .stat = vfile_stat,
    .release = vfile_release,
    .getdents = dir_getdents,
};

/* ---- opening ---- */

/* Which operations an inode opens with, or -errno for what cannot be opened so. */
static int choose_ops(struct inode *ip, uint32_t flags, const struct file_ops **ops)
{
    uint32_t type = ip->mode & S_IFMT;
    if ((flags & O_DIRECTORY) && type != S_IFDIR)
        return -ENOTDIR;
    if (type == S_IFDIR) {
        if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
            return -EISDIR;
        *ops = &dir_ops;
        return 0;
    }
    if (type == S_IFLNK)
        return -ELOOP; /* only O_NOFOLLOW stops the walk at a link (namei.c) */
    if (type != S_IFREG)
        return -ENXIO; /* a device node, fifo or socket on the disk */
    bool writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
    if (writing && fs_read_only(ip))
        return -EROFS;
    if (writing && ip->has_pages && ip->pages.exec_users > 0)
        return -ETXTBSY; /* a running program's text is mapped from it */
    *ops = &regular_ops;
    return 0;
}

int vfile_open(struct inode *ip, uint32_t flags, struct file **file)
{
    if (ip->chardev != NULL)
        return devfs_open(ip->chardev, flags, file);
    if (ip->mount->kind == FS_PROC && !inode_is_dir(ip) && (ip->mode & S_IFMT) != S_IFLNK)
        return procfs_open(ip, flags, file); /* a report (procfs/procfs.h) */
    const struct file_ops *ops;
    int err = choose_ops(ip, flags, &ops);
    if (err == 0 && (flags & O_TRUNC) && ops == &regular_ops)
        err = fs_truncate(ip, 0); /* as Linux, even with O_RDONLY (root may write) */
    if (err != 0)
        return err;
    uint32_t kept =
        (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT | O_DIRECTORY)) | O_LARGEFILE;
    *file = file_alloc(ops, kept, inode_ref(ip));
    if (*file == NULL) {
        inode_put(ip);
        return -ENOMEM;
    }
    if (ops == &regular_ops && opened_for_writing(*file))
        ip->writers++;
    return 0;
}
