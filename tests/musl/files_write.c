/*
 * files_write.c — writing files, compared with Linux (tests/boot/fs-write.sh).
 *
 *   files_write DIR [vmlab]   the writing calls inside DIR, which holds a copy of
 *                             the staging tree fs-write.sh makes (pre.txt, subdir/,
 *                             dangling -> made-by-link): write, pwrite, holes,
 *                             O_APPEND from two descriptors and across fork, a
 *                             race of appenders, O_TRUNC, O_EXCL, the umask,
 *                             truncate and ftruncate, a file into double-indirect
 *                             blocks, the sync calls, and the errors of each. The
 *                             output must match Linux's byte for byte; with
 *                             "vmlab", a last part checks what only ext2 on 1 KiB
 *                             blocks answers (the largest file size: EFBIG).
 *   files_write DIR fill      write one file until the disk is full: ENOSPC.
 *   files_write DIR fuzz SEED random writes, pwrites, appends, truncates and O_TRUNC
 *                             opens over a few files, each checked against a model
 *                             of its bytes in memory; prints each file's checksum.
 *
 * It prints no inode numbers, times or block counts, only what must agree. Without
 * a directory it says so and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FNV_OFFSET  0xcbf29ce484222325ull
#define FNV_PRIME   0x100000001b3ull
#define BIG_SIZE    300000        /* past 12 + 256 blocks of 1 KiB: double indirect */
#define RECORD      64            /* one appended record */
#define RECORDS     150           /* per appender */
#define EXT2_1K_MAX 17247252480ll /* (12 + 256 + 256^2 + 256^3) blocks of 1 KiB */
#define FILL_CHUNK  65536

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

static unsigned char pattern(uint64_t i)
{
    return (unsigned char)((i * 31 + i / 977) % 253);
}

/* "what: result" or "what: -1 error". */
static void show(const char *what, long result)
{
    if (result < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, result);
}

/* The whole file as text (bytes other than printable ones as \xNN), up to 80 bytes. */
static void show_contents(const char *path)
{
    unsigned char buf[81];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    struct stat st;
    fstat(fd, &st);
    printf("%s: size %lld \"", path, fd < 0 ? -1LL : (long long)st.st_size);
    for (ssize_t i = 0; i < n && i < 80; i++)
        printf(buf[i] >= 32 && buf[i] < 127 ? "%c" : "\\x%02x", buf[i]);
    printf("\"\n");
    close(fd);
}

static uint64_t file_fnv(const char *path, long long *size)
{
    static unsigned char buf[8192];
    int fd = open(path, O_RDONLY);
    uint64_t h = FNV_OFFSET;
    ssize_t n;
    *size = 0;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0) {
        h = fnv(h, buf, (size_t)n);
        *size += n;
    }
    close(fd);
    return h;
}

static int make(const char *path, const char *text)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0 && text != NULL && write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        printf("%s: short write\n", path);
    return fd;
}

/* write, read back, the modes new files get under several umasks. */
static void basics(void)
{
    printf("== basics\n");
    show("umask 022 (was)", umask(022));
    int fd = creat("a.txt", 0666);
    show("creat a.txt", fd >= 0 ? 0 : -1);
    show("write", write(fd, "hello, disk\n", 12));
    show("read on O_WRONLY", read(fd, (char[4]){ 0 }, 4));
    close(fd);
    show_contents("a.txt");
    struct stat st;
    stat("a.txt", &st);
    printf("a.txt mode 0%o nlink %d\n", st.st_mode & 07777, (int)st.st_nlink);
    static const struct {
        mode_t umask, mode;
        const char *name;
    } modes[] = {
        { 027, 0777, "m027" },
        { 0, 0604, "m000" },
        { 0777, 0777, "m777" },
        { 022, 01777, "msticky" },
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        umask(modes[i].umask);
        close(open(modes[i].name, O_WRONLY | O_CREAT, modes[i].mode));
        stat(modes[i].name, &st);
        printf("umask 0%03o mode 0%o: 0%o\n", modes[i].umask, modes[i].mode, st.st_mode & 07777);
    }
    umask(037);
    if (fork() == 0) { /* the child has its parent's umask */
        close(open("from-child", O_WRONLY | O_CREAT, 0777));
        _exit(0);
    }
    wait(NULL);
    stat("from-child", &st);
    printf("umask 037 inherited by fork, mode 0777: 0%o\n", st.st_mode & 07777);
    show("umask 0777777 keeps 0777 (was)", syscall(SYS_umask, 0777777));
    show("umask 022 (was)", umask(022));
    fd = open("rw", O_RDWR | O_CREAT, 0600);
    write(fd, "0123456789", 10);
    show("lseek back", lseek(fd, 3, SEEK_SET));
    char b[8] = { 0 };
    show("read after write", read(fd, b, 4));
    printf("read \"%s\"\n", b);
    show("write in the middle", write(fd, "ab", 2));
    struct iovec iov[3] = { { "x", 1 }, { "", 0 }, { "yz", 2 } };
    show("writev", writev(fd, iov, 3));
    show("lseek end", lseek(fd, 0, SEEK_END));
    close(fd);
    show_contents("rw");
}

/* pwrite and pread at offsets, a gap that reads as zeros, a hole that takes no blocks. */
static void offsets(void)
{
    printf("== offsets\n");
    int fd = open("pw", O_RDWR | O_CREAT | O_EXCL, 0644);
    show("pwrite at 10", pwrite(fd, "ABC", 3, 10));
    show("pwrite at 2", pwrite(fd, "XY", 2, 2));
    show("offset still", lseek(fd, 0, SEEK_CUR));
    char b[4];
    show("pread past the end", pread(fd, b, 4, 13));
    show("pread at 11", pread(fd, b, 4, 11));
    show("pwrite at -1", pwrite(fd, "X", 1, -1));
    close(fd);
    show_contents("pw");
    fd = open("sparse", O_WRONLY | O_CREAT | O_EXCL, 0644);
    show("pwrite at 1000000", pwrite(fd, "end", 3, 1000000));
    show("write at 0", write(fd, "start", 5));
    close(fd);
    struct stat st;
    stat("sparse", &st);
    long long size;
    uint64_t h = file_fnv("sparse", &size);
    printf("sparse: size %lld, fnv %016llx, blocks cover less than 64 KiB: %s\n",
           (long long)st.st_size, (unsigned long long)h, st.st_blocks * 512 < 65536 ? "yes" : "no");
}

/* Two descriptions of one file: two offsets; O_APPEND: every write at the end. */
static void appending(void)
{
    printf("== append\n");
    int a = make("ow", NULL), b = open("ow", O_WRONLY);
    write(a, "AAAA", 4);
    write(b, "BB", 2);
    close(a), close(b);
    show_contents("ow");
    a = open("ap", O_WRONLY | O_CREAT | O_APPEND, 0644);
    b = open("ap", O_WRONLY | O_APPEND);
    write(a, "1111", 4);
    write(b, "22", 2);
    show("offset of a after b's write", lseek(a, 0, SEEK_CUR));
    write(a, "3", 1);
    show("pwrite at 0 with O_APPEND", pwrite(b, "Z", 1, 0));
    show("offset of b after pwrite", lseek(b, 0, SEEK_CUR));
    close(a), close(b);
    show_contents("ap");
    /* after fork: one description, one offset; the child's own open: another */
    int fd = make("fk", "P1");
    if (fork() == 0) {
        write(fd, "C1", 2);
        int own = open("fk", O_WRONLY);
        write(own, "cc", 2);
        _exit(0);
    }
    wait(NULL);
    write(fd, "P2", 2);
    close(fd);
    show_contents("fk");
}

/* Two processes append records at once, each through its own O_APPEND
 * description (and then through one shared): none may land on another. */
static void append_race(const char *path, int shared)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    pid_t child = fork();
    if (!shared)
        fd = open(path, O_WRONLY | O_APPEND); /* (the first stays open, unused) */
    char rec[RECORD];
    for (int i = 0; i < RECORDS; i++) {
        memset(rec, child == 0 ? 'c' : 'p', sizeof rec);
        snprintf(rec, sizeof rec, "%c%03d", child == 0 ? 'c' : 'p', i);
        rec[4] = rec[0];
        rec[RECORD - 1] = '\n';
        if (write(fd, rec, sizeof rec) != sizeof rec)
            printf("%s: a short append\n", path);
    }
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    close(fd);
    /* every record whole: 64 bytes of one writer, numbered in order per writer */
    int in = open(path, O_RDONLY), intact = 0, next[2] = { 0, 0 };
    while (read(in, rec, sizeof rec) == sizeof rec) {
        int who = rec[0] == 'c', n = atoi(rec + 1), ok = rec[RECORD - 1] == '\n';
        for (int i = 4; i < RECORD - 1; i++)
            ok &= rec[i] == rec[0];
        if (ok && (rec[0] == 'c' || rec[0] == 'p') && n == next[who]) {
            next[who]++;
            intact++;
        }
    }
    close(in);
    struct stat st;
    stat(path, &st);
    printf("%s: size %lld, %d records intact of %d\n", path, (long long)st.st_size, intact,
           2 * RECORDS);
}

/* O_TRUNC, O_EXCL, O_CREAT through a dangling symbolic link. */
static void open_flags(void)
{
    printf("== open flags\n");
    long long size;
    file_fnv("pre.txt", &size);
    printf("pre.txt: %lld bytes before\n", size);
    show("O_RDONLY|O_TRUNC (truncates: root may write)", open("pre.txt", O_RDONLY | O_TRUNC));
    show_contents("pre.txt");
    int fd = make("t", "twelve bytes");
    close(fd);
    close(open("t", O_WRONLY | O_TRUNC));
    show_contents("t");
    show("O_TRUNC of /dev/null", open("/dev/null", O_WRONLY | O_TRUNC) >= 0 ? 0 : -1);
    show("O_CREAT|O_EXCL of a.txt", open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
    show("O_CREAT|O_EXCL of the dangling link",
         open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644));
    show("O_CREAT|O_EXCL of subdir", open("subdir", O_RDONLY | O_CREAT | O_EXCL, 0644));
    show("O_CREAT|O_EXCL of subdir/.", open("subdir/.", O_RDONLY | O_CREAT | O_EXCL, 0644));
    show("O_CREAT of subdir", open("subdir", O_RDONLY | O_CREAT, 0644));
    show("O_CREAT of subdir/", open("subdir/", O_WRONLY | O_CREAT, 0644));
    show("O_CREAT of new/", open("new/", O_WRONLY | O_CREAT, 0644));
    show("O_CREAT of a.txt/", open("a.txt/", O_WRONLY | O_CREAT, 0644));
    show("O_CREAT of a.txt/x", open("a.txt/x", O_WRONLY | O_CREAT, 0644));
    show("O_CREAT of nodir/x", open("nodir/x", O_WRONLY | O_CREAT, 0644));
    show("O_CREAT of \"\"", open("", O_WRONLY | O_CREAT, 0644));
    show("O_WRONLY of subdir", open("subdir", O_WRONLY));
    show("creat subdir", creat("subdir", 0644));
    fd = open("dangling", O_WRONLY | O_CREAT, 0600);
    show("O_CREAT of the dangling link", fd >= 0 ? 0 : -1);
    write(fd, "made through a link\n", 20);
    close(fd);
    show_contents("made-by-link");
    struct stat st;
    lstat("dangling", &st);
    printf("dangling is still a link: %s\n", S_ISLNK(st.st_mode) ? "yes" : "no");
    show("O_CREAT|O_NOFOLLOW of the link", open("dangling", O_WRONLY | O_CREAT | O_NOFOLLOW, 0644));
    fd = openat(open("subdir", O_RDONLY), "in-sub", O_WRONLY | O_CREAT | O_EXCL, 0640);
    write(fd, "via openat\n", 11);
    close(fd);
    show_contents("subdir/in-sub");
    char name[300];
    memset(name, 'n', 256);
    name[256] = '\0';
    show("O_CREAT of a 256-byte name", open(name, O_WRONLY | O_CREAT, 0644));
    name[255] = '\0';
    show("O_CREAT of a 255-byte name", open(name, O_WRONLY | O_CREAT, 0644) >= 0 ? 0 : -1);
    char *longpath = malloc(5000);
    memset(longpath, 'a', 4999);
    longpath[4999] = '\0';
    show("O_CREAT of a 4999-byte path", open(longpath, O_WRONLY | O_CREAT, 0644));
    free(longpath);
    show("O_CREAT of a bad address", open((char *)8, O_WRONLY | O_CREAT, 0644));
}

/* truncate and ftruncate: shrink, grow, what reads back. */
static void truncating(void)
{
    printf("== truncate\n");
    unsigned char buf[3000];
    for (int i = 0; i < 3000; i++)
        buf[i] = pattern((uint64_t)i);
    int fd = open("tr", O_RDWR | O_CREAT | O_EXCL, 0644);
    write(fd, buf, sizeof buf);
    show("truncate to 1500", truncate("tr", 1500));
    show("ftruncate to 5000", ftruncate(fd, 5000));
    show("offset stays", lseek(fd, 0, SEEK_CUR));
    unsigned char back[5000];
    show("pread all", pread(fd, back, sizeof back, 0));
    int same = memcmp(back, buf, 1500) == 0, zeros = 1;
    for (int i = 1500; i < 5000; i++)
        zeros &= back[i] == 0;
    printf("first 1500 the same: %s, the rest zeros: %s\n", same ? "yes" : "no",
           zeros ? "yes" : "no");
    show("ftruncate to 100", ftruncate(fd, 100));
    show("write at the old offset", write(fd, "W", 1));
    struct stat st;
    fstat(fd, &st);
    printf("size %lld\n", (long long)st.st_size);
    close(fd);
    fd = open("tr", O_RDONLY);
    show("ftruncate on O_RDONLY", ftruncate(fd, 0));
    close(fd);
    int pipes[2];
    pipe(pipes);
    int dir = open("subdir", O_RDONLY | O_DIRECTORY), null = open("/dev/null", O_RDWR);
    show("ftruncate -1", ftruncate(-1, 0));
    show("ftruncate -1 to -1", ftruncate(-1, -1));
    show("ftruncate to -1", ftruncate(null, -1));
    show("ftruncate of a pipe", ftruncate(pipes[1], 0));
    show("ftruncate of a directory", ftruncate(dir, 0));
    show("ftruncate of /dev/null", ftruncate(null, 0));
    show("truncate subdir", truncate("subdir", 0));
    show("truncate /dev/null", truncate("/dev/null", 0));
    show("truncate missing", truncate("missing", 0));
    show("truncate a.txt/", truncate("a.txt/", 0));
    show("truncate to -1", truncate("tr", -1));
    show("truncate of a bad address", truncate((char *)8, 0));
    printf("== sync\n");
    fd = open("a.txt", O_RDONLY);
    show("fsync of a file open for reading", fsync(fd));
    show("fdatasync", fdatasync(fd));
    show("syncfs", syncfs(fd));
    show("fsync of a directory", fsync(dir));
    show("fsync of a pipe", fsync(pipes[0]));
    show("fdatasync of a pipe", fdatasync(pipes[1]));
    show("syncfs of a pipe", syncfs(pipes[0]));
    show("fsync of /dev/null", fsync(null));
    show("fsync -1", fsync(-1));
    show("syncfs 99", syncfs(99));
    sync();
    printf("sync: done\n");
    close(fd), close(dir), close(null), close(pipes[0]), close(pipes[1]);
}

/* A file into double-indirect blocks, written in odd pieces, checked at offsets. */
static void big_file(void)
{
    printf("== big file\n");
    static unsigned char buf[BIG_SIZE], back[4096];
    for (int i = 0; i < BIG_SIZE; i++)
        buf[i] = pattern((uint64_t)i);
    int fd = open("big.bin", O_RDWR | O_CREAT | O_EXCL, 0644);
    long done = 0;
    for (int at = 0; at < BIG_SIZE; at += 7001) {
        int n = BIG_SIZE - at < 7001 ? BIG_SIZE - at : 7001;
        done += write(fd, buf + at, (size_t)n);
    }
    printf("wrote %ld\n", done);
    int mismatches = 0;
    for (int k = 0; k < 50; k++) {
        off_t at = (off_t)((k * 104729u) % (BIG_SIZE - 4096));
        if (pread(fd, back, sizeof back, at) != sizeof back || memcmp(back, buf + at, sizeof back))
            mismatches++;
    }
    close(fd);
    long long size;
    uint64_t h = file_fnv("big.bin", &size);
    printf("big.bin: %lld bytes, fnv %016llx (expected %016llx), %d of 50 preads differ\n", size,
           (unsigned long long)h, (unsigned long long)fnv(FNV_OFFSET, buf, BIG_SIZE), mismatches);
}

/* Sleep until the wall clock is into its next second (plus a margin for the file
 * system's coarser clock): what happens next gets a later one-second timestamp
 * than what happened before. Half a second on average, where a flat 1.1 s sleep
 * would do the same. */
static void sleep_into_next_second(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long margin_ns = 20 * 1000 * 1000;
    long left_ns = 1000000000L - now.tv_nsec + margin_ns;
    nanosleep(&(struct timespec){ left_ns / 1000000000L, left_ns % 1000000000L }, NULL);
}

/* Bad buffers, descriptors and times. */
static void errors_and_times(void)
{
    printf("== errors\n");
    int fd = make("ef", NULL);
    show("write from a bad address", write(fd, (void *)8, 10));
    unsigned char *pages =
        mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(pages, 'q', 4096);
    mprotect(pages + 4096, 4096, PROT_NONE);
    show("write across into a PROT_NONE page", write(fd, pages + 4096 - 100, 200));
    show("pwrite across into a PROT_NONE page", pwrite(fd, pages + 4096 - 10, 200, 1000));
    show("write of 0 bytes", write(fd, NULL, 0));
    struct stat st;
    fstat(fd, &st);
    printf("ef: size %lld\n", (long long)st.st_size);
    close(fd);
    show("write to a closed descriptor", write(fd, "x", 1));
    fd = open("a.txt", O_RDONLY);
    show("write to O_RDONLY", write(fd, "x", 1));
    show("pwrite to O_RDONLY", pwrite(fd, "x", 1, 0));
    close(fd);
    printf("== times\n");
    fd = open("a.txt", O_WRONLY);
    struct stat before, after;
    fstat(fd, &before);
    sleep_into_next_second();
    write(fd, "H", 1);
    fstat(fd, &after);
    printf("write moves mtime: %s, ctime with it: %s\n",
           after.st_mtime > before.st_mtime ? "yes" : "no",
           after.st_ctime == after.st_mtime ? "yes" : "no");
    before = after;
    sleep_into_next_second();
    ftruncate(fd, 5);
    fstat(fd, &after);
    printf("ftruncate moves mtime: %s\n", after.st_mtime > before.st_mtime ? "yes" : "no");
    close(fd);
}

/* statx's record, as the kernel defines it (not every C library declares it). */
struct statx_record {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct {
        int64_t sec;
        uint32_t nsec;
        int32_t reserved;
    } atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};

#define NR_STATX          332
#define STATX_BASIC_STATS 0x7ff

static long statx_of(int dirfd, const char *path, int flags, unsigned mask, struct statx_record *sx)
{
    return syscall(NR_STATX, dirfd, path, flags, mask, sx);
}

/* statx says what stat says: every basic field, for a file, a directory, a link, a
 * device; and its errors. */
static void statx_calls(void)
{
    printf("== statx\n");
    static const char *paths[] = { "a.txt", "subdir", "dangling", "/dev/null", "big.bin" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct stat st;
        struct statx_record sx;
        lstat(paths[i], &st);
        long r = statx_of(AT_FDCWD, paths[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
        int same = r == 0 && (sx.mask & STATX_BASIC_STATS) == STATX_BASIC_STATS &&
                   sx.mode == st.st_mode && sx.nlink == st.st_nlink && sx.uid == st.st_uid &&
                   sx.gid == st.st_gid && sx.ino == st.st_ino && sx.size == (uint64_t)st.st_size &&
                   sx.blocks == (uint64_t)st.st_blocks && sx.blksize == st.st_blksize &&
                   sx.mtime.sec == st.st_mtime && sx.ctime.sec == st.st_ctime &&
                   makedev(sx.dev_major, sx.dev_minor) == st.st_dev &&
                   makedev(sx.rdev_major, sx.rdev_minor) == st.st_rdev;
        printf("statx %s: %ld, as stat: %s\n", paths[i], r, same ? "yes" : "no");
    }
    struct statx_record sx;
    show("statx with the reserved mask bit", statx_of(AT_FDCWD, "a.txt", 0, 0x80000000u, &sx));
    show("statx with both sync flags", statx_of(AT_FDCWD, "a.txt", 0x6000, STATX_BASIC_STATS, &sx));
    show("statx with an unknown flag", statx_of(AT_FDCWD, "a.txt", 0x1, STATX_BASIC_STATS, &sx));
    show("statx of a missing file", statx_of(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx));
    show("statx of a bad path", statx_of(AT_FDCWD, (char *)8, 0, STATX_BASIC_STATS, &sx));
    show("statx into a bad buffer", statx_of(AT_FDCWD, "a.txt", 0, STATX_BASIC_STATS, (void *)8));
    int fd = open("a.txt", O_RDONLY);
    show("statx AT_EMPTY_PATH", statx_of(fd, "", AT_EMPTY_PATH, 0, &sx));
    printf("its size: %llu\n", (unsigned long long)sx.size);
    close(fd);
}

/* ext2 with 1 KiB blocks addresses EXT2_1K_MAX bytes: beyond is EFBIG. */
static void vmlab_only(void)
{
    printf("== vmlab only\n");
    int fd = open("huge", O_RDWR | O_CREAT | O_EXCL, 0644);
    show("pwrite at the largest size", pwrite(fd, "x", 1, EXT2_1K_MAX));
    show("pwrite of 2 bytes 1 before it", pwrite(fd, "yz", 2, EXT2_1K_MAX - 1));
    show("ftruncate past it", ftruncate(fd, EXT2_1K_MAX + 1));
    show("truncate past it", truncate("huge", EXT2_1K_MAX + 1));
    show("lseek to it, then write", lseek(fd, EXT2_1K_MAX, SEEK_SET) < 0 ? -1 : write(fd, "x", 1));
    show("ftruncate to 3", ftruncate(fd, 3));
    show("fsync of the console", fsync(0));
    close(fd);
    show_contents("huge");
}

/* Fill the disk: writes of 64 KiB until one is short, then ENOSPC. */
static void fill(void)
{
    static unsigned char buf[FILL_CHUNK];
    int fd = open("fill", O_WRONLY | O_CREAT | O_EXCL, 0644);
    long long total = 0;
    ssize_t n;
    while ((n = write(fd, buf, sizeof buf)) == sizeof buf) {
        total += n;
        for (int i = 0; i < FILL_CHUNK; i++)
            buf[i] = pattern((uint64_t)(total + i));
    }
    if (n > 0)
        total += n;
    printf("fill: a short write of %zd\n", n);
    show("then", write(fd, buf, 1));
    show("then pwrite into a hole", pwrite(fd, "h", 1, total + 1000000));
    close(fd);
    long long size;
    uint64_t h = file_fnv("fill", &size);
    printf("fill: %lld bytes written, %lld read back, fnv %016llx\n", total, size,
           (unsigned long long)h);
    fd = open("after-full", O_WRONLY | O_CREAT, 0644);
    show("a new empty file", fd >= 0 ? 0 : -1);
    show("writing to it", write(fd, "x", 1));
}

#define FUZZ_FILES 4
#define FUZZ_MAX   (512 * 1024) /* the model's bytes per file */
#define FUZZ_OPS   400

static uint64_t fuzz_state;

static uint32_t fuzz_rng(uint32_t n)
{
    fuzz_state = fuzz_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(fuzz_state >> 33) % n;
}

/* One random change to file i (descriptor fd) and its model; returns its size. */
static long fuzz_op(int fd, const char *name, unsigned char *model, long size, unsigned char *buf)
{
    uint32_t op = fuzz_rng(5), len = fuzz_rng(3) == 0 ? fuzz_rng(70000) : fuzz_rng(3000);
    long at = (long)fuzz_rng(FUZZ_MAX - 70000);
    for (uint32_t k = 0; k < len; k++)
        buf[k] = (unsigned char)fuzz_rng(256);
    if (op == 0 || op == 1) { /* pwrite at a random place: maybe a hole before it */
        if (pwrite(fd, buf, len, at) != (ssize_t)len)
            printf("%s: short pwrite\n", name);
        memcpy(model + at, buf, len);
        return at + (long)len > size ? at + (long)len : size;
    }
    if (op == 2 && size + (long)len <= FUZZ_MAX) { /* append through a second description */
        int ap = open(name, O_WRONLY | O_APPEND);
        if (write(ap, buf, len) != (ssize_t)len)
            printf("%s: short append\n", name);
        close(ap);
        memcpy(model + size, buf, len);
        return size + (long)len;
    }
    if (op == 3) { /* ftruncate or truncate to a random size */
        if ((fuzz_rng(2) ? ftruncate(fd, at) : truncate(name, at)) != 0)
            printf("%s: truncate: %s\n", name, strerror(errno));
        if (at > size)
            memset(model + size, 0, (size_t)(at - size));
        return at;
    }
    if (op == 4 && fuzz_rng(8) == 0) { /* now and then, O_TRUNC */
        close(open(name, O_WRONLY | O_TRUNC));
        return 0;
    }
    return size;
}

static void fuzz(const char *seed)
{
    static unsigned char model[FUZZ_FILES][FUZZ_MAX], buf[70000], back[FUZZ_MAX];
    fuzz_state = strtoull(seed, NULL, 10);
    long size[FUZZ_FILES] = { 0 };
    int fd[FUZZ_FILES];
    char name[FUZZ_FILES][16];
    for (int i = 0; i < FUZZ_FILES; i++) {
        snprintf(name[i], sizeof name[i], "fuzz-%d", i);
        fd[i] = open(name[i], O_RDWR | O_CREAT | O_TRUNC, 0644);
    }
    for (int n = 0; n < FUZZ_OPS; n++) {
        int i = (int)fuzz_rng(FUZZ_FILES);
        long before = size[i];
        size[i] = fuzz_op(fd[i], name[i], model[i], size[i], buf);
        if (size[i] < before) /* what was cut reads as zeros if the file grows again */
            memset(model[i] + size[i], 0, (size_t)(before - size[i]));
    }
    for (int i = 0; i < FUZZ_FILES; i++) {
        struct stat st;
        fstat(fd[i], &st);
        ssize_t got = pread(fd[i], back, FUZZ_MAX, 0);
        printf("%s: size %lld (model %ld), read %zd, %s, fnv %016llx\n", name[i],
               (long long)st.st_size, size[i], got,
               got == size[i] && memcmp(back, model[i], (size_t)size[i]) == 0 ? "as the model"
                                                                              : "DIFFERENT",
               (unsigned long long)fnv(FNV_OFFSET, back, got > 0 ? (size_t)got : 0));
        close(fd[i]);
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2 || chdir(argv[1]) != 0) {
        printf("files_write: usage: files_write DIR [vmlab|fill]\n");
        return 0;
    }
    if (argc > 3 && strcmp(argv[2], "fuzz") == 0) {
        fuzz(argv[3]);
        return 0;
    }
    if (argc > 2 && strcmp(argv[2], "fill") == 0) {
        fill();
        return 0;
    }
    basics();
    offsets();
    appending();
    append_race("race-own", 0);
    append_race("race-shared", 1);
    open_flags();
    truncating();
    big_file();
    errors_and_times();
    statx_calls();
    if (argc > 2 && strcmp(argv[2], "vmlab") == 0)
        vmlab_only();
    return 0;
}
