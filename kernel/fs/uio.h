/*
 * uio.h — the user memory of one read or write: a list of (address, length) pieces.
 *
 * read and write name one buffer, readv and writev several (struct iovec, Linux's
 * layout). Either way a file's read or write function sees a struct uio: the pieces
 * still to fill or drain, and how many bytes are left in all. It copies through it
 * and the uio moves forward, so a file never cares how the caller cut its buffer
 * (Linux's iov_iter, BSD's struct uio).
 *
 * The system call has checked every piece lies in user space and capped the total
 * at MAX_RW_COUNT; the copies still fault on unmapped or unreadable pages, and then
 * stop: the count returned says how far they got.
 */
#ifndef KERNEL_FS_UIO_H
#define KERNEL_FS_UIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/addr.h"

#define MAX_RW_COUNT 0x7ffff000ul /* Linux's most bytes per read or write: 2 GiB - 4 KiB */
#define IOV_MAX      1024         /* most pieces in one readv or writev (UIO_MAXIOV) */

/* Linux's struct iovec, as readv and writev take it from user memory. */
struct iovec {
    uint64_t base;
    uint64_t length;
};

struct uio {
    struct iovec *iov; /* the pieces left; iov[0] may be partly done */
    int count;         /* how many pieces are left */
    size_t resid;      /* bytes left in all of them */
    bool kernel;       /* the pieces are kernel memory (sendfile's buffer): plain
                          copies that cannot fault */
};

/* A uio over the single piece [buf, buf + length) of user memory. */
void uio_single(struct uio *u, struct iovec *piece, vaddr_t buf, size_t length);

/* A uio over [buf, buf + length) of kernel memory: a file's read or write moves
 * bytes between two files through it (sendfile), with the same code as for a
 * program's buffer. */
void uio_kernel(struct uio *u, struct iovec *piece, void *buf, size_t length);

/* Copy up to n bytes from the user pieces into dst; returns how many were copied
 * (fewer than asked only at the end of the uio or at a page that cannot be read). */
size_t uio_copy_in(struct uio *u, void *dst, size_t n);

/* Copy up to n bytes of src into the user pieces; returns how many were copied
 * (fewer only at the end of the uio or at a page that cannot be written). */
size_t uio_copy_out(struct uio *u, const void *src, size_t n);

/* Pass over n bytes without touching them (/dev/null's write). */
void uio_skip(struct uio *u, size_t n);

#endif
