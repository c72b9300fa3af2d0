/*
 * errno.h — error numbers, with Linux's values (the system-call interface is
 * Linux's). Kernel functions return them negated: -ENOMEM, -EFAULT.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define EPERM        1
#define ENOENT       2
#define ESRCH        3
#define EINTR        4
#define EIO          5
#define ENXIO        6
#define E2BIG        7
#define ENOEXEC      8
#define EBADF        9
#define ECHILD       10
#define EAGAIN       11
#define ENOMEM       12
#define EACCES       13
#define EFAULT       14
#define EBUSY        16
#define EEXIST       17
#define EXDEV        18
#define ENODEV       19
#define ENOTDIR      20
#define EISDIR       21
#define EINVAL       22
#define ENFILE       23
#define EMFILE       24
#define ENOTTY       25
#define ETXTBSY      26 /* the file is a running program: not for writing */
#define EFBIG        27
#define ENOSPC       28
#define ESPIPE       29
#define EROFS        30
#define EMLINK       31
#define EPIPE        32
#define ERANGE       34
#define ENAMETOOLONG 36
#define ENOSYS       38
#define ENOTEMPTY    39
#define ELOOP        40 /* too many symbolic links (or one not followed) */
#define EOVERFLOW    75 /* a value too large for its type (a file offset) */
#define EOPNOTSUPP   95 /* the operation is not supported (sleeping on a clock that cannot) */

/* Kernel-internal codes, never seen by a program (Linux's values): a system call
 * that was asleep when a signal came returns one of them, and signal delivery
 * (kernel/signal_delivery.c) turns it into -EINTR or runs the call again. */
#define ERESTARTSYS           512 /* restart if the handler has SA_RESTART, else -EINTR */
#define ERESTARTNOINTR        513 /* always restart */
#define ERESTARTNOHAND        514 /* -EINTR if a handler runs, restart if none does */
#define ERESTART_RESTARTBLOCK 516 /* as ERESTARTNOHAND (vmlab has no restart_syscall) */

#endif
