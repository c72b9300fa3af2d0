/*
 * sendfile — sendfile(2) between files, pipes and /dev/null: the bytes that
 * arrive, the offsets that move, and Linux's errors in Linux's order. Prints
 * facts and errno names only: the same on every correct kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define SMALL       5000        /* bytes in the first file: not a whole page */
#define BIG         (300 << 10) /* bytes in the second: many of the kernel's chunks */
#define BAD_POINTER ((off_t *)1)

static char path_small[64], path_big[64], path_copy[64], path_dir[64];
static char data[BIG], back[BIG];

static const char *result_text(long result)
{
    static char text[32];
    if (result >= 0) {
        snprintf(text, sizeof text, "%ld", result);
        return text;
    }
    switch (errno) {
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case ESPIPE: return "ESPIPE";
    default: return strerror(errno);
    }
}

static const char *yes_no(int condition)
{
    return condition ? "yes" : "no";
}

static void make_file(const char *path, size_t size)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        printf("cannot make %s: %s\n", path, strerror(errno));
    close(fd);
}

static long position(int fd)
{
    return (long)lseek(fd, 0, SEEK_CUR);
}

/* A file into a pipe: the bytes, in's offset; then at an offset of its own. */
static void file_to_pipe(void)
{
    int in = open(path_small, O_RDONLY), p[2];
    pipe(p);
    long n = sendfile(p[1], in, NULL, 100);
    long got = read(p[0], back, sizeof back);
    printf("file to pipe, 100 bytes: %s, read back %ld, same bytes %s, in's offset %ld\n",
           result_text(n), got, yes_no(got == 100 && memcmp(back, data, 100) == 0), position(in));
    off_t offset = 1000;
    n = sendfile(p[1], in, &offset, 200);
    got = read(p[0], back, sizeof back);
    printf("at offset 1000, 200 bytes: %s, *offset %ld, in's offset %ld, same bytes %s\n",
           result_text(n), (long)offset, position(in),
           yes_no(got == 200 && memcmp(back, data + 1000, 200) == 0));
    offset = SMALL - 10;
    n = sendfile(p[1], in, &offset, 100);
    read(p[0], back, sizeof back);
    printf("10 bytes before the end, 100 asked: %s, *offset %ld\n", result_text(n), (long)offset);
    n = sendfile(p[1], in, &offset, 100);
    printf("at the end: %s, *offset %ld\n", result_text(n), (long)offset);
    n = sendfile(p[1], in, NULL, 0);
    printf("count 0: %s, in's offset %ld\n", result_text(n), position(in));
    close(in);
    close(p[0]);
    close(p[1]);
}

/* A whole file into another, by chunks; the out file's offset moves. */
static void file_to_file(void)
{
    int in = open(path_big, O_RDONLY);
    int out = open(path_copy, O_CREAT | O_TRUNC | O_RDWR, 0644);
    write(out, "head", 4);
    long n = sendfile(out, in, NULL, 1 << 20);
    struct stat st;
    fstat(out, &st);
    pread(out, back, BIG, 4);
    printf("file to file, 1 MiB asked: %s, out's offset %ld, size %ld, same bytes %s\n",
           result_text(n), position(out), (long)st.st_size, yes_no(memcmp(back, data, BIG) == 0));
    printf("again at the end: %s\n", result_text(sendfile(out, in, NULL, 10)));
    close(in);
    close(out);
    int null = open("/dev/null", O_WRONLY);
    in = open(path_small, O_RDONLY);
    long n_null = sendfile(null, in, NULL, 4096);
    printf("file to /dev/null: %s, in's offset %ld\n", result_text(n_null), position(in));
    close(in);
    close(null);
}

/* in and out the same file, out 5 bytes ahead: the bytes written are read again,
 * so the copy goes on past the file's first end until count bytes (Linux's splice
 * loop: a short read is not the end of the transfer). Which bytes land where
 * depends on the kernel's chunk size, so only the counts are printed. */
static void same_file(void)
{
    make_file(path_copy, SMALL);
    int in = open(path_copy, O_RDONLY), out = open(path_copy, O_WRONLY);
    lseek(out, 5, SEEK_SET);
    long n = sendfile(out, in, NULL, 3 * SMALL);
    struct stat st;
    fstat(out, &st);
    printf("same file, out 5 bytes ahead, %d asked: %s, in's offset %ld, out's %ld, size %ld\n",
           3 * SMALL, result_text(n), position(in), position(out), (long)st.st_size);
    close(in);
    close(out);
}

/* Linux's rw_verify_area on in, before the count is cut: a count of 2^63 or more,
 * or a position the count would carry past 2^63 - 1, is EINVAL; nothing moves. */
static void range_limits(void)
{
    int in = open(path_small, O_RDONLY), out = open("/dev/null", O_WRONLY);
    printf("count SIZE_MAX: %s, in's offset %ld\n", result_text(sendfile(out, in, NULL, -1)),
           position(in));
    printf("count 2^63: %s\n", result_text(sendfile(out, in, NULL, (size_t)1 << 63)));
    off_t offset = 0;
    long n = sendfile(out, in, &offset, (size_t)1 << 62);
    printf("count 2^62: %s, *offset %ld\n", result_text(n), (long)offset);
    offset = INT64_MAX - 5;
    n = sendfile(out, in, &offset, 10);
    printf("offset 2^63 - 6, 10 bytes: %s, *offset unchanged %s\n", result_text(n),
           yes_no(offset == INT64_MAX - 5));
    close(in);
    close(out);
}

static void errors(void)
{
    int in = open(path_small, O_RDONLY), wronly = open(path_small, O_WRONLY);
    int out = open(path_copy, O_WRONLY), p[2];
    pipe(p);
    off_t offset = 5;
    printf("bad offset pointer, bad descriptors: %s\n",
           result_text(sendfile(999, 999, BAD_POINTER, 1)));
    printf("in_fd not open: %s\n", result_text(sendfile(out, 999, NULL, 1)));
    printf("out_fd not open: %s\n", result_text(sendfile(999, in, NULL, 1)));
    printf("in_fd open for writing only: %s\n", result_text(sendfile(out, wronly, NULL, 1)));
    printf("out_fd open for reading only: %s\n", result_text(sendfile(in, in, NULL, 1)));
    long n = sendfile(out, p[0], &offset, 1);
    printf("in_fd a pipe, with an offset: %s, *offset %ld\n", result_text(n), (long)offset);
    write(p[1], "x", 1);
    printf("in_fd a pipe: %s\n", result_text(sendfile(out, p[0], NULL, 1)));
    int dir = open(path_dir, O_RDONLY | O_DIRECTORY);
    printf("in_fd a directory: %s\n", result_text(sendfile(out, dir, NULL, 1)));
    offset = -1;
    printf("a negative offset: %s\n", result_text(sendfile(out, in, &offset, 1)));
    int append = open(path_copy, O_WRONLY | O_APPEND);
    printf("out_fd O_APPEND: %s\n", result_text(sendfile(append, in, NULL, 1)));
    fcntl(p[1], F_SETFL, O_APPEND);
    printf("out_fd a pipe with O_APPEND: %s\n", result_text(sendfile(p[1], in, NULL, 1)));
    printf("in's offset after all of that: %ld\n", position(in));
    close(dir);
    close(append);
    close(in);
    close(wronly);
    close(out);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    for (size_t i = 0; i < BIG; i++)
        data[i] = (char)(i * 7 + i / 4096);
    snprintf(path_small, sizeof path_small, "/tmp/sendfile-%d-small", getpid());
    snprintf(path_big, sizeof path_big, "/tmp/sendfile-%d-big", getpid());
    snprintf(path_copy, sizeof path_copy, "/tmp/sendfile-%d-copy", getpid());
    snprintf(path_dir, sizeof path_dir, "/tmp/sendfile-%d-dir", getpid());
    make_file(path_small, SMALL);
    make_file(path_big, BIG);
    mkdir(path_dir, 0755);
    file_to_pipe();
    file_to_file();
    errors();
    same_file();
    range_limits();
    unlink(path_small);
    unlink(path_big);
    unlink(path_copy);
    rmdir(path_dir);
    return 0;
}
