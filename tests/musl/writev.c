/*
 * writev — several buffers written with one writev call, and writev's errors, through
 * musl. stdout is flushed before each direct write, so the order of the lines is the
 * same whether stdout is a terminal (line-buffered) or a pipe (fully buffered).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
    struct iovec parts[3] = {
        { "one ", 4 },
        { "two ", 4 },
        { "three\n", 6 },
    };
    printf("writing three buffers with one writev:\n");
    fflush(stdout);
    ssize_t written = writev(STDOUT_FILENO, parts, 3);
    printf("writev returned %zd (expected 14)\n", written);

    fflush(stdout);
    written = writev(STDOUT_FILENO, parts, 0);
    printf("writev of 0 buffers returned %zd\n", written);

    errno = 0;
    written = writev(42, parts, 3);
    printf("writev to fd 42 returned %zd, errno EBADF: %s\n", written,
           errno == EBADF ? "yes" : "no");

    errno = 0;
    struct iovec bad[1] = { { (void *)8, 4 } };
    written = writev(STDOUT_FILENO, bad, 1);
    printf("writev of a buffer at address 8 returned %zd, errno EFAULT: %s\n", written,
           errno == EFAULT ? "yes" : "no");
    return 0;
}
