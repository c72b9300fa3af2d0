/*
 * fdtable.c — per-process descriptor tables (fdtable.h).
 */
#include "fdtable.h"

#include "chardev.h"
#include "devfs.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"

#define CONSOLE_FDS 3 /* stdin, stdout, stderr */

static bool valid_fd(int fd)
{
    return fd >= 0 && fd < FD_MAX;
}

void fd_set_cloexec(struct fdtable *t, int fd, bool on)
{
    uint64_t bit = 1ul << (fd % 64);
    if (on)
        t->cloexec[fd / 64] |= bit;
    else
        t->cloexec[fd / 64] &= ~bit;
}

bool fd_cloexec(const struct fdtable *t, int fd)
{
    return (t->cloexec[fd / 64] >> (fd % 64)) & 1;
}

struct fdtable *fdtable_create(void)
{
    return kzalloc(sizeof(struct fdtable));
}

struct fdtable *fdtable_copy(const struct fdtable *t)
{
    struct fdtable *copy = kmalloc(sizeof *copy);
    if (copy == NULL)
        return NULL;
    memcpy(copy, t, sizeof *copy);
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (copy->files[fd] != NULL)
            file_get(copy->files[fd]); /* the child's descriptor: one more reference */
    }
    return copy;
}

void fdtable_destroy(struct fdtable *t)
{
    if (t == NULL)
        return;
    for (int fd = 0; fd < FD_MAX; fd++)
        fd_close(t, fd);
    kfree(t);
}

void fdtable_close_on_exec(struct fdtable *t)
{
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (fd_cloexec(t, fd))
            fd_close(t, fd);
    }
}

int fdtable_open_console(struct fdtable *t)
{
    struct file *console;
    int error = devfs_open(&chardev_console, O_RDWR | O_LARGEFILE, &console);
    if (error != 0)
        return error;
    /* one open file description behind all three descriptors */
    for (int fd = 0; fd < CONSOLE_FDS; fd++)
        fd_install_at(t, fd, console, false);
    file_put(console); /* the table holds the references now */
    return 0;
}

struct file *fd_get(const struct fdtable *t, int fd)
{
    if (t == NULL || !valid_fd(fd) || t->files[fd] == NULL)
        return NULL;
    file_get(t->files[fd]);
    return t->files[fd];
}

int fd_limit(const struct fdtable *t)
{
    return t->limit > 0 && t->limit < FD_MAX ? t->limit : FD_MAX;
}

/* ASSIGNMENT(fd_install): the lowest free descriptor, as POSIX requires. */
int fd_install(struct fdtable *t, int lowest, struct file *f, bool cloexec)
{
    for (int fd = lowest < 0 ? 0 : lowest; fd < fd_limit(t); fd++) {
        if (t->files[fd] == NULL) {
            t->files[fd] = f;
            fd_set_cloexec(t, fd, cloexec);
            return fd;
        }
    }
    return -EMFILE;
}

void fd_install_at(struct fdtable *t, int fd, struct file *f, bool cloexec)
{
    struct file *old = t->files[fd];
    file_get(f);
    t->files[fd] = f;
    fd_set_cloexec(t, fd, cloexec);
    if (old != NULL)
        file_put(old); /* after the new one is in: dup2(fd, fd) never reaches here */
}

int fd_close(struct fdtable *t, int fd)
{
    if (!valid_fd(fd) || t->files[fd] == NULL)
        return -EBADF;
    struct file *f = t->files[fd];
    t->files[fd] = NULL; /* free before the release runs: it may sleep */
    fd_set_cloexec(t, fd, false);
    file_put(f);
    return 0;
}
