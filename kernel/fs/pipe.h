/*
 * pipe.h — pipes: a one-way channel of bytes between processes.
 *
 * pipe() makes two open files: the read end and the write end of one buffer in
 * the kernel. Bytes written at one end are read at the other, in order, once.
 * A reader finding the pipe empty sleeps until a writer writes (or, when no
 * write end is open any more, reads 0: end of file); a writer finding it full
 * sleeps until a reader makes room (or, when no read end is open, gets -EPIPE
 * and SIGPIPE). With O_NONBLOCK either answers -EAGAIN instead of sleeping.
 *
 * The buffer is Linux's: a ring of PIPE_SLOTS page-sized slots (64 KiB in all),
 * each holding the bytes of one page at some offset:
 *
 *      tail                         head
 *       v                            v
 *    [ page: 4096 | page: 100 | page: 4000 | empty | ... ]   16 slots
 *       ^ read from here              ^ written here, or appended to the slot before
 *
 * (Once all pipes together hold an eighth of memory, new ones get 2 slots, as
 * Linux does past its pipe-user-pages-soft.)
 *
 * A write of at most PIPE_BUF bytes is atomic: it goes whole into the last slot
 * (when it fits there) or whole into a new one, never split between writers.
 */
#ifndef KERNEL_FS_PIPE_H
#define KERNEL_FS_PIPE_H

#include <stdint.h>

#include "file.h"

#define PIPE_SLOTS 16   /* pages in a pipe's ring: Linux's default, 64 KiB */
#define PIPE_BUF   4096 /* writes of at most this many bytes are never interleaved */

/* pipe2's flags: O_CLOEXEC (the descriptors') and O_NONBLOCK (both ends); others
 * are -EINVAL. (Linux also takes O_DIRECT, for "packet" pipes: not here.) */
#define PIPE2_FLAGS (O_CLOEXEC | O_NONBLOCK)

/* A new pipe: *read_end (O_RDONLY) and *write_end (O_WRONLY), one reference each,
 * with O_NONBLOCK from flags. 0, or -ENOMEM (nothing is left allocated). */
int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end);

#endif
