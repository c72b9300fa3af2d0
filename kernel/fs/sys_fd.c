/*
 * sys_fd.c — descriptors: close, close_range, dup, dup2, dup3,
 * fcntl, pipe, pipe2, fstat, ioctl.
 *
 * Linux's numbers, flags and errors, checked in Linux's order. A descriptor is
 * an index into the calling process's table (fdtable.h); most calls here only
 * move open file descriptions (file.h) between slots of that table.
 */
#include "fdtable.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "pipe.h"

/* fcntl's commands */
#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1 /* F_GETFD/F_SETFD's only flag */

/* close_range's flags */
#define CLOSE_RANGE_UNSHARE 2 /* a table of one's own first: ours never are shared */
#define CLOSE_RANGE_CLOEXEC 4 /* mark close-on-exec instead of closing */

/* ioctls every file answers (Linux's do_vfs_ioctl, before the file's own) */
#define FIONCLEX 0x5450
#define FIOCLEX  0x5451
#define FIONBIO  0x5421

static struct fdtable *my_files(void)
{
    return current_proc()->files;
}

/* ---- closing ---- */

long sys_close(struct syscall_args a)
{
    return fd_close(my_files(), (int)a.arg[0]);
}

/* close_range(first, last, flags): every open descriptor in [first, last]. */
long sys_close_range(struct syscall_args a)
{
    uint32_t first = (uint32_t)a.arg[0], last = (uint32_t)a.arg[1], flags = (uint32_t)a.arg[2];
    if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || first > last)
        return -EINVAL;
    struct fdtable *t = my_files();
    for (uint32_t fd = first; fd <= last && fd < FD_MAX; fd++) {
        if (t->files[fd] == NULL)
            continue;
        if (flags & CLOSE_RANGE_CLOEXEC)
            fd_set_cloexec(t, (int)fd, true);
        else
            fd_close(t, (int)fd);
    }
    return 0;
}

/* ---- duplicating ---- */

/* A second descriptor, the lowest free one >= lowest, for the same open file. */
static long dup_from(int oldfd, int lowest, bool cloexec)
{
    struct file *f = fd_get(my_files(), oldfd);
    if (f == NULL)
        return -EBADF;
    int fd = fd_install(my_files(), lowest, f, cloexec); /* our reference moves in */
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_dup(struct syscall_args a)
{
    return dup_from((int)a.arg[0], 0, false);
}

/* dup3(old, new, flags): new names old's file, closing what new named. */
long sys_dup3(struct syscall_args a)
{
    uint32_t oldfd = (uint32_t)a.arg[0], newfd = (uint32_t)a.arg[1], flags = (uint32_t)a.arg[2];
    if ((flags & ~O_CLOEXEC) != 0 || oldfd == newfd)
        return -EINVAL;
    if (newfd >= (uint32_t)fd_limit(my_files()))
        return -EBADF; /* beyond RLIMIT_NOFILE */
    struct file *f = fd_get(my_files(), (int)oldfd);
    if (f == NULL)
        return -EBADF;
    fd_install_at(my_files(), (int)newfd, f, flags & O_CLOEXEC);
    file_put(f);
    return newfd;
}

/* dup2 is dup3 without flags, except that dup2(fd, fd) is fd when fd is open. */
long sys_dup2(struct syscall_args a)
{
    int oldfd = (int)a.arg[0];
    if ((uint32_t)a.arg[0] != (uint32_t)a.arg[1])
        return sys_dup3((struct syscall_args){ { a.arg[0], a.arg[1], 0 } });
    struct file *f = fd_get(my_files(), oldfd);
    if (f == NULL)
        return -EBADF;
    file_put(f);
    return oldfd;
}

/* ---- fcntl ---- */

/* F_SETFL: only O_APPEND and O_NONBLOCK change; the access mode never does. */
static void set_status_flags(struct file *f, uint32_t flags)
{
    f->flags = (f->flags & ~FILE_SETFL_FLAGS) | (flags & FILE_SETFL_FLAGS);
}

static long fcntl_on(struct file *f, int fd, int cmd, uint64_t arg)
{
    struct fdtable *t = my_files();
    /* Linux reads the argument of the dup commands as an int, then unsigned */
    uint32_t lowest = (uint32_t)(int)arg;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (lowest >= (uint32_t)fd_limit(t))
            return -EINVAL; /* beyond RLIMIT_NOFILE */
        return dup_from(fd, (int)lowest, cmd == F_DUPFD_CLOEXEC);
    case F_GETFD: return fd_cloexec(t, fd) ? FD_CLOEXEC : 0;
    case F_SETFD: fd_set_cloexec(t, fd, arg & FD_CLOEXEC); return 0;
    case F_GETFL: return f->flags;
    case F_SETFL: set_status_flags(f, (uint32_t)arg); return 0;
    default: return -EINVAL;
    }
}

long sys_fcntl(struct syscall_args a)
{
    int fd = (int)a.arg[0];
    struct file *f = fd_get(my_files(), fd);
    if (f == NULL)
        return -EBADF;
    long result = fcntl_on(f, fd, (int)a.arg[1], a.arg[2]);
    file_put(f);
    return result;
}

/* ---- pipes ---- */

/* pipe2(fds, flags): the read end in fds[0], the write end in fds[1], the two
 * lowest free descriptors. Nothing is left open if any step fails. */
long sys_pipe2(struct syscall_args a)
{
    vaddr_t fds_at = a.arg[0];
    uint32_t flags = (uint32_t)a.arg[1];
    if ((flags & ~PIPE2_FLAGS) != 0)
        return -EINVAL;
    struct file *read_end, *write_end;
    int error = pipe_create(flags, &read_end, &write_end);
    if (error != 0)
        return error;
    struct fdtable *t = my_files();
    bool cloexec = flags & O_CLOEXEC;
    int fds[2] = { fd_install(t, 0, read_end, cloexec), -1 };
    if (fds[0] >= 0)
        fds[1] = fd_install(t, 0, write_end, cloexec);
    if (fds[1] < 0) {
        /* out of descriptors: undo what was installed, drop what was not */
        if (fds[0] >= 0)
            fd_close(t, fds[0]);
        else
            file_put(read_end);
        file_put(write_end);
        return -EMFILE;
    }
    if (copy_to_user(fds_at, fds, sizeof fds) != 0) {
        fd_close(t, fds[0]);
        fd_close(t, fds[1]);
        return -EFAULT;
    }
    return 0;
}

long sys_pipe(struct syscall_args a)
{
    return sys_pipe2((struct syscall_args){ { a.arg[0], 0 } });
}

/* ---- asking about a file ---- */

long sys_fstat(struct syscall_args a)
{
    struct file *f = fd_get(my_files(), (int)a.arg[0]);
    if (f == NULL)
        return -EBADF;
    struct linux_stat st = { 0 };
    f->ops->stat(f, &st);
    file_put(f);
    return copy_to_user(a.arg[1], &st, sizeof st) == 0 ? 0 : -EFAULT;
}

/* The ioctls every descriptor answers; -ENOTTY if request is not one of them. */
static long common_ioctl(struct file *f, int fd, uint32_t request, vaddr_t arg)
{
    int on;
    switch (request) {
    case FIOCLEX: fd_set_cloexec(my_files(), fd, true); return 0;
    case FIONCLEX: fd_set_cloexec(my_files(), fd, false); return 0;
    case FIONBIO:
        if (copy_from_user(&on, arg, sizeof on) != 0)
            return -EFAULT;
        f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
        return 0;
    default: return -ENOTTY;
    }
}

long sys_ioctl(struct syscall_args a)
{
    int fd = (int)a.arg[0];
    uint32_t request = (uint32_t)a.arg[1];
    struct file *f = fd_get(my_files(), fd);
    if (f == NULL)
        return -EBADF;
    long result = common_ioctl(f, fd, request, a.arg[2]);
    if (result == -ENOTTY && f->ops->ioctl != NULL)
        result = f->ops->ioctl(f, request, a.arg[2]);
    file_put(f);
    return result;
}
