/*
 * errno_names.h — Linux's error numbers, and their names for messages.
 *
 * A failing system call returns minus one of these (write to a closed descriptor
 * returns -EBADF, that is -9). errno_name(-9) and errno_name(9) both give "EBADF",
 * so a test can print "got -9 (EBADF)" instead of a bare number.
 */
#ifndef USER_LIB_ERRNO_NAMES_H
#define USER_LIB_ERRNO_NAMES_H

#define EPERM        1   /* Operation not permitted */
#define ENOENT       2   /* No such file or directory */
#define ESRCH        3   /* No such process */
#define EINTR        4   /* Interrupted system call */
#define EIO          5   /* I/O error */
#define ENXIO        6   /* No such device or address */
#define E2BIG        7   /* Argument list too long */
#define ENOEXEC      8   /* Exec format error */
#define EBADF        9   /* Bad file number */
#define ECHILD       10  /* No child processes */
#define EAGAIN       11  /* Try again */
#define ENOMEM       12  /* Out of memory */
#define EACCES       13  /* Permission denied */
#define EFAULT       14  /* Bad address */
#define ENOTBLK      15  /* Block device required */
#define EBUSY        16  /* Device or resource busy */
#define EEXIST       17  /* File exists */
#define EXDEV        18  /* Cross-device link */
#define ENODEV       19  /* No such device */
#define ENOTDIR      20  /* Not a directory */
#define EISDIR       21  /* Is a directory */
#define EINVAL       22  /* Invalid argument */
#define ENFILE       23  /* File table overflow */
#define EMFILE       24  /* Too many open files */
#define ENOTTY       25  /* Not a typewriter */
#define ETXTBSY      26  /* Text file busy */
#define EFBIG        27  /* File too large */
#define ENOSPC       28  /* No space left on device */
#define ESPIPE       29  /* Illegal seek */
#define EROFS        30  /* Read-only file system */
#define EMLINK       31  /* Too many links */
#define EPIPE        32  /* Broken pipe */
#define EDOM         33  /* Math argument out of domain of func */
#define ERANGE       34  /* Math result not representable */
#define EDEADLK      35  /* Resource deadlock would occur */
#define ENAMETOOLONG 36  /* File name too long */
#define ENOLCK       37  /* No record locks available */
#define ENOSYS       38  /* Invalid system call number */
#define ENOTEMPTY    39  /* Directory not empty */
#define ELOOP        40  /* Too many symbolic links encountered */
#define EOVERFLOW    75  /* Value too large for defined data type */
#define ENOTSOCK     88  /* Socket operation on non-socket */
#define EOPNOTSUPP   95  /* Operation not supported on transport endpoint */
#define ETIMEDOUT    110 /* Connection timed out */

/* The name of an error number given as -errno or errno ("ENOENT"), or "?" for a
 * number Linux does not define (including 0 and anything positive past the table). */
const char *errno_name(long error);

/* What the C library's strerror says for it, as coreutils prints it after a file
 * name ("No such file or directory" for -ENOENT or ENOENT), or "Unknown error"
 * for a number without a text here. */
const char *errno_text(long error);

#endif
