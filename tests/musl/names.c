/*
 * names — the namespace calls and their errors, printed one line per call:
 * mkdir, mkdirat, unlink, unlinkat, rmdir, link, linkat, symlink, symlinkat,
 * rename, renameat, renameat2; trailing slashes, "." and "..", a directory moved
 * into itself, replacing files and directories, links of one inode, mount points
 * and other file systems, bad pointers, empty and long names; hard and symbolic
 * links followed; directory listings after each change; a file unlinked while
 * open; a working directory removed.
 *
 *   names DIR [vmlab]
 *
 * DIR is a copy of the staging tree tests/boot/names.sh makes (on Linux) or "/"
 * of the ext2 image made from it (on vmlab): the outputs must be equal. So it
 * prints no inode numbers, times or sizes of directories. With `vmlab` it then
 * prints, after "== vmlab only", what only ext2 answers (Linux's host file system
 * is another: it can exchange names and hold longer symlinks). It ends with sync().
 * Without a directory it says so and exits 0 (musl-diff starts every program).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE  (1 << 1)
#define RENAME_WHITEOUT  (1 << 2)
#endif

#define BAD_POINTER ((const char *)1) /* in the never-mapped first pages */

/* Print what a call returned: "0", or "-1 <error>". */
static void said(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}

static long renameat2_call(int olddirfd, const char *old, int newdirfd, const char *new,
                           unsigned flags)
{
    return syscall(SYS_renameat2, olddirfd, old, newdirfd, new, flags);
}

/* The names in dir, sorted, with their types: "dir: a/ b c@". */
static void list(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        printf("ls %s: -1 %s\n", dir, strerror(errno));
        return;
    }
    char buf[4096], names[64][64];
    int count = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            off += d->d_reclen;
            if (strcmp(d->d_name, "lost+found") == 0 || count == 64)
                continue;
            const char *mark = d->d_type == DT_DIR ? "/" : d->d_type == DT_LNK ? "@" : "";
            snprintf(names[count++], sizeof names[0], "%.60s%s", d->d_name, mark);
        }
    }
    close(fd);
    qsort(names, (size_t)count, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    printf("ls %s:", dir);
    for (int i = 0; i < count; i++)
        printf(" %s", names[i]);
    printf("\n");
}

/* What path is: type, link count, size for files, and whether it is the same
 * inode as `like` (NULL: not asked). */
static void describe(const char *path, const char *like)
{
    struct stat st, other;
    if (lstat(path, &st) != 0) {
        printf("lstat %s: -1 %s\n", path, strerror(errno));
        return;
    }
    char type = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'f';
    printf("lstat %s: %c %04o", path, type, (unsigned)(st.st_mode & 07777));
    if (type != 'd')
        printf(" nlink %lu size %lld", (unsigned long)st.st_nlink, (long long)st.st_size);
    else
        printf(" nlink %lu", (unsigned long)st.st_nlink);
    if (like != NULL)
        printf(" same as %s: %s", like,
               lstat(like, &other) == 0 && other.st_ino == st.st_ino ? "yes" : "no");
    printf("\n");
}

/* The first line of a file. */
static void show(const char *path)
{
    char buf[128] = { 0 };
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    if (n < 0)
        printf("cat %s: -1 %s\n", path, strerror(errno));
    else
        printf("cat %s: %.*s", path, (int)n, buf);
}

static void mkdir_cases(void)
{
    said("mkdir d1", mkdir("d1", 0755));
    describe("d1", NULL);
    said("mkdir d2/ (trailing slash)", mkdir("d2/", 0700));
    describe("d2", NULL);
    umask(027);
    said("mkdir masked 0777 under umask 027", mkdir("masked", 0777));
    describe("masked", NULL);
    said("rmdir masked", rmdir("masked"));
    umask(0);
    said("mkdir d1 again", mkdir("d1", 0755));
    said("mkdir d1/ again", mkdir("d1/", 0755));
    said("mkdir file", mkdir("file", 0755));
    said("mkdir file/", mkdir("file/", 0755));
    said("mkdir dangling (a symlink to nothing)", mkdir("dangling", 0755));
    said("mkdir .", mkdir(".", 0755));
    said("mkdir ..", mkdir("..", 0755));
    said("mkdir d1/.", mkdir("d1/.", 0755));
    said("mkdir /", mkdir("/", 0755));
    said("mkdir missing/x", mkdir("missing/x", 0755));
    said("mkdir file/x", mkdir("file/x", 0755));
    said("mkdir \"\"", mkdir("", 0755));
    said("mkdir bad pointer", mkdir(BAD_POINTER, 0755));
    char long_name[300];
    memset(long_name, 'n', 256);
    long_name[256] = '\0';
    said("mkdir 256-byte name", mkdir(long_name, 0755));
    long_name[255] = '\0';
    said("mkdir 255-byte name", mkdir(long_name, 0755));
    said("rmdir 255-byte name", rmdir(long_name));
    static char huge[5000];
    memset(huge, 'a', sizeof huge - 1);
    said("mkdir 4999-byte path", mkdir(huge, 0755));
    int dfd = open("d1", O_RDONLY | O_DIRECTORY);
    said("mkdirat d1 sub", mkdirat(dfd, "sub", 0750));
    describe("d1/sub", NULL);
    describe("d1", NULL);
    said("mkdirat d1 abs-ignored", mkdirat(dfd, "abs-ignored", 0755));
    close(dfd);
    said("mkdirat bad fd", mkdirat(99, "x", 0755));
    int ffd = open("file", O_RDONLY);
    said("mkdirat fd of a file", mkdirat(ffd, "x", 0755));
    close(ffd);
    said("mkdirat AT_FDCWD d3", mkdirat(AT_FDCWD, "d3", 0755));
    said("mkdir mode 07777 -> bits", mkdir("d4", 07777));
    describe("d4", NULL);
    list(".");
}

static void unlink_cases(void)
{
    said("unlink victim", unlink("victim"));
    said("unlink victim again", unlink("victim"));
    said("unlink file/", unlink("file/"));
    said("unlink d1", unlink("d1"));
    said("unlink d1/", unlink("d1/"));
    said("unlink missing/", unlink("missing/"));
    said("unlink .", unlink("."));
    said("unlink ..", unlink(".."));
    said("unlink /", unlink("/"));
    said("unlink dir-link/ (a symlink to a directory)", unlink("dir-link/"));
    said("unlink file/x", unlink("file/x"));
    said("unlink \"\"", unlink(""));
    said("unlink bad pointer", unlink(BAD_POINTER));
    said("unlinkat bad flags", unlinkat(AT_FDCWD, "file", 0x1));
    said("unlinkat bad flags, bad pointer", unlinkat(AT_FDCWD, BAD_POINTER, 0x1));
    said("unlink dangling (the link goes)", unlink("dangling"));
    describe("dangling", NULL);
    said("unlinkat d3 AT_REMOVEDIR", unlinkat(AT_FDCWD, "d3", AT_REMOVEDIR));
    said("unlinkat file AT_REMOVEDIR", unlinkat(AT_FDCWD, "file", AT_REMOVEDIR));
    int dfd = open("d1", O_RDONLY | O_DIRECTORY);
    said("unlinkat d1 sub AT_REMOVEDIR", unlinkat(dfd, "sub", AT_REMOVEDIR));
    said("unlinkat d1 abs-ignored AT_REMOVEDIR", unlinkat(dfd, "abs-ignored", AT_REMOVEDIR));
    close(dfd);
    said("rmdir abs-ignored", rmdir("abs-ignored"));
    said("rmdir full", rmdir("full"));
    said("rmdir full/", rmdir("full/"));
    said("rmdir .", rmdir("."));
    said("rmdir ..", rmdir(".."));
    said("rmdir d1/.", rmdir("d1/."));
    said("rmdir d1/..", rmdir("d1/.."));
    said("rmdir /", rmdir("/"));
    said("rmdir file", rmdir("file"));
    said("rmdir dir-link/", rmdir("dir-link/"));
    said("rmdir dir-link", rmdir("dir-link"));
    said("rmdir missing", rmdir("missing"));
    said("rmdir /dev (a mount point)", rmdir("/dev"));
    said("rmdir \"\"", rmdir(""));
    said("rmdir bad pointer", rmdir(BAD_POINTER));
    said("rmdir d4/", rmdir("d4/"));
    list(".");
}

static void link_cases(void)
{
    said("link file hard", link("file", "hard"));
    describe("hard", "file");
    describe("file", NULL);
    show("hard");
    said("link file hard (exists)", link("file", "hard"));
    said("link file d1 (exists, a directory)", link("file", "d1"));
    said("link d1 d1-again (a directory)", link("d1", "d1-again"));
    said("link missing x", link("missing", "x"));
    said("link file new/", link("file", "new/"));
    said("link file file/x", link("file", "file/x"));
    said("link file .", link("file", "."));
    said("link file /dev/x (another file system)", link("file", "/dev/x"));
    said("link file missing/x", link("file", "missing/x"));
    said("link \"\" x", link("", "x"));
    said("link file \"\"", link("file", ""));
    said("link bad-pointer x", link(BAD_POINTER, "x"));
    said("link file bad-pointer", link("file", BAD_POINTER));
    said("link missing bad-pointer (old first)", link("missing", BAD_POINTER));
    said("link link-to-file lnk (the link itself)", link("link-to-file", "lnk"));
    describe("lnk", "link-to-file");
    said("linkat AT_SYMLINK_FOLLOW link-to-file followed",
         linkat(AT_FDCWD, "link-to-file", AT_FDCWD, "followed", AT_SYMLINK_FOLLOW));
    describe("followed", "file");
    said("linkat bad flags", linkat(AT_FDCWD, "file", AT_FDCWD, "x", 0x1));
    int fd = open("file", O_RDONLY);
    said("linkat AT_EMPTY_PATH fd of file", linkat(fd, "", AT_FDCWD, "by-fd", AT_EMPTY_PATH));
    describe("by-fd", "file");
    close(fd);
    said("linkat \"\" without AT_EMPTY_PATH", linkat(AT_FDCWD, "", AT_FDCWD, "x", 0));
    said("linkat AT_EMPTY_PATH AT_FDCWD (a directory)",
         linkat(AT_FDCWD, "", AT_FDCWD, "x", AT_EMPTY_PATH));
    said("linkat AT_EMPTY_PATH bad fd", linkat(77, "", AT_FDCWD, "x", AT_EMPTY_PATH));
    int dfd = open("d1", O_RDONLY | O_DIRECTORY);
    said("linkat from d1 ../file to d1 f", linkat(dfd, "../file", dfd, "f", 0));
    describe("d1/f", "file");
    said("unlink d1/f", unlink("d1/f"));
    close(dfd);
    describe("file", NULL);
    said("unlink hard", unlink("hard"));
    said("unlink followed", unlink("followed"));
    said("unlink by-fd", unlink("by-fd"));
    describe("file", NULL);
    list(".");
}

static void symlink_cases(void)
{
    said("symlink file sl", symlink("file", "sl"));
    describe("sl", NULL);
    show("sl");
    char target[2000];
    said("readlink sl", readlink("sl", target, sizeof target));
    said("symlink to nothing", symlink("nowhere", "sl2"));
    show("sl2");
    said("symlink x sl (exists)", symlink("x", "sl"));
    said("symlink x sl2 (exists, dangling)", symlink("x", "sl2"));
    said("symlink x file", symlink("x", "file"));
    said("symlink x d1/", symlink("x", "d1/"));
    said("symlink x new/", symlink("x", "new/"));
    said("symlink x .", symlink("x", "."));
    said("symlink x missing/y", symlink("x", "missing/y"));
    said("symlink \"\" y", symlink("", "y"));
    said("symlink x \"\"", symlink("x", ""));
    said("symlink bad-pointer y", symlink(BAD_POINTER, "y"));
    said("symlink x bad-pointer", symlink("x", BAD_POINTER));
    said("symlink bad-pointer bad-pointer", symlink(BAD_POINTER, BAD_POINTER));
    /* 59 bytes: inside the inode; 60 and 1000: in a block */
    const int lengths[] = { 59, 60, 1000 };
    for (int i = 0; i < 3; i++) {
        int n = lengths[i];
        memset(target, 0, sizeof target);
        for (int j = 0; j < n - 4; j++)
            target[j] = j % 2 == 0 ? '.' : '/'; /* "././.../file" */
        if ((n - 4) % 2 == 1)
            target[n - 5] = '/';
        memcpy(target + n - 4, "file", 4);
        char name[16], what[64];
        snprintf(name, sizeof name, "long%d", n);
        snprintf(what, sizeof what, "symlink of %d bytes", n);
        said(what, symlink(target, name));
        char back[2000];
        long got = readlink(name, back, sizeof back);
        printf("readlink %s: %ld, %s\n", name, got,
               got == n && memcmp(back, target, (size_t)n) == 0 ? "same" : "DIFFERENT");
        struct stat st;
        printf("stat %s: %s\n", name, stat(name, &st) == 0 ? "reached" : strerror(errno));
    }
    said("symlink d1 dl", symlink("d1", "dl"));
    said("mkdir dl/inside (through the link)", mkdir("dl/inside", 0755));
    describe("d1/inside", NULL);
    said("rmdir dl/inside", rmdir("dl/inside"));
    int dfd = open("d1", O_RDONLY | O_DIRECTORY);
    said("symlinkat d1 rel", symlinkat("../file", dfd, "rel"));
    show("d1/rel");
    said("unlinkat d1 rel", unlinkat(dfd, "rel", 0));
    close(dfd);
    said("unlink sl", unlink("sl"));
    show("file");
    list(".");
}

static void rename_cases(void)
{
    said("rename file renamed", rename("file", "renamed"));
    describe("file", NULL);
    show("renamed");
    said("rename renamed file", rename("renamed", "file"));
    said("rename other file (replaces it)", rename("other", "file"));
    show("file");
    describe("other", NULL);
    said("rename file file (itself)", rename("file", "file"));
    said("link file twin", link("file", "twin"));
    said("rename file twin (two links of one inode)", rename("file", "twin"));
    describe("file", "twin");
    said("unlink twin", unlink("twin"));
    said("rename d1 moved", rename("d1", "moved"));
    said("rename moved/ d1/", rename("moved/", "d1/"));
    said("mkdir d1/a", mkdir("d1/a", 0755));
    said("mkdir d1/a/b", mkdir("d1/a/b", 0755));
    said("rename d1 d1/a/b/c (into itself)", rename("d1", "d1/a/b/c"));
    said("rename d1 d1/a (into itself, over a directory)", rename("d1", "d1/a"));
    said("rename d1/a/b d1 (over its own ancestor)", rename("d1/a/b", "d1"));
    said("rename file d1/a/b/.. (dotdot)", rename("file", "d1/a/b/.."));
    said("rename d1/a/b/.. x", rename("d1/a/b/..", "x"));
    said("rename . x", rename(".", "x"));
    said("rename file .", rename("file", "."));
    said("rename / x", rename("/", "x"));
    said("rename file/ x", rename("file/", "x"));
    said("rename file x/", rename("file", "x/"));
    said("rename d1 d-new/", rename("d1", "d-new/"));
    said("rename d-new d1", rename("d-new", "d1"));
    said("rename missing x", rename("missing", "x"));
    said("rename file missing/x", rename("file", "missing/x"));
    said("rename file full (a file over a directory)", rename("file", "full"));
    said("mkdir empty", mkdir("empty", 0755));
    said("rename d1 file (a directory over a file)", rename("d1", "file"));
    said("rename d1 full (over a full directory)", rename("d1", "full"));
    said("rename d1/a empty (over an empty directory)", rename("d1/a", "empty"));
    describe("empty", NULL);
    describe("d1", NULL);
    list("empty");
    said("rename empty d1/a (back, into another directory)", rename("empty", "d1/a"));
    describe("d1", NULL);
    said("rename file /dev/x (another file system)", rename("file", "/dev/x"));
    said("rename /dev/null x", rename("/dev/null", "x"));
    said("rename \"\" x", rename("", "x"));
    said("rename file \"\"", rename("file", ""));
    said("rename bad-pointer x", rename(BAD_POINTER, "x"));
    said("rename file bad-pointer", rename("file", BAD_POINTER));
    said("rename missing bad-pointer", rename("missing", BAD_POINTER));
    said("rename dir-link d1/l (a symlink to a directory)", rename("dir-link", "d1/l"));
    list("d1");
    said("rename d1/l dir-link", rename("d1/l", "dir-link"));
    said("renameat2 NOREPLACE file full",
         renameat2_call(AT_FDCWD, "file", AT_FDCWD, "full", RENAME_NOREPLACE));
    said("renameat2 NOREPLACE file x .",
         renameat2_call(AT_FDCWD, "file", AT_FDCWD, ".", RENAME_NOREPLACE));
    said("renameat2 NOREPLACE file fresh",
         renameat2_call(AT_FDCWD, "file", AT_FDCWD, "fresh", RENAME_NOREPLACE));
    said("renameat2 0 fresh file", renameat2_call(AT_FDCWD, "fresh", AT_FDCWD, "file", 0));
    said("renameat2 bad flags", renameat2_call(AT_FDCWD, "file", AT_FDCWD, "x", 8));
    said("renameat2 EXCHANGE|NOREPLACE",
         renameat2_call(AT_FDCWD, "file", AT_FDCWD, "x", RENAME_EXCHANGE | RENAME_NOREPLACE));
    said("renameat2 EXCHANGE missing target",
         renameat2_call(AT_FDCWD, "file", AT_FDCWD, "missing", RENAME_EXCHANGE));
    int dfd = open("d1", O_RDONLY | O_DIRECTORY);
    said("renameat ../file into d1 as f", renameat(AT_FDCWD, "file", dfd, "f"));
    said("renameat d1 f back", renameat(dfd, "f", AT_FDCWD, "file"));
    close(dfd);
    said("rmdir d1/a/b", rmdir("d1/a/b"));
    said("rmdir d1/a", rmdir("d1/a"));
    list(".");
}

/* A file unlinked while open keeps its bytes until closed; then its blocks are
 * free (names.sh checks them on the image). A link to it is ENOENT. */
static void open_unlinked(void)
{
    int fd = open("big.bin", O_RDONLY);
    said("open big.bin", fd);
    said("unlink big.bin", unlink("big.bin"));
    struct stat st;
    fstat(fd, &st);
    printf("fstat after unlink: nlink %lu size %lld\n", (unsigned long)st.st_nlink,
           (long long)st.st_size);
    static unsigned char buf[65536];
    unsigned long long sum = 0, total = 0;
    long n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (long i = 0; i < n; i++)
            sum = sum * 31 + buf[i];
        total += (unsigned long long)n;
    }
    printf("read after unlink: %llu bytes, sum %llx\n", total, sum);
    said("linkat AT_EMPTY_PATH of the unlinked file",
         linkat(fd, "", AT_FDCWD, "again", AT_EMPTY_PATH));
    describe("big.bin", NULL);
    said("close big.bin", close(fd));
}

/* A working directory removed under the process: getcwd ENOENT, no new names. */
static void removed_cwd(void)
{
    int home = open(".", O_RDONLY | O_DIRECTORY);
    said("mkdir gone", mkdir("gone", 0755));
    said("chdir gone", chdir("gone"));
    said("rmdir ../gone", rmdir("../gone"));
    char buf[256];
    said("getcwd", getcwd(buf, sizeof buf) == NULL ? -1 : 0);
    said("mkdir x in it", mkdir("x", 0755));
    said("symlink in it", symlink("y", "x"));
    said("open O_CREAT in it", open("new", O_WRONLY | O_CREAT, 0644) >= 0 ? 0 : -1);
    int here = open(".", O_RDONLY | O_DIRECTORY);
    said("open . in it", here >= 0 ? 0 : -1);
    close(here);
    describe(".", NULL);
    list(".");
    said("fchdir back", fchdir(home));
    close(home);
    describe("gone", NULL);
}

static void vmlab_only(void)
{
    printf("== vmlab only\n");
    said("renameat2 EXCHANGE file full (ext2 cannot)",
         renameat2_call(AT_FDCWD, "file", AT_FDCWD, "full", RENAME_EXCHANGE));
    said("renameat2 WHITEOUT", renameat2_call(AT_FDCWD, "file", AT_FDCWD, "x", RENAME_WHITEOUT));
    char target[1100];
    memset(target, 'a', sizeof target);
    target[1023] = '\0';
    said("symlink of 1023 bytes", symlink(target, "l1023"));
    target[1023] = 'a';
    target[1024] = '\0';
    said("symlink of 1024 bytes (1 KiB blocks)", symlink(target, "l1024"));
    said("unlink l1023", unlink("l1023"));
    said("mkdir /dev/x", mkdir("/dev/x", 0755));
    said("unlink /dev/null", unlink("/dev/null"));
}

int main(int argc, char **argv)
{
    if (argc < 2 || chdir(argv[1]) != 0) {
        printf("usage: names DIR [vmlab] (a copy of tests/boot/names.sh's tree)\n");
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(0); /* mkdir's modes as asked; mkdir_cases also tries a umask */
    list(".");
    mkdir_cases();
    unlink_cases();
    link_cases();
    symlink_cases();
    rename_cases();
    removed_cwd();
    open_unlinked();
    list(".");
    if (argc > 2 && strcmp(argv[2], "vmlab") == 0)
        vmlab_only();
    sync();
    return 0;
}
