/*
 * cat [FILE]... — copy each file (standard input for none, or for "-") to
 * standard output: open, then read and write until read returns 0 (the end).
 *
 *   $ cat /etc/motd         $ echo hi | cat        $ cat a - b < middle
 *
 * A file that cannot be read is reported as coreutils does ("cat: x: No such
 * file or directory", "cat: d: Is a directory": read on a directory gives
 * EISDIR) and the others are still copied; the exit status is then 1.
 */
#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define COPY_BUFFER (64 * 1024) /* bytes per read: the larger, the fewer system calls */

static char buffer[COPY_BUFFER];

/* Copy fd to standard output. Returns 0, or -errno of the failed read; a failed
 * write ends the program (nothing more can be written). */
static long copy_to_output(int fd)
{
    for (;;) {
        long n = sys_read(fd, buffer, sizeof(buffer));
        if (n <= 0)
            return n;
        long written = write_all(STDOUT, buffer, (size_t)n);
        if (written < 0) {
            dprintf(STDERR, "cat: write error: %s\n", errno_text(written));
            sys_exit_group(1);
        }
    }
}

/* Copy one named file ("-": standard input). 0 on success, 1 after an error. */
static int cat_file(const char *name)
{
    int is_stdin = strcmp(name, "-") == 0;
    long fd = is_stdin ? STDIN : sys_open(name, O_RDONLY | O_CLOEXEC, 0);
    long result = fd < 0 ? fd : copy_to_output((int)fd);
    if (fd >= 0 && !is_stdin)
        sys_close((int)fd);
    if (result < 0) {
        dprintf(STDERR, "cat: %s: %s\n", name, errno_text(result));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cat_file("-");
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= cat_file(argv[i]);
    return status;
}
