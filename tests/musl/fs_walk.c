/*
 * fs_walk — walk a directory tree and print what a program can learn of it:
 * names (sorted), types, sizes, permission bits, link counts and a checksum of
 * every file's bytes, read in odd-sized pieces, with pread64 and lseek spot checks;
 * then the errors of lookup, open, read, lseek, getdents64 and getcwd, and the
 * working directory across chdir, fchdir and fork.
 *
 *   fs_walk ROOT [vmlab | nofuzz]
 *
 * tests/boot/fs-walk.sh runs it on Linux over the staging directory an ext2 image
 * was made from, and on vmlab over "/" of that image: the outputs must be equal.
 * So it prints no inode numbers, times, block counts or device numbers, and skips
 * lost+found (mke2fs makes it). With `vmlab` it then prints, after a line
 * "== vmlab only", what only vmlab's disk and its /dev answer (/dev inside "/");
 * the test checks those lines (writing is tests/musl/files_write.c's). Without a directory
 * as argv[1] it says so and exits 0 (tests/musl's other runners start every program with odd
 * arguments).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME  0x100000001b3ull

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

static char type_of(mode_t m)
{
    return S_ISDIR(m) ? 'd' : S_ISREG(m) ? 'f' : S_ISLNK(m) ? 'l' : '?';
}

/* The file's checksum read in pieces of 1000 bytes, and checks of pread64 and
 * lseek against the same bytes. */
static void print_file(const char *path, const struct stat *st)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("  open: %s\n", strerror(errno));
        return;
    }
    static unsigned char buf[1000], all[1 << 20];
    uint64_t h = FNV_OFFSET;
    off_t total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        h = fnv(h, buf, (size_t)n);
        if (total + n <= (off_t)sizeof all)
            memcpy(all + total, buf, (size_t)n);
        total += n;
    }
    printf("  read %lld bytes (%s), fnv %016llx\n", (long long)total, n == 0 ? "eof" : "error",
           (unsigned long long)h);
    off_t probe = st->st_size / 3;
    unsigned char b[64];
    ssize_t got = pread(fd, b, sizeof b, probe);
    int same =
        got >= 0 && (probe + got > (off_t)sizeof all || memcmp(b, all + probe, (size_t)got) == 0);
    printf("  pread at %lld: %zd bytes, %s\n", (long long)probe, got, same ? "same" : "DIFFERENT");
    printf("  lseek end %lld, end-10 %lld, cur %lld\n", (long long)lseek(fd, 0, SEEK_END),
           (long long)lseek(fd, -10, SEEK_END), (long long)lseek(fd, 0, SEEK_CUR));
    printf("  read past end: %zd\n", pread(fd, b, sizeof b, st->st_size + 5));
    struct stat fst;
    fstat(fd, &fst);
    printf("  fstat is lstat: %s\n",
           fst.st_ino == st->st_ino && fst.st_dev == st->st_dev && fst.st_size == st->st_size &&
                   fst.st_mode == st->st_mode && fst.st_nlink == st->st_nlink &&
                   fst.st_blocks == st->st_blocks
               ? "yes"
               : "no");
    close(fd);
}

/* A symbolic link: its target, and what stat (following it) finds. */
static void print_link(const char *path, const struct stat *st)
{
    char target[256];
    ssize_t n = readlink(path, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    printf(" size %lld -> \"%s\"\n", (long long)st->st_size, target);
    struct stat to;
    if (stat(path, &to) != 0)
        printf("  stat: %s\n", strerror(errno));
    else
        printf("  stat: %c, size %lld\n", type_of(to.st_mode),
               S_ISREG(to.st_mode) ? (long long)to.st_size : 0LL);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted, without ".", ".." and lost+found. */
static int list(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int count = 0, room = 16;
    *names = malloc(room * sizeof **names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "lost+found"))
            continue;
        if (count == room)
            *names = realloc(*names, (room *= 2) * sizeof **names);
        (*names)[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(*names, count, sizeof **names, by_name);
    return count;
}

static void walk(const char *path, int depth)
{
    char **names;
    int count = list(path, &names);
    if (count < 0) {
        printf("%s: opendir: %s\n", path, strerror(errno));
        return;
    }
    printf("%s: %d entries\n", path, count);
    for (int i = 0; i < count; i++) {
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, names[i]);
        struct stat st;
        if (lstat(child, &st) != 0) {
            printf("%s: lstat: %s\n", child, strerror(errno));
            continue;
        }
        printf("%s %c %04o nlink %lu", child, type_of(st.st_mode), (unsigned)(st.st_mode & 07777),
               (unsigned long)st.st_nlink);
        /* a directory's size is the file system's business (ext2 1 KiB blocks, ext4 4 KiB) */
        if (S_ISREG(st.st_mode)) {
            printf(" size %lld\n", (long long)st.st_size);
            print_file(child, &st);
        } else if (S_ISLNK(st.st_mode)) {
            print_link(child, &st);
        } else {
            printf("\n");
            if (S_ISDIR(st.st_mode) && depth < 8)
                walk(child, depth + 1);
        }
        free(names[i]);
    }
    free(names);
}

static void show(const char *what, long result)
{
    printf("%s: %ld %s\n", what, result, result < 0 ? strerror(errno) : "");
}

/* getcwd, printed after base: the same on Linux (under the staging directory) and
 * on vmlab (under "/"). */
static void show_cwd(const char *what, const char *base)
{
    char buf[4096];
    if (getcwd(buf, sizeof buf) == NULL) {
        printf("%s: getcwd: %s\n", what, strerror(errno));
        return;
    }
    size_t n = strlen(base);
    const char *rest = strncmp(buf, base, n) == 0 ? buf + n : buf;
    if (strcmp(rest, "/") == 0)
        rest = ""; /* the root of the tree */
    printf("%s: cwd .%s\n", what, rest);
}

/* The checksum of path read in pieces of `piece` bytes (partial blocks: ext2's
 * bounce buffer), or 0 if it cannot be read. */
static uint64_t checksum(const char *path, size_t piece)
{
    static unsigned char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    uint64_t h = FNV_OFFSET;
    ssize_t n;
    while ((n = read(fd, buf, piece)) > 0)
        h = fnv(h, buf, (size_t)n);
    close(fd);
    return h;
}

/* getdents64 on "many" with room for about one entry per call: the offset must
 * resume exactly after the last entry given; then lseek to 0 starts over. */
static void getdents_one_at_a_time(void)
{
    static char buf[64]; /* one 35-byte name: a 56-byte record */
    int fd = open("many", O_RDONLY | O_DIRECTORY);
    for (int round = 0; round < 2; round++) {
        int entries = 0, calls = 0, bytes = 0;
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            calls++;
            bytes += (int)n;
            for (long off = 0; off < n; off += *(unsigned short *)(buf + off + 16))
                entries++;
        }
        printf("getdents64 of many, 64-byte buffer: %d entries in %d calls, %d bytes, last %ld\n",
               entries, calls, bytes, n);
        show("lseek dir 0", lseek(fd, 0, SEEK_SET));
    }
    close(fd);
}

/* The errors, and relative paths. Runs in the root of the tree. */
static void errors(const char *base)
{
    char buf[64];
    show("open missing", open("no-such-file", O_RDONLY));
    show("open text.txt/x", open("text.txt/x", O_RDONLY));
    show("stat text.txt/", stat("text.txt/", &(struct stat){ 0 }));
    show("open text.txt O_DIRECTORY", open("text.txt", O_RDONLY | O_DIRECTORY));
    show("open dir O_WRONLY", open("dir", O_WRONLY));
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    show("read dir", read(dfd, buf, sizeof buf));
    show("getdents64 10 bytes", syscall(SYS_getdents64, dfd, buf, 10));
    show("getdents64 bad buffer", syscall(SYS_getdents64, dfd, (void *)8, 4096));
    show("openat dir/../text.txt", close(openat(dfd, "../text.txt", O_RDONLY)));
    show("fchdir dir", fchdir(dfd));
    show_cwd("after fchdir", base);
    show("chdir a/./b/../b", chdir("a/./b/../b"));
    show_cwd("after chdir", base);
    fflush(stdout); /* or the child would print the parent's buffered lines again */
    pid_t pid = fork();
    if (pid == 0) {
        show_cwd("child", base);
        show("child chdir ..", chdir(".."));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show_cwd("parent after child's chdir", base);
    show("getcwd size 1", getcwd(buf, 1) == NULL ? -1 : 0);
    show("chdir ../../..", chdir("../../.."));
    close(dfd);
    int fd = open("text.txt", O_RDONLY);
    show("lseek -1", lseek(fd, -1, SEEK_SET));
    show("lseek cur -1", lseek(fd, -1, SEEK_CUR));
    show("lseek 1000000", lseek(fd, 1000000, SEEK_SET));
    show("fchdir file", fchdir(fd));
    show("openat file-relative", openat(fd, "x", O_RDONLY));
    close(fd);
    show("open bad pointer", open((char *)8, O_RDONLY));
    char name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    show("open 299-byte name", open(name, O_RDONLY));
    memset(name, 'n', 255);
    name[255] = '\0';
    show("open 255-byte name", open(name, O_RDONLY));
    name[255] = 'n';
    name[256] = '\0';
    show("open 256-byte name", open(name, O_RDONLY));
    getdents_one_at_a_time();
    static char longpath[5000];
    for (size_t i = 0; i + 2 < sizeof longpath; i += 2)
        memcpy(longpath + i, "./", 2);
    show("open 5000-byte path", open(longpath, O_RDONLY));
    show("open loop", open("loop", O_RDONLY));
    show("open dangling", open("dangling", O_RDONLY));
    show("open link-to-text O_NOFOLLOW", open("link-to-text", O_RDONLY | O_NOFOLLOW));
    show("readlink text.txt", readlink("text.txt", buf, sizeof buf));
    show("readlink 3 bytes", readlink("link-to-text", buf, 3));
    printf("checksum via dir-link/a/b/deep.txt: %016llx\n",
           (unsigned long long)checksum("dir-link/a/b/deep.txt", 100));
    show("chdir dir-link/a", chdir("dir-link/a"));
    show_cwd("after chdir dir-link/a", base);
    show("chdir ../..", chdir("../.."));
    show("access text.txt R_OK", access("text.txt", R_OK));
    show("access text.txt X_OK", access("text.txt", X_OK));
    show("access dir X_OK", access("dir", X_OK));
    show("access dir-link/a/b/deep.txt F_OK", access("dir-link/a/b/deep.txt", F_OK));
    show("access dangling F_OK", access("dangling", F_OK));
    show("faccessat dangling NOFOLLOW", faccessat(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
    show("access mode 8", access("text.txt", 8));
    struct stat a, b;
    stat(".", &a);
    stat("dir/..", &b);
    printf("dir/.. is .: %s\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "yes" : "no");
}

/* A small random generator of our own, so Linux and vmlab see the same paths. */
static uint64_t rng_state = 12345;
static unsigned rng(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng_state >> 33) % n;
}

/* Random relative paths through the tree: names that exist, do not, are files or
 * links, ".", "..", empty components and trailing slashes. ".." never climbs above
 * the tree's root (on Linux that would leave the staging directory). Each path is
 * stat'ed, lstat'ed and opened; the results must be Linux's. */
static void fuzz_paths(int count)
{
    static const char *const names[] = { "dir",
                                         "a",
                                         "b",
                                         "dir",
                                         "a",
                                         "b",
                                         "dir-link",
                                         "hard",
                                         "deep.txt",
                                         "text.txt",
                                         "link-to-text",
                                         "dir-link",
                                         "up",
                                         "loop",
                                         "dangling",
                                         "nosuch",
                                         "many",
                                         "entry-007-with-a-longer-name",
                                         "empty-dir",
                                         "sparse" };
    const int name_count = sizeof names / sizeof names[0];
    for (int i = 0; i < count; i++) {
        char path[512] = "";
        int depth = 0, parts = 1 + rng(6);
        for (int p = 0; p < parts; p++) {
            unsigned pick = rng(8);
            const char *c = pick == 0                ? "."
                            : pick <= 2 && depth > 0 ? ".."
                                                     : names[rng(name_count)];
            depth += strcmp(c, "..") == 0 ? -1 : strcmp(c, ".") == 0 ? 0 : 1;
            if (p > 0)
                strcat(path, rng(8) == 0 ? "//" : "/");
            strcat(path, c);
        }
        if (rng(6) == 0)
            strcat(path, "/");
        struct stat st, lst;
        int s = stat(path, &st), serr = errno;
        int l = lstat(path, &lst), lerr = errno;
        int fd = open(path, O_RDONLY), oerr = errno;
        printf("%s: stat %s", path, s == 0 ? "" : strerror(serr));
        if (s == 0)
            printf("%c%lld", type_of(st.st_mode),
                   S_ISREG(st.st_mode) ? (long long)st.st_size : 0LL);
        printf(", lstat %s", l == 0 ? (char[]){ type_of(lst.st_mode), 0 } : strerror(lerr));
        printf(", open %s\n", fd >= 0 ? "ok" : strerror(oerr));
        if (fd >= 0)
            close(fd);
    }
}

/* What differs from Linux on purpose: "/" is the disk with /dev mounted in it. */
static void vmlab_only(void)
{
    printf("== vmlab only\n");
    show("access text.txt W_OK", access("/text.txt", W_OK));
    show("access /dev/null W_OK", access("/dev/null", W_OK));
    struct stat st, root, up;
    stat("/dev/null", &st);
    printf("/dev/null: %s, rdev 0x%llx\n", S_ISCHR(st.st_mode) ? "char device" : "not a device",
           (unsigned long long)st.st_rdev);
    stat("/", &root);
    stat("/dev/..", &up);
    printf("/dev/.. is /: %s\n",
           root.st_ino == up.st_ino && root.st_dev == up.st_dev ? "yes" : "no");
    stat("/..", &up);
    printf("/.. is /: %s\n", root.st_ino == up.st_ino && root.st_dev == up.st_dev ? "yes" : "no");
    int fd = open("//dev/./zero", O_RDONLY);
    unsigned char z[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
    ssize_t got = read(fd, z, sizeof z);
    printf("/dev/zero: read %zd, %s\n", got,
           memcmp(z, "\0\0\0\0\0\0\0", 8) ? "not zeros" : "zeros");
    close(fd);
    show("chdir /dev", chdir("/dev"));
    show_cwd("in /dev", "");
    char **names;
    int count = list(".", &names);
    printf("/dev:");
    for (int i = 0; i < count; i++)
        printf(" %s", names[i]);
    printf("\n");
    show("open ../text.txt from /dev", close(open("../text.txt", O_RDONLY)));
    show("open /dev/nothing", open("/dev/nothing", O_RDONLY));
    /* the numbers Linux's staging directory cannot show: the test asks debugfs */
    const char *files[] = { "/big.bin", "/sparse", "/dir", "/dir/a/b/deep.txt" };
    for (int i = 0; i < 4; i++) {
        stat(files[i], &st);
        printf("stat %s: ino %lu blocks %ld blksize %ld mtime 0x%lx uid %u gid %u dev 0x%lx\n",
               files[i], (unsigned long)st.st_ino, (long)st.st_blocks, (long)st.st_blksize,
               (unsigned long)st.st_mtime, st.st_uid, st.st_gid, (unsigned long)st.st_dev);
    }
}

/* Two processes read the same files at once, each in its own piece size: on vmlab
 * both go through one ext2 file system, whose lock must keep them apart (a reader
 * sleeps in block I/O while the other runs). Started before the walk, checked after. */
static pid_t start_concurrent_reader(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    uint64_t want = checksum("big.bin", 4096), h = 0;
    int good = 0;
    for (int i = 0; i < 8; i++) {
        h = checksum("big.bin", 333);
        good += h == want && checksum("sparse", 777) == checksum("sparse", 4096);
    }
    _exit(good == 8 ? 0 : 1);
}

static void finish_concurrent_reader(pid_t pid)
{
    int status = 0;
    waitpid(pid, &status, 0);
    printf("concurrent reader: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "all checksums agree" : "FAILED");
}

int main(int argc, char **argv)
{
    struct stat st;
    if (argc < 2 || stat(argv[1], &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("fs_walk: no tree to walk (usage: fs_walk ROOT)\n");
        return 0;
    }
    if (chdir(argv[1]) != 0) {
        printf("chdir %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    char base[4096];
    if (getcwd(base, sizeof base) == NULL)
        return 1;
    if (strcmp(base, "/") == 0)
        base[0] = '\0'; /* vmlab: paths under "/" print as "./..." */
    pid_t reader = start_concurrent_reader();
    walk(".", 0);
    finish_concurrent_reader(reader);
    errors(base);
    if (argc > 2 && strcmp(argv[2], "nofuzz") == 0)
        return 0; /* a damaged disk: every path would be one more kernel log line */
    fuzz_paths(600);
    if (argc > 2 && strcmp(argv[2], "vmlab") == 0)
        vmlab_only();
    return 0;
}
