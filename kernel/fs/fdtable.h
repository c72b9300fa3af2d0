/*
 * fdtable.h — a process's file descriptors: small numbers naming open files.
 *
 *   fd:      0    1    2    3    4   ...  1023
 *   files: [ *  | *  | *  | *  |    | ... |    ]     each * points at a struct file
 *             \    |   /      \                      (file.h); several descriptors,
 *              console         pipe read end         here or in other processes,
 *                                                    may point at the same one
 *
 * A process has FD_MAX descriptors, Linux's default RLIMIT_NOFILE soft limit; a new
 * one is always the lowest free number (POSIX requires it: `close(0); open(...)`
 * gives 0). Beside each pointer is the close-on-exec flag, which belongs to the
 * descriptor, not the file: dup() clears it on the copy, execve() closes the
 * descriptors that have it. fork() copies the table and takes a reference on every
 * file, so parent and child share each open file description (and its offset).
 * Exit closes them all.
 */
#ifndef KERNEL_FS_FDTABLE_H
#define KERNEL_FS_FDTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "file.h"

#define FD_MAX 1024 /* descriptors per process: Linux's default RLIMIT_NOFILE (soft) */

struct fdtable {
    struct file *files[FD_MAX];    /* NULL: the descriptor is free */
    uint64_t cloexec[FD_MAX / 64]; /* bit fd: close it on execve */
    int limit; /* RLIMIT_NOFILE (kernel/rlimit.h): new descriptors stay below it; 0: FD_MAX */
};

/* The first descriptor number t may not give out: RLIMIT_NOFILE, at most FD_MAX. */
int fd_limit(const struct fdtable *t);

/* An empty table, or NULL if out of memory. */
struct fdtable *fdtable_create(void);

/* A copy for a child of fork or vfork: the same files, one more reference each,
 * the same close-on-exec flags. NULL if out of memory. */
struct fdtable *fdtable_copy(const struct fdtable *t);

/* Close every descriptor and free the table (exit). NULL is fine. */
void fdtable_destroy(struct fdtable *t);

/* Close the descriptors marked close-on-exec (execve's point of no return). */
void fdtable_close_on_exec(struct fdtable *t);

/* init's fds 0, 1 and 2: the console opened once, read-write, and dup'ed twice, as
 * a getty leaves a terminal. 0 or -errno. */
int fdtable_open_console(struct fdtable *t);

/* The file of fd with a reference the caller drops with file_put (so it stays
 * even if the descriptor is closed meanwhile), or NULL if fd is not open. */
struct file *fd_get(const struct fdtable *t, int fd);

/* Put f (the caller's reference moves into the table) at the lowest free
 * descriptor >= lowest. The descriptor, or -EMFILE if none is free below fd_limit. */
int fd_install(struct fdtable *t, int lowest, struct file *f, bool cloexec);

/* Put f at exactly fd (dup2/dup3), closing what was there, taking a new
 * reference on f. fd must be below FD_MAX. */
void fd_install_at(struct fdtable *t, int fd, struct file *f, bool cloexec);

/* Close fd: 0, or -EBADF if it is not open. */
int fd_close(struct fdtable *t, int fd);

/* The close-on-exec flag of an open fd. */
bool fd_cloexec(const struct fdtable *t, int fd);
void fd_set_cloexec(struct fdtable *t, int fd, bool on);

#endif
