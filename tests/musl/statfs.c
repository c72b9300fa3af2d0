/*
 * statfs — statfs and fstatfs (kernel/fs/sys_statfs.c) on /tmp, compared with
 * Linux: only what holds on any file system is printed (the counts are sane, the
 * path and an open file agree), and the errors. (How the free count moves is not:
 * on the host other tests write to /tmp meanwhile.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FILE_BYTES (1024 * 1024)

static void sane(const char *what, const struct statfs *s)
{
    printf("%s: bsize > 0 %s, bfree <= blocks %s, bavail <= bfree %s, ffree <= files %s, "
           "namelen %ld, frsize == bsize %s\n",
           what, s->f_bsize > 0 ? "yes" : "no", s->f_bfree <= s->f_blocks ? "yes" : "no",
           s->f_bavail <= s->f_bfree ? "yes" : "no", s->f_ffree <= s->f_files ? "yes" : "no",
           (long)s->f_namelen, s->f_frsize == s->f_bsize ? "yes" : "no");
}

static void result(const char *what, int r)
{
    printf("%-32s %d %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/statfs.%d", (int)getpid());
    struct statfs before, during, after, by_fd;
    static char data[FILE_BYTES];
    result("statfs /tmp", statfs("/tmp", &before));
    sane("/tmp", &before);
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    memset(data, 'x', sizeof data);
    int wrote = write(fd, data, sizeof data) == FILE_BYTES && fsync(fd) == 0;
    result("fstatfs of the file", fstatfs(fd, &by_fd));
    statfs("/tmp", &during);
    printf("written: %s; same file system by path and fd: %s\n", wrote ? "yes" : "no",
           by_fd.f_type == during.f_type && by_fd.f_blocks == during.f_blocks ? "yes" : "no");
    close(fd);
    unlink(path);
    result("statfs missing", statfs("/tmp/statfs-missing/x", &after));
    /* (musl's statfs clears the buffer itself: the bad pointer goes in directly) */
    result("statfs bad buffer", (int)syscall(SYS_statfs, "/tmp", 16));
    result("fstatfs bad fd", fstatfs(99, &after));
    return 0;
}
