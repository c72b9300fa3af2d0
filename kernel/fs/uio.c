/*
 * uio.c — copying through a list of pieces, of user memory or (sendfile) of
 * kernel memory (uio.h).
 */
#include "uio.h"

#include "lib/string.h"
#include "mm/uaccess.h"

void uio_single(struct uio *u, struct iovec *piece, vaddr_t buf, size_t length)
{
    piece->base = buf;
    piece->length = length;
    u->iov = piece;
    u->count = 1;
    u->resid = length;
    u->kernel = false;
}

void uio_kernel(struct uio *u, struct iovec *piece, void *buf, size_t length)
{
    uio_single(u, piece, (vaddr_t)buf, length);
    u->kernel = true;
}

/* Drop empty pieces from the front (writev may pass zero-length ones). */
static void skip_empty(struct uio *u)
{
    while (u->count > 0 && u->iov->length == 0) {
        u->iov++;
        u->count--;
    }
}

/* Move past n bytes of the first piece (n at most its length). */
static void advance(struct uio *u, size_t n)
{
    u->iov->base += n;
    u->iov->length -= n;
    u->resid -= n;
    skip_empty(u);
}

/* The next part of the first non-empty piece: at most n bytes. */
static size_t piece_part(struct uio *u, size_t n)
{
    skip_empty(u);
    return u->iov->length < n ? u->iov->length : n;
}

enum direction { FROM_USER, TO_USER };

/* Copy [user, user + n) one way; on a fault, retry page by page so that the bytes
 * before the first bad page still count (a read may end inside a buffer). Returns
 * the bytes copied. */
static size_t copy_piece(enum direction dir, vaddr_t user, void *kernel, size_t n)
{
    int error = dir == FROM_USER ? copy_from_user(kernel, user, n) : copy_to_user(user, kernel, n);
    if (error == 0)
        return n;
    size_t done = 0;
    while (done < n) {
        size_t step = PAGE_SIZE - ((user + done) & (PAGE_SIZE - 1));
        if (step > n - done)
            step = n - done;
        char *k = (char *)kernel + done;
        error = dir == FROM_USER ? copy_from_user(k, user + done, step)
                                 : copy_to_user(user + done, k, step);
        if (error != 0)
            break;
        done += step;
    }
    return done;
}

/* The copy loop shared by both directions. */
static size_t copy_through(struct uio *u, enum direction dir, char *kernel, size_t n)
{
    size_t done = 0;
    while (done < n && u->resid > 0) {
        size_t want = piece_part(u, n - done);
        size_t got = want;
        if (!u->kernel)
            got = copy_piece(dir, u->iov->base, kernel + done, want);
        else if (dir == FROM_USER)
            memcpy(kernel + done, (const void *)u->iov->base, want);
        else
            memcpy((void *)u->iov->base, kernel + done, want);
        advance(u, got);
        done += got;
        if (got < want)
            break; /* a fault: stop here */
    }
    return done;
}

size_t uio_copy_in(struct uio *u, void *dst, size_t n)
{
    return copy_through(u, FROM_USER, dst, n);
}

size_t uio_copy_out(struct uio *u, const void *src, size_t n)
{
    return copy_through(u, TO_USER, (char *)src, n);
}

void uio_skip(struct uio *u, size_t n)
{
    while (n > 0 && u->resid > 0) {
        size_t part = piece_part(u, n);
        advance(u, part);
        n -= part;
    }
}
