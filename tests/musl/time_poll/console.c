/*
 * console.c — `time_poll console`: poll and select on the terminal, for
 * tests/boot/poll-console.sh, which types one line after each "$ " prompt
 * (run-elf --prompt). The console is always writable; it is readable once a
 * whole line is there, and a poll without time limit is woken by the typing.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/select.h>
#include <unistd.h>

#include "common.h"

/* Read the line that is there and show it. */
static void read_line(void)
{
    char line[64];
    long n = read(0, line, sizeof line - 1);
    line[n > 0 ? n : 0] = '\0';
    printf("read %ld bytes: %s", n, line);
}

void console_tests(void)
{
    struct pollfd out = { 1, POLLIN | POLLOUT | POLLWRNORM, 0 };
    int n = poll(&out, 1, 0);
    printf("poll stdout: %d revents %#x\n", n, (unsigned)out.revents);
    struct pollfd in = { 0, POLLIN | POLLRDNORM, 0 };
    n = poll(&in, 1, 50);
    printf("poll stdin, nothing typed, 50 ms: %d revents %#x\n", n, (unsigned)in.revents);
    printf("$ ");
    fflush(stdout);
    n = poll(&in, 1, -1);
    printf("poll stdin without limit: %d revents %#x\n", n, (unsigned)in.revents);
    printf("poll stdin again before reading: %d\n", poll(&in, 1, 0));
    read_line();
    printf("poll stdin after reading the line: %d\n", poll(&in, 1, 0));
    printf("$ ");
    fflush(stdout);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(0, &r);
    n = select(1, &r, NULL, NULL, NULL);
    printf("select stdin without limit: %d, readable: %s\n", n, yes_no(FD_ISSET(0, &r)));
    read_line();
}
