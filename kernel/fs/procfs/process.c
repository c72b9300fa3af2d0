/*
 * process.c — /proc/PID's small files and links: cmdline, environ, comm, exe, cwd,
 * fd/N.
 */
#include "entries.h"
#include "kernel/errno.h"
#include "kernel/fs/devfs.h"
#include "kernel/fs/chardev.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/inode.h"
#include "kernel/fs/vfile.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/as.h"
#include "mm/remote.h"
#include "paths.h"

#define COMM_MAX 15 /* Linux's TASK_COMM_LEN - 1: the name ps shows */

/* Bytes read from another process's memory at a time (on the kernel stack). */
#define REMOTE_CHUNK 256

/* Put the bytes of [start, end) of as into t, read as Linux's access_remote_vm
 * reads them: swapped-out pages are swapped back in. That may sleep, and the
 * process may exit meanwhile: remote_read then stops short, and so does the text
 * (as is not touched again unless still live). A page with nothing readable
 * ends the text too. */
static void put_remote(struct procfs_text *t, struct addr_space *as, vaddr_t start, vaddr_t end)
{
    uint8_t chunk[REMOTE_CHUNK];
    for (vaddr_t va = start; va < end;) {
        size_t want = end - va < sizeof chunk ? end - va : sizeof chunk;
        size_t got = remote_read(as, va, chunk, want);
        text_put(t, chunk, got);
        if (got < want || !as_is_live(as))
            break;
        va += got;
    }
}

/* cmdline: the argument strings, each ending in a zero byte, read from the
 * process's own memory (the top of its stack, where execve put them) as Linux
 * reads them: a program that rewrites its argv shows the new text, and a page
 * of them that was swapped out is brought back. */
int show_cmdline(struct procfs_text *t, struct proc *p)
{
    struct addr_space *as = p->as;
    if (as == NULL)
        return 0; /* a zombie has no memory: an empty file, as on Linux */
    put_remote(t, as, as->layout.arg_start, as->layout.arg_end);
    return 0;
}

/* environ: the environment strings, each ending in a zero byte, read the same
 * way from where execve put them, above the arguments. */
int show_environ(struct procfs_text *t, struct proc *p)
{
    struct addr_space *as = p->as;
    if (as == NULL)
        return 0;
    put_remote(t, as, as->layout.env_start, as->layout.env_end);
    return 0;
}

/* comm: the name the process goes by (its program's file name, at most 15 bytes). */
int show_comm(struct procfs_text *t, struct proc *p)
{
    text_printf(t, "%.*s\n", COMM_MAX, p->name);
    return 0;
}

/* Writing comm renames the process (prctl(PR_SET_NAME) does the same): its
 * first 15 bytes; the write is taken whole, wherever the offset was. */
long write_comm(struct proc *p, struct sysctl_write *w)
{
    size_t keep = w->n < COMM_MAX ? w->n : COMM_MAX;
    memcpy(p->name, w->bytes, keep);
    p->name[keep] = '\0';
    w->pos += w->count;
    return (long)w->count;
}

/* Put s into buf as a link's target: its length, or -ENAMETOOLONG. */
static long put_target(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n >= size)
        return -ENAMETOOLONG;
    memcpy(buf, s, n + 1);
    return (long)n;
}

/* exe: the program's path, remembered by execve (mm/as.h's program_layout). */
long link_exe(struct proc *p, int fd, char *buf, size_t size)
{
    (void)fd;
    if (p->as == NULL || p->as->layout.path == NULL)
        return -ENOENT;
    return put_target(p->as->layout.path->text, buf, size);
}

/* cwd: the working directory's path (held, since the walk up may sleep). */
long link_cwd(struct proc *p, int fd, char *buf, size_t size)
{
    (void)fd;
    if (p->cwd == NULL)
        return put_target("/", buf, size);
    struct inode *dir = inode_ref(p->cwd);
    long length = procfs_path_of(dir, buf, size);
    inode_put(dir);
    return length;
}

/* What an open file is, when it is no file of a directory: "/dev/NAME" for a
 * device, "pipe:[INODE]" for a pipe, as Linux names them. */
static long name_of_special(struct file *f, char *buf, size_t size)
{
    for (int i = 0; devfs_device(i) != NULL; i++) {
        if (f->private == devfs_device(i) && f->ops == devfs_device(i)->ops) {
            int n = snprintf(buf, size, "/dev/%s", devfs_device(i)->name);
            return (size_t)n < size ? n : -ENAMETOOLONG;
        }
    }
    struct linux_stat st = { 0 };
    if (f->ops->stat != NULL)
        f->ops->stat(f, &st);
    int n = (st.st_mode & S_IFMT) == S_IFIFO ? snprintf(buf, size, "pipe:[%lu]", st.st_ino)
                                             : snprintf(buf, size, "anon_inode:[unknown]");
    return (size_t)n < size ? n : -ENAMETOOLONG;
}

/* fd/N: what descriptor N is open on. */
long link_fd(struct proc *p, int fd, char *buf, size_t size)
{
    struct file *f = p->files != NULL ? fd_get(p->files, fd) : NULL;
    if (f == NULL)
        return -ENOENT;
    struct inode *ip = vfile_inode(f);
    long length = ip != NULL ? procfs_path_of(ip, buf, size) : name_of_special(f, buf, size);
    file_put(f);
    return length;
}
