/*
 * persist — write a file, or read one back, so that a test can check what stays on
 * a disk from one boot to the next (tests/boot/root-disk.sh).
 *
 *   persist write PATH TEXT   create (or truncate) PATH, write TEXT and a newline,
 *                             fsync it; read it back and print it
 *   persist read PATH         print PATH's contents
 *   persist readonly PATH     on a read-only disk: every way of changing PATH or
 *                             its directory, one line each with its errno's text,
 *                             then PATH's contents
 * Exit status 0, or 1 with the failing call and its errno's text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed(const char *what, const char *path)
{
    printf("%s %s: %s\n", what, path, strerror(errno));
    return 1;
}

/* Print the contents of path. */
static int show(const char *path)
{
    char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return failed("open", path);
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    close(fd);
    return n < 0 ? failed("read", path) : 0;
}

/* One line: what was tried and how it ended. */
static void tried(const char *what, long result)
{
    printf("%s: %s\n", what, result < 0 ? strerror(errno) : "done");
    if (result > 2)
        close((int)result); /* an open that worked */
}

/* Each change a read-only file system must refuse (-EROFS), and a read it allows. */
static int read_only_cases(const char *path)
{
    tried("open O_WRONLY", open(path, O_WRONLY));
    tried("open O_RDWR", open(path, O_RDWR));
    tried("open O_RDONLY|O_TRUNC", open(path, O_RDONLY | O_TRUNC));
    tried("open O_CREAT of a new file", open("new.txt", O_WRONLY | O_CREAT, 0644));
    tried("truncate", truncate(path, 0));
    tried("access W_OK", access(path, W_OK));
    tried("access R_OK", access(path, R_OK));
    tried("mkdir", mkdir("newdir", 0755));
    tried("unlink", unlink(path));
    tried("rename", rename(path, "moved.txt"));
    tried("link", link(path, "again.txt"));
    tried("symlink", symlink(path, "link.txt"));
    tried("open /dev/null O_WRONLY", open("/dev/null", O_WRONLY));
    return show(path);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "read") == 0)
        return show(argv[2]);
    if (argc == 3 && strcmp(argv[1], "readonly") == 0)
        return read_only_cases(argv[2]);
    if (argc != 4 || strcmp(argv[1], "write") != 0) {
        printf("usage: persist write PATH TEXT | persist read PATH | persist readonly PATH\n");
        return 0;
    }
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return failed("open", argv[2]);
    size_t len = strlen(argv[3]);
    if (write(fd, argv[3], len) != (ssize_t)len || write(fd, "\n", 1) != 1)
        return failed("write", argv[2]);
    if (fsync(fd) != 0)
        return failed("fsync", argv[2]);
    close(fd);
    return show(argv[2]);
}
