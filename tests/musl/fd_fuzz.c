/*
 * fd_fuzz — random calls on file descriptors, compared with Linux: each call and its
 * result (or errno name) is printed, so the same seed must print the same lines on
 * vmlab and on Linux.
 *
 *   fd_fuzz [SEED [CALLS]]      (default: seeds 1-4, 400 calls each)
 *
 * The calls: read, write, readv, writev, pread64, pwrite64, lseek, dup, dup2, dup3,
 * fcntl, close, close_range, pipe2, fstat, ioctl(FIONREAD), open of /dev/null and
 * /dev/zero, with descriptors from 3 to 40 (some open, some not), negative and huge
 * ones, and buffers that are valid, NULL, unmapped, in the kernel half, or valid but
 * running into an unmapped page. Descriptors 0-2 (where the results are printed) are
 * never touched. Every pipe is non-blocking, and F_SETFL keeps O_NONBLOCK, so no call
 * waits. What is printed is only what both kernels must agree on: results, errno
 * names, the bytes read back (as a checksum), and st_mode's file type.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../../lib/xorshift.h"

#define FIRST_FD      3
#define LAST_FD       40
#define BUFFER_SIZE   8192
#define DEFAULT_CALLS 400

static uint64_t random_state;
static unsigned char *buffer; /* BUFFER_SIZE bytes, then an unmapped page */

static unsigned random_below(unsigned limit)
{
    return (unsigned)(xorshift64star(&random_state) % limit);
}

static int random_fd(void)
{
    static const int odd[] = { -1, -100, 1000, 1024, 0x7fffffff };
    if (random_below(10) == 0)
        return odd[random_below(sizeof(odd) / sizeof(odd[0]))];
    return FIRST_FD + (int)random_below(LAST_FD - FIRST_FD + 1);
}

/* A buffer for count bytes: valid, or one of the bad kinds. */
static void *random_buffer(size_t count)
{
    switch (random_below(10)) {
    case 0: return NULL;
    case 1: return (void *)0x10000;                                        /* below any mapping */
    case 2: return (void *)0xffff800000000000UL;                           /* the kernel half */
    case 3: return buffer + BUFFER_SIZE - (count > 100 ? 100 : count / 2); /* runs off */
    default: return buffer + random_below(64);
    }
}

static size_t random_count(void)
{
    static const size_t counts[] = { 0, 1, 7, 100, 4095, 4096, 4097, 8000 };
    return counts[random_below(sizeof(counts) / sizeof(counts[0]))];
}

static const char *errno_name(int e)
{
    switch (e) {
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case ESPIPE: return "ESPIPE";
    case EPIPE: return "EPIPE";
    case EMFILE: return "EMFILE";
    case ENOTTY: return "ENOTTY";
    case EISDIR: return "EISDIR";
    case ENOENT: return "ENOENT";
    case EBUSY: return "EBUSY";
    default: return "another error";
    }
}

static void report(const char *call, long result)
{
    if (result < 0)
        printf(" %s = -1 %s\n", call, errno_name(errno));
    else
        printf(" %s = %ld\n", call, result);
}

/* A checksum of what a read put in the buffer (when it was the buffer). */
static unsigned checksum(const void *at, long n)
{
    if (n <= 0 || (const unsigned char *)at < buffer ||
        (const unsigned char *)at >= buffer + BUFFER_SIZE)
        return 0;
    unsigned sum = 0;
    for (long i = 0; i < n; i++)
        sum = sum * 31 + ((const unsigned char *)at)[i];
    return sum;
}

static void do_read(int fd)
{
    size_t count = random_count();
    void *at = random_buffer(count);
    long n = read(fd, at, count);
    report("read", n);
    if (n > 0)
        printf("  checksum %08x\n", checksum(at, n));
}

static void do_write(int fd)
{
    size_t count = random_count();
    report("write", write(fd, random_buffer(count), count));
}

static void do_vector(int fd, bool writing)
{
    struct iovec v[3];
    int n = (int)random_below(4);
    for (int i = 0; i < n; i++) {
        v[i].iov_len = random_count();
        v[i].iov_base = random_buffer(v[i].iov_len);
    }
    struct iovec *vector = random_below(8) == 0 ? (struct iovec *)0x10000 : v;
    report(writing ? "writev" : "readv", writing ? writev(fd, vector, n) : readv(fd, vector, n));
}

static void do_positioned(int fd)
{
    static const off_t positions[] = { 0, 1, 4096, -1, 1L << 40 };
    size_t count = random_count();
    off_t at = positions[random_below(sizeof(positions) / sizeof(positions[0]))];
    if (random_below(2))
        report("pread", pread(fd, random_buffer(count), count, at));
    else
        report("pwrite", pwrite(fd, random_buffer(count), count, at));
}

static void do_lseek(int fd)
{
    static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END, 3, -1 };
    static const off_t offsets[] = { 0, 5, -1, 1L << 40 };
    report("lseek", lseek(fd, offsets[random_below(4)], whence[random_below(5)]));
}

static void do_dup(int fd)
{
    switch (random_below(3)) {
    case 0: report("dup", dup(fd)); break;
    case 1: report("dup2", dup2(fd, random_fd())); break;
    default: {
        int flags = random_below(4) == 0 ? 0x1234 : (random_below(2) ? O_CLOEXEC : 0);
        report("dup3", dup3(fd, random_fd(), flags));
    }
    }
}

static void do_fcntl(int fd)
{
    switch (random_below(6)) {
    case 0: report("F_DUPFD", fcntl(fd, F_DUPFD, random_fd())); break;
    case 1: report("F_DUPFD_CLOEXEC", fcntl(fd, F_DUPFD_CLOEXEC, random_fd())); break;
    case 2: report("F_GETFD", fcntl(fd, F_GETFD)); break;
    case 3: report("F_SETFD", fcntl(fd, F_SETFD, (int)random_below(4))); break;
    case 4: {
        long flags = fcntl(fd, F_GETFL);
        report("F_GETFL", flags < 0 ? flags : flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
        break;
    }
    default: /* O_NONBLOCK kept, so that no pipe call ever waits */
        report("F_SETFL", fcntl(fd, F_SETFL, O_NONBLOCK | (random_below(2) ? O_APPEND : 0)));
    }
}

static void do_fstat(int fd)
{
    struct stat st;
    /* The system call itself: musl's fstat fills the struct in user space (from
     * statx), which a bad pointer would turn into our own SIGSEGV. */
    long r = syscall(SYS_fstat, fd, random_below(8) == 0 ? (struct stat *)0x10000 : &st);
    report("fstat", r);
    if (r == 0)
        printf("  type %s\n", S_ISFIFO(st.st_mode)  ? "fifo"
                              : S_ISCHR(st.st_mode) ? "char"
                                                    : "other");
}

/* Open something new: a pipe pair or a device. */
static void do_open(void)
{
    switch (random_below(3)) {
    case 0: {
        int fds[2];
        int flags = O_NONBLOCK | (random_below(2) ? O_CLOEXEC : 0);
        report("pipe2", pipe2(random_below(10) == 0 ? (int *)0x10000 : fds, flags));
        break;
    }
    case 1:
        report("open /dev/null", open("/dev/null", O_RDWR | (int)random_below(2) * O_APPEND));
        break;
    default: report("open /dev/zero", open("/dev/zero", (int)random_below(3))); break;
    }
}

static void do_close(int fd)
{
    if (random_below(6) == 0)
        report("close_range", syscall(SYS_close_range, fd < FIRST_FD ? FIRST_FD : fd,
                                      fd + (int)random_below(4), 0));
    else
        report("close", close(fd));
}

static void one_call(void)
{
    int fd = random_fd();
    unsigned kind = random_below(16);
    printf("fd %d:", fd);
    switch (kind) {
    case 0:
    case 1: do_read(fd); break;
    case 2:
    case 3: do_write(fd); break;
    case 4: do_vector(fd, false); break;
    case 5: do_vector(fd, true); break;
    case 6: do_positioned(fd); break;
    case 7: do_lseek(fd); break;
    case 8: do_dup(fd); break;
    case 9: do_fcntl(fd); break;
    case 10: do_fstat(fd); break;
    case 11: {
        int available = -1;
        report("FIONREAD", ioctl(fd, FIONREAD, &available));
        break;
    }
    case 12:
    case 13: do_open(); break;
    default: do_close(fd);
    }
}

/* Descriptors 3..LAST_FD: all closed, so every seed starts alike. */
static void close_all(void)
{
    for (int fd = FIRST_FD; fd <= LAST_FD; fd++)
        close(fd);
}

static void run_seed(unsigned long seed, long calls)
{
    close_all();
    random_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    printf("seed %lu\n", seed);
    for (long i = 0; i < calls; i++)
        one_call();
    fflush(stdout);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* EPIPE as a result, not a death */
    /* Linux's default limit of descriptors, which vmlab has; a host may raise it
     * (vmlab has no setrlimit: -ENOSYS, and the limit is already this). */
    struct rlimit files = { 1024, 1024 };
    setrlimit(RLIMIT_NOFILE, &files);
    buffer =
        mmap(NULL, BUFFER_SIZE + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buffer == MAP_FAILED || munmap(buffer + BUFFER_SIZE, 4096) != 0)
        return 2;
    memset(buffer, 'x', BUFFER_SIZE);
    long calls = argc > 2 ? atol(argv[2]) : DEFAULT_CALLS;
    if (argc > 1) {
        run_seed(strtoul(argv[1], NULL, 10), calls);
    } else {
        for (unsigned long seed = 1; seed <= 4; seed++)
            run_seed(seed, calls);
    }
    close_all();
    return 0;
}
