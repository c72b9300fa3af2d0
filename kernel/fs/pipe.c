/*
 * pipe.c — the pipe: a ring of pages between a read end and a write end (pipe.h).
 *
 * Both ends are struct files whose private data is the same struct pipe. The
 * pipe counts its open ends; closing the last read end wakes writers (they get
 * EPIPE), closing the last write end wakes readers (they see end of file), and
 * the pipe itself goes when both counts are 0.
 *
 * Copying to or from user memory can sleep (a page fault waiting for memory),
 * and then another process may come to the same pipe: as on Linux, a small lock
 * (pipe_lock) keeps one process at a time inside the ring. It is let go whenever
 * the holder sleeps for data or for room.
 */
#include "pipe.h"

#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/poll.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal_delivery.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"

#define FIONREAD    0x541B /* ioctl: how many bytes are waiting to be read */
#define PIPE_MODE   (S_IFIFO | 0600)
#define PIPE_DEVICE 0xc /* st_dev: the pipe file system's anonymous device (0, 12) */

/* One slot of the ring: bytes [offset, offset + len) of page are data. */
struct pipe_buffer {
    char *page; /* a kernel frame, through the direct map; NULL when empty */
    uint32_t offset, len;
};

struct pipe {
    struct pipe_buffer slots[PIPE_SLOTS];
    uint32_t head, tail;  /* data in slots tail .. head - 1 (mod PIPE_SLOTS) */
    uint32_t max_slots;   /* PIPE_SLOTS, or PIPE_MIN_SLOTS once pipes hold much memory */
    int readers, writers; /* open read ends and write ends */
    bool locked;
    char can_read, can_write; /* sleep channels: data came / room was made */
    uint64_t inode;           /* st_ino */
    uint64_t created_ns;      /* its times, for fstat */
};

static uint64_t next_inode = 1;

/* Pipe buffers are kernel memory that no process's footprint shows, so that the
 * out-of-memory killer cannot see who holds it. As Linux does per user (its
 * pipe-user-pages-soft), once pipes hold more than a share of memory, new pipes
 * get a ring of 2 slots instead of 16: a process with 1024 descriptors then adds
 * at most 4 MiB more. (When memory is gone even so, a write answers -ENOMEM.) */
#define PIPE_MIN_SLOTS       2
#define PIPE_MEMORY_FRACTION 8 /* the soft limit: an eighth of all frames */

static uint64_t pipe_pages; /* pages in all pipes' rings now */
/* ---- the ring ---- */

static bool pipe_empty(const struct pipe *p)
{
    return p->head == p->tail;
}

static bool pipe_full(const struct pipe *p)
{
    return p->head - p->tail >= p->max_slots;
}

static struct pipe_buffer *slot(struct pipe *p, uint32_t index)
{
    return &p->slots[index % PIPE_SLOTS];
}

static char *page_alloc(void)
{
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    if (frame == PMM_NO_FRAME)
        return NULL;
    pipe_pages++;
    return phys_to_virt(frame);
}

static void page_free(char *page)
{
    pmm_free(virt_to_phys(page));
    pipe_pages--;
}

/* Bytes waiting in the ring (FIONREAD). */
static uint32_t pipe_bytes(struct pipe *p)
{
    uint32_t bytes = 0;
    for (uint32_t i = p->tail; i != p->head; i++)
        bytes += slot(p, i)->len;
    return bytes;
}

/* ---- one process at a time inside (Linux's pipe->mutex) ---- */

static void pipe_lock(struct pipe *p)
{
    while (p->locked)
        sleep_on(&p->locked); /* the holder is in a page fault: it will be quick */
    p->locked = true;
}

static void pipe_unlock(struct pipe *p)
{
    p->locked = false;
    wakeup(&p->locked);
}

/* Sleep on channel with the lock let go. False if the caller should stop waiting:
 * a signal is pending (its handler runs, or the process dies, on the way out). */
static bool pipe_wait(struct pipe *p, const void *channel)
{
    struct proc *self = current_proc();
    if (signal_pending(self))
        return false;
    pipe_unlock(p);
    sleep_on(channel);
    pipe_lock(p);
    return !signal_pending(self);
}

/* ---- reading ---- */

/* Move bytes from the slot at the tail to the user; free the slot once drained.
 * Returns the bytes moved, or -EFAULT (nothing consumed) if the user memory
 * cannot be written. */
static long drain_tail_slot(struct pipe *p, struct uio *to)
{
    struct pipe_buffer *buf = slot(p, p->tail);
    uint32_t chars = buf->len < to->resid ? buf->len : (uint32_t)to->resid;
    if (uio_copy_out(to, buf->page + buf->offset, chars) < chars)
        return -EFAULT; /* as Linux: what did not reach the user stays in the pipe */
    buf->offset += chars;
    buf->len -= chars;
    if (buf->len == 0) {
        page_free(buf->page);
        buf->page = NULL;
        p->tail++;
    }
    return chars;
}

/* ASSIGNMENT(pipe_read): read what is there, up to the count asked; if nothing is
 * there, sleep until a writer writes or the last one closes (end of file: 0). */
static long pipe_read(struct file *f, struct uio *to, uint64_t *pos)
{
    (void)pos;
    struct pipe *p = f->private;
    if (to->resid == 0)
        return 0;
    pipe_lock(p);
    long done = 0;
    for (;;) {
        while (!pipe_empty(p) && to->resid > 0) {
            long n = drain_tail_slot(p, to);
            if (n < 0) {
                done = done > 0 ? done : n;
                goto out;
            }
            done += n;
        }
        if (done > 0 || p->writers == 0)
            break; /* some bytes, or end of file */
        if (f->flags & O_NONBLOCK) {
            done = -EAGAIN;
            break;
        }
        if (!pipe_wait(p, &p->can_read)) {
            done = -ERESTARTSYS; /* a signal: -EINTR, or read again (SA_RESTART) */
            break;
        }
    }
out:
    pipe_unlock(p);
    if (done > 0) {
        wakeup(&p->can_write); /* room was made */
        poll_notify();
    }
    return done;
}

/* ---- writing ---- */

/* Try to append the whole write (total bytes, of which chars = total % PAGE_SIZE
 * are the odd part) to the last slot, as Linux does when it fits: small writes
 * then share pages. Returns bytes appended (0 if it does not fit) or -EFAULT. */
static long append_to_last_slot(struct pipe *p, struct uio *from)
{
    size_t chars = from->resid & (PAGE_SIZE - 1);
    if (chars == 0 || pipe_empty(p))
        return 0;
    struct pipe_buffer *buf = slot(p, p->head - 1);
    uint32_t end = buf->offset + buf->len;
    if (end + chars > PAGE_SIZE)
        return 0;
    if (uio_copy_in(from, buf->page + end, chars) < chars)
        return -EFAULT; /* nothing is added */
    buf->len += (uint32_t)chars;
    return (long)chars;
}

/* Fill a new slot at the head with up to a page of the user's bytes. Returns the
 * bytes written, -ENOMEM, or -EFAULT (the slot is not added) if the user memory
 * could not be read. */
static long fill_new_slot(struct pipe *p, struct uio *from)
{
    char *page = page_alloc();
    if (page == NULL)
        return -ENOMEM;
    size_t want = from->resid < PAGE_SIZE ? from->resid : PAGE_SIZE;
    size_t copied = uio_copy_in(from, page, want);
    if (copied < want) {
        page_free(page);
        return -EFAULT;
    }
    struct pipe_buffer *buf = slot(p, p->head);
    buf->page = page;
    buf->offset = 0;
    buf->len = (uint32_t)copied;
    p->head++;
    return (long)copied;
}

/* No reader is left: the writer gets SIGPIPE (usually fatal) and -EPIPE. */
static long broken_pipe(void)
{
    struct proc *self = current_proc();
    struct signal_info info = { .code = SI_USER, .pid = self->pid }; /* Linux's send_sig */
    signal_send(self, SIGPIPE, &info);
    return -EPIPE;
}

/* ASSIGNMENT(pipe_write): write everything, sleeping while the ring is full; stop
 * early only at a fault, a fatal signal, O_NONBLOCK, or when the last reader goes.
 * Returns the bytes written if any, else the error. */
static long pipe_write(struct file *f, struct uio *from, uint64_t *pos)
{
    (void)pos;
    struct pipe *p = f->private;
    if (from->resid == 0)
        return 0;
    pipe_lock(p);
    long done = 0, error = 0;
    if (p->readers == 0) {
        error = broken_pipe();
        goto out;
    }
    long appended = append_to_last_slot(p, from);
    if (appended < 0) {
        error = appended;
        goto out;
    }
    done = appended;
    while (from->resid > 0) {
        if (p->readers == 0) {
            error = broken_pipe();
            break;
        }
        if (!pipe_full(p)) {
            long n = fill_new_slot(p, from);
            if (n < 0) {
                error = n;
                break;
            }
            done += n;
            continue;
        }
        if (f->flags & O_NONBLOCK) {
            error = -EAGAIN;
            break;
        }
        wakeup(&p->can_read); /* before sleeping: let the readers make room */
        poll_notify();
        if (!pipe_wait(p, &p->can_write)) {
            error = -ERESTARTSYS; /* a signal: -EINTR, or write again (SA_RESTART) */
            break;
        }
    }
out:
    pipe_unlock(p);
    if (done > 0) {
        wakeup(&p->can_read);
        poll_notify(); /* data came */
    }
    return done > 0 ? done : error;
}

/* ---- the ends as files ---- */

static long pipe_ioctl(struct file *f, uint32_t request, vaddr_t arg)
{
    if (request != FIONREAD)
        return -ENOTTY;
    int count = (int)pipe_bytes(f->private);
    return copy_to_user(arg, &count, sizeof count) == 0 ? 0 : -EFAULT;
}

static void pipe_stat(const struct file *f, struct linux_stat *st)
{
    const struct pipe *p = f->private;
    st->st_dev = PIPE_DEVICE;
    st->st_ino = p->inode;
    st->st_mode = PIPE_MODE;
    st->st_nlink = 1;
    st->st_blksize = PAGE_SIZE;
    st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = p->created_ns / 1000000000;
    st->st_atime_nsec = st->st_mtime_nsec = st->st_ctime_nsec = p->created_ns % 1000000000;
}

/* What poll sees at each end (Linux's pipe_poll): the read end is readable when
 * data waits, hung up (POLLHUP) when no write end is left; the write end is
 * writable while a ring slot is free, in error (POLLERR) when no reader is left. */
static uint32_t read_end_poll(struct file *f)
{
    const struct pipe *p = f->private;
    return (pipe_empty(p) ? 0 : POLLIN | POLLRDNORM) | (p->writers == 0 ? POLLHUP : 0);
}

static uint32_t write_end_poll(struct file *f)
{
    const struct pipe *p = f->private;
    return (pipe_full(p) ? 0 : POLLOUT | POLLWRNORM) | (p->readers == 0 ? POLLERR : 0);
}

static void pipe_destroy(struct pipe *p)
{
    for (uint32_t i = p->tail; i != p->head; i++)
        page_free(slot(p, i)->page);
    kfree(p);
}

/* The last reference to one end is gone: the other side is told (a reader now
 * sees end of file, a writer EPIPE); the pipe goes with its last end. */
static void release_read_end(struct file *f)
{
    struct pipe *p = f->private;
    p->readers--;
    wakeup(&p->can_write);
    poll_notify();
    if (p->readers == 0 && p->writers == 0)
        pipe_destroy(p);
}

static void release_write_end(struct file *f)
{
    struct pipe *p = f->private;
    p->writers--;
    wakeup(&p->can_read);
    poll_notify();
    if (p->readers == 0 && p->writers == 0)
        pipe_destroy(p);
}

/* No llseek: a pipe is a stream (lseek, pread64, pwrite64 are -ESPIPE). Reading
 * the write end or writing the read end is -EBADF by the access mode. */
static const struct file_ops read_end_ops = {
    .read = pipe_read,
    .ioctl = pipe_ioctl,
    .stat = pipe_stat,
    .release = release_read_end,
    .poll = read_end_poll,
};

static const struct file_ops write_end_ops = {
    .write = pipe_write,
    .ioctl = pipe_ioctl,
    .stat = pipe_stat,
    .release = release_write_end,
    .poll = write_end_poll,
};

int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end)
{
    struct pipe *p = kzalloc(sizeof *p);
    if (p == NULL)
        return -ENOMEM;
    uint32_t shared = flags & O_NONBLOCK;
    *read_end = file_alloc(&read_end_ops, O_RDONLY | shared, p);
    *write_end = file_alloc(&write_end_ops, O_WRONLY | shared, p);
    if (*read_end == NULL || *write_end == NULL) {
        kfree(*read_end);
        kfree(*write_end);
        kfree(p);
        return -ENOMEM;
    }
    p->readers = p->writers = 1;
    bool over_soft_limit = pipe_pages > pmm_stats().total / PIPE_MEMORY_FRACTION;
    p->max_slots = over_soft_limit ? PIPE_MIN_SLOTS : PIPE_SLOTS;
    p->inode = next_inode++;
    p->created_ns = clock_realtime_ns();
    return 0;
}
