/*
 * fs_fuzz_walk — walk a directory tree that may come from a damaged disk, touching
 * everything a program can: every directory is listed, every name is lstat'ed,
 * every symbolic link is read and followed, every regular file is read (its first
 * MAX_FILE_BYTES only: a damaged inode may claim a size of terabytes of holes, and
 * reading them all would prove nothing more). Then it counts what happened.
 *
 *   fs_fuzz_walk ROOT [change]
 *
 * tests/boot/fs-fuzz.sh boots it over randomly corrupted ext2 images: the kernel
 * must answer each call with data or an error, never panic or hang. Its output:
 *
 *   walk: 5 dirs, 9 files, 2 links, 3 other, 312345 bytes, 0 errors
 *   error EIO 3                 (one line per errno met, in errno order)
 *   fs_fuzz_walk: done
 *
 * With `change` it then changes the tree as a program would (create and write a
 * file, make a directory, rename into it, unlink, truncate, link, symlink, sync)
 * and counts those errors too, on a line "change: N calls, N errors" followed by its
 * own "error" lines. On a kernel that cannot write yet they are all EROFS.
 *
 * The walk stops going deeper than MAX_DEPTH and after MAX_ENTRIES names: a damaged
 * directory entry may name one of its own ancestors, and the tree becomes a cycle.
 * Without a directory as argv[1] it says so and exits 0 (tests/musl's runners start
 * every program with odd arguments).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH      12
#define MAX_ENTRIES    4000
#define MAX_FILE_BYTES (1 << 20)
#define MAX_ERRNO      134 /* Linux's errno values run 1..133 */

static struct {
    long dirs, files, links, other, bytes, errors, entries, calls;
    long by_errno[MAX_ERRNO + 1];
    const char *first_call[MAX_ERRNO + 1]; /* in the change step: which call met it first */
} seen;

/* Count one failed call and its errno (anything out of range in slot 0). */
static void failed(void)
{
    seen.errors++;
    seen.by_errno[errno > 0 && errno <= MAX_ERRNO ? errno : 0]++;
}

/* Read up to MAX_FILE_BYTES of the file at path, 4 KiB at a time. */
static void read_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        failed();
        return;
    }
    static char buf[4096];
    long total = 0;
    ssize_t n;
    while (total < MAX_FILE_BYTES && (n = read(fd, buf, sizeof buf)) > 0)
        total += n;
    if (total < MAX_FILE_BYTES && n < 0)
        failed();
    seen.bytes += total;
    close(fd);
}

/* A symbolic link: its target, then what it leads to (often nothing, on a bad disk). */
/* The symbol of an errno value the walk may meet, or its number. */
static const char *errno_name(int e)
{
    static const struct {
        int value;
        const char *name;
    } names[] = { { EIO, "EIO" },
                  { ENOENT, "ENOENT" },
                  { ENOTDIR, "ENOTDIR" },
                  { ELOOP, "ELOOP" },
                  { EISDIR, "EISDIR" },
                  { ENAMETOOLONG, "ENAMETOOLONG" },
                  { EINVAL, "EINVAL" },
                  { EFAULT, "EFAULT" },
                  { ENOMEM, "ENOMEM" },
                  { EFBIG, "EFBIG" },
                  { EOVERFLOW, "EOVERFLOW" },
                  { EUCLEAN, "EUCLEAN" },
                  { EBADF, "EBADF" },
                  { ENOSYS, "ENOSYS" },
                  { EACCES, "EACCES" },
                  { EROFS, "EROFS" },
                  { ENOSPC, "ENOSPC" },
                  { EEXIST, "EEXIST" },
                  { ENOTEMPTY, "ENOTEMPTY" },
                  { EMLINK, "EMLINK" } };
    static char number[16];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].value == e)
            return names[i].name;
    snprintf(number, sizeof number, "errno-%d", e);
    return number;
}

static void read_link(const char *path)
{
    char target[4096];
    struct stat st;
    if (readlink(path, target, sizeof target) < 0)
        failed();
    if (stat(path, &st) != 0 && errno != ENOENT && errno != ELOOP)
        failed(); /* a dangling link or a loop is a normal answer */
}

static void walk(const char *path, int depth);

/* One name found in a directory: what lstat says it is decides what we do. */
static void visit(const char *path, int depth)
{
    struct stat st;
    if (++seen.entries > MAX_ENTRIES)
        return;
    if (lstat(path, &st) != 0) {
        failed();
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        walk(path, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
        seen.files++;
        read_file(path);
    } else if (S_ISLNK(st.st_mode)) {
        seen.links++;
        read_link(path);
    } else {
        seen.other++; /* a device node, fifo or socket: a damaged mode, or /dev */
    }
}

/* List the directory at path and visit each name in it except "." and "..". */
static void walk(const char *path, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    seen.dirs++;
    DIR *d = opendir(path);
    if (d == NULL) {
        failed();
        return;
    }
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL && seen.entries < MAX_ENTRIES) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        visit(child, depth);
        errno = 0;
    }
    if (e == NULL && errno != 0)
        failed();
    closedir(d);
}

/* Count one call of the change step: r is its result (negative: failed, errno set). */
static void changed(const char *call, long r)
{
    seen.calls++;
    if (r < 0) {
        if (errno > 0 && errno <= MAX_ERRNO && seen.by_errno[errno] == 0)
            seen.first_call[errno] = call; /* named on the errno's line */
        failed();
    }
}

/* Change the tree under root the ways a program would; each call may fail. */
static void change(const char *root)
{
    static char data[20000];
    char a[4096], b[4096];
    memset(data, 'z', sizeof data);
    snprintf(a, sizeof a, "%s/fuzz-new", root);
    int fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    changed("open", fd);
    if (fd >= 0) {
        changed("pwrite", pwrite(fd, data, sizeof data, 5000));
        changed("fsync", fsync(fd));
        close(fd);
    }
    snprintf(b, sizeof b, "%s/fuzz-dir", root);
    changed("mkdir", mkdir(b, 0755));
    snprintf(a, sizeof a, "%s/dir", root);
    snprintf(b, sizeof b, "%s/fuzz-dir/moved", root);
    changed("rename", rename(a, b));
    snprintf(a, sizeof a, "%s/single.bin", root);
    changed("unlink", unlink(a));
    snprintf(a, sizeof a, "%s/double.bin", root);
    changed("truncate", truncate(a, 10));
    snprintf(b, sizeof b, "%s/fuzz-link", root);
    changed("link", link(a, b));
    snprintf(b, sizeof b, "%s/fuzz-symlink", root);
    changed("symlink", symlink("double.bin", b));
    snprintf(a, sizeof a, "%s/many", root);
    changed("rmdir", rmdir(a)); /* not empty: ENOTEMPTY, unless the damage emptied it */
    sync();
}

/* The counts since the last report, and each errno met; then start again. */
static void print_errors(void)
{
    for (int e = 0; e <= MAX_ERRNO; e++)
        if (seen.by_errno[e] != 0)
            printf("error %s %ld%s%s\n", errno_name(e), seen.by_errno[e],
                   seen.first_call[e] ? " first from " : "",
                   seen.first_call[e] ? seen.first_call[e] : "");
    memset(seen.by_errno, 0, sizeof seen.by_errno);
    memset(seen.first_call, 0, sizeof seen.first_call);
    seen.errors = 0;
}

int main(int argc, char **argv)
{
    struct stat st;
    if (argc < 2 || stat(argv[1], &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("usage: fs_fuzz_walk DIRECTORY\n");
        return 0;
    }
    walk(argv[1], 0);
    printf("walk: %ld dirs, %ld files, %ld links, %ld other, %ld bytes, %ld errors%s\n", seen.dirs,
           seen.files, seen.links, seen.other, seen.bytes, seen.errors,
           seen.entries > MAX_ENTRIES ? " (stopped at MAX_ENTRIES)" : "");
    print_errors();
    if (argc > 2 && strcmp(argv[2], "change") == 0) {
        change(argv[1]);
        printf("change: %ld calls, %ld errors\n", seen.calls, seen.errors);
        print_errors();
    }
    printf("fs_fuzz_walk: done\n");
    return 0;
}
