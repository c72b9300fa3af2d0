/*
 * sys_sendfile.c — sendfile(out_fd, in_fd, offset, count): bytes from one file to
 * another without a trip through the program's memory.
 *
 * Linux moves the pages through a pipe (splice); vmlab reads a page's worth into
 * a kernel buffer and writes it out, through the same read and write functions
 * read(2) and write(2) use, over a uio of kernel memory (uio_kernel). The checks
 * are Linux's, in Linux's order (do_sendfile in fs/read_write.c):
 *
 *   offset given: read it (-EFAULT) before anything else; written back at the end
 *   in_fd:  -EBADF unless open for reading; with an offset, -ESPIPE for a stream
 *           (a pipe, a terminal), which has no positions; a negative position,
 *           a count of 2^63 or more, or a position count bytes would carry past
 *           2^63 - 1, is -EINVAL; then count is cut to MAX_RW_COUNT
 *   out_fd: -EBADF unless open for writing; O_APPEND is -EINVAL unless it is a
 *           pipe (Linux splices into a pipe by another path that ignores it)
 *   in_fd must hold data at positions: a stream or a directory is -EINVAL
 *
 * The bytes go at out_fd's offset, which moves; in_fd's offset moves by what was
 * written (or, with an offset, *offset does), and only when something moved.
 */
#include "fdtable.h"
#include "inode.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "uio.h"
#include "vfile.h"

#define CHUNK PAGE_SIZE /* bytes per read and write: one frame of kernel memory */

/* May in be read at positions of its own (a file's bytes, not a stream's)? */
static bool readable_at_positions(const struct file *in)
{
    struct inode *ip = vfile_inode(in);
    return in->ops->read != NULL && !file_is_stream(in) && (ip == NULL || !inode_is_dir(ip));
}

/* One chunk: up to want bytes of in at *pos, written to out at its offset. The
 * bytes written (in's position moves by them), 0 at the end of in, or -errno;
 * *bytes_read is how many were read. */
static long move_chunk(struct file *in, uint64_t *pos, struct file *out, void *buffer, size_t want,
                       size_t *bytes_read)
{
    struct iovec piece;
    struct uio u;
    uint64_t at = *pos;
    uio_kernel(&u, &piece, buffer, want);
    long got = in->ops->read(in, &u, &at);
    if (got <= 0)
        return got;
    *bytes_read = (size_t)got;
    uio_kernel(&u, &piece, buffer, (size_t)got);
    long put = out->ops->write(out, &u, &out->offset);
    if (put > 0)
        *pos += (uint64_t)put;
    return put;
}

/* The transfer, once every check has passed: chunk by chunk until count bytes,
 * the end of in, or a write that took less than it was given. A short read is not
 * the end: as Linux's splice loop, the next chunk reads on (when out is in, the
 * bytes just written are there to be read). Bytes moved, or the first chunk's
 * error. */
static long move_bytes(struct file *in, uint64_t *pos, struct file *out, size_t count)
{
    void *buffer = kmalloc(CHUNK);
    if (buffer == NULL)
        return -ENOMEM;
    size_t done = 0;
    while (done < count) {
        size_t want = count - done < CHUNK ? count - done : CHUNK;
        size_t bytes_read = 0;
        long moved = move_chunk(in, pos, out, buffer, want, &bytes_read);
        if (moved < 0 && done == 0) {
            kfree(buffer);
            return moved;
        }
        if (moved <= 0)
            break;
        done += (size_t)moved;
        /* a long transfer lets others run between chunks, and a fatal signal end it */
        if ((size_t)moved < bytes_read || (done < count && !syscall_preempt_point()))
            break;
    }
    kfree(buffer);
    return (long)done;
}

/* Linux's rw_verify_area for in: a count negative as a signed size, a negative
 * position, or one that count bytes would carry past 2^63 - 1, is refused (before
 * count is cut to MAX_RW_COUNT: sendfile(out, in, NULL, SIZE_MAX) is -EINVAL). */
static bool range_ok(uint64_t pos, size_t count)
{
    return (int64_t)count >= 0 && (int64_t)pos >= 0 && count <= INT64_MAX - pos;
}

/* The checks on the two files and the transfer; *pos is where in_fd is read. */
static long sendfile_files(int out_fd, int in_fd, uint64_t *pos, bool offset_given, size_t count)
{
    struct file *in = fd_get(current_proc()->files, in_fd);
    if (in == NULL)
        return -EBADF;
    long result = 0;
    if (!file_readable(in))
        result = -EBADF;
    else if (offset_given && file_is_stream(in))
        result = -ESPIPE;
    else if (!range_ok(offset_given ? *pos : in->offset, count))
        result = -EINVAL;
    if (result != 0) {
        file_put(in);
        return result;
    }
    if (!offset_given)
        *pos = in->offset;
    if (count > MAX_RW_COUNT)
        count = MAX_RW_COUNT;
    struct file *out = fd_get(current_proc()->files, out_fd);
    if (out == NULL)
        result = -EBADF;
    else if (!file_writable(out) || out->ops->write == NULL)
        result = -EBADF;
    else if ((out->flags & O_APPEND) && !file_is_stream(out))
        result = -EINVAL;
    else if (!readable_at_positions(in))
        result = -EINVAL;
    else
        result = count == 0 ? 0 : move_bytes(in, pos, out, count);
    if (result > 0 && !offset_given)
        in->offset = *pos;
    if (out != NULL)
        file_put(out);
    file_put(in);
    return result;
}

long sys_sendfile(struct syscall_args a)
{
    int out_fd = (int)a.arg[0], in_fd = (int)a.arg[1];
    vaddr_t offset_at = a.arg[2];
    size_t count = a.arg[3];
    if (offset_at == 0) {
        uint64_t pos;
        return sendfile_files(out_fd, in_fd, &pos, false, count);
    }
    int64_t pos;
    if (copy_from_user(&pos, offset_at, sizeof pos) != 0)
        return -EFAULT;
    uint64_t where = (uint64_t)pos;
    long result = sendfile_files(out_fd, in_fd, &where, true, count);
    pos = (int64_t)where;
    if (copy_to_user(offset_at, &pos, sizeof pos) != 0)
        return -EFAULT;
    return result;
}
