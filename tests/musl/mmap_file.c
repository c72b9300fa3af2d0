/*
 * mmap_file.c — memory-mapped files, compared with Linux (tests/boot/mmap-file.sh).
 *
 *   mmap_file DIR [vmlab]   chdir(DIR), an empty scratch directory on a disk, then
 *                           one line per rule of mmap(2) on files: the errors of
 *                           mmap with a descriptor (EBADF, EACCES by open mode,
 *                           ENODEV, EINVAL, EOVERFLOW); contents equal to read() at
 *                           page-aligned offsets; the mapping outliving close();
 *                           MAP_SHARED writes seen by read(), by other mappings and
 *                           by the disk, MAP_PRIVATE ones by nobody; write() seen
 *                           through mappings; munmap splits, fork, mremap; past the
 *                           end of the file (zeros, then SIGBUS as the parent's
 *                           wait status), ftruncate under a mapping; stores whose
 *                           page-table entries move or go; read() and write() to
 *                           and from mappings; msync, mincore and madvise with
 *                           their errors; ETXTBSY; minor faults. With "vmlab", a
 *                           last part checks what only vmlab can say (the console
 *                           cannot be mapped).
 *   mmap_file DIR big MIB   write a file of MIB MiB, then read it back through
 *                           read() and through a MAP_PRIVATE mapping, checking each
 *                           byte (run on vmlab with less memory than the file).
 *   mmap_file DIR sums [vmlab]
 *                           each file the main run left in DIR, read through a
 *                           mapping and through read(): size and checksum (run on
 *                           vmlab after a fresh boot: the pages come from the disk).
 *   mmap_file --wait        (used by the ETXTBSY part) say "ready", then wait for
 *                           end of file on standard input.
 *
 * It prints no addresses, pids or times, only what must agree. Files left in DIR
 * (kept.bin, synced.bin, tail.bin...) are compared with Linux's by the test script.
 * The ETXTBSY part runs a copy of DIR/prog if there is one, else of argv[0].
 * Without a directory it says so and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE      4096
#define FILE_PAGE 5 /* pages in data.bin, the file most parts map */
#define TAIL_SIZE 5000
#define MIB       (1024 * 1024)

/* ---- printing ---- */

static const char *errno_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ETXTBSY: return "ETXTBSY";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOSYS: return "ENOSYS";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return "another error";
    }
}

/* "what: 0", "what: ok" for a result that is an address, or "what: -1 ENAME". */
static void show(const char *what, long result)
{
    if (result == -1)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %ld\n", what, result);
}

static void show_map(const char *what, void *p)
{
    if (p == MAP_FAILED)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: ok\n", what);
}

static void yes_no(const char *what, int yes)
{
    printf("%s: %s\n", what, yes ? "yes" : "no");
}

static const char *self; /* argv[0]: the ETXTBSY part runs a copy of this program */

/* ---- files and patterns ---- */

/* The byte at offset i of every pattern file: never 0, changing within a page and
 * from page to page, so a page shown at the wrong offset is seen. */
static unsigned char pattern(uint64_t i)
{
    return (unsigned char)(1 + (i * 7 + i / PAGE * 13) % 251);
}

/* Make (or remake) NAME holding SIZE bytes of the pattern, written with write(). */
static void make_file(const char *name, long size)
{
    static unsigned char buf[16 * PAGE];
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (long done = 0; done < size;) {
        long n = size - done < (long)sizeof buf ? size - done : (long)sizeof buf;
        for (long i = 0; i < n; i++)
            buf[i] = pattern((uint64_t)(done + i));
        if (write(fd, buf, (size_t)n) != n) {
            printf("%s: short write\n", name);
            break;
        }
        done += n;
    }
    close(fd);
}

/* Does [p, p + len) hold the pattern of file offsets [offset, offset + len)? */
static int holds_pattern(const unsigned char *p, long offset, long len)
{
    for (long i = 0; i < len; i++)
        if (p[i] != pattern((uint64_t)(offset + i)))
            return 0;
    return 1;
}

static int all_zero(const unsigned char *p, long len)
{
    for (long i = 0; i < len; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

/* The byte at OFFSET of NAME read with pread (-1 if there is none). */
static int byte_at(const char *name, long offset)
{
    unsigned char b;
    int fd = open(name, O_RDONLY);
    long n = pread(fd, &b, 1, offset);
    close(fd);
    return n == 1 ? b : -1;
}

static long file_size(const char *name)
{
    struct stat st;
    return stat(name, &st) == 0 ? (long)st.st_size : -1;
}

/* mmap through the raw system call: musl's wrapper refuses unaligned offsets itself. */
static void *raw_mmap(void *addr, size_t len, int prot, int flags, int fd, long offset)
{
    return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, offset);
}

/* ---- children ---- */

static const char *signal_name(int s)
{
    switch (s) {
    case SIGBUS: return "SIGBUS";
    case SIGSEGV: return "SIGSEGV";
    case SIGKILL: return "SIGKILL";
    default: return "another signal";
    }
}

/* Run STEP(ARG) in a child and print how it ended, as its parent's wait status shows. */
static void in_child(const char *what, void (*step)(volatile unsigned char *),
                     volatile unsigned char *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        step(arg);
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        printf("%s: fork or wait failed\n", what);
    else if (WIFSIGNALED(status))
        printf("%s: killed by %s\n", what, signal_name(WTERMSIG(status)));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void touch_read(volatile unsigned char *p)
{
    (void)*p;
}

static void touch_write(volatile unsigned char *p)
{
    *p = 0x55;
}

/* ---- the parts ---- */

/* The errors of mmap with a descriptor, each with otherwise good arguments. */
static void errors(void)
{
    printf("== mmap errors\n");
    make_file("data.bin", FILE_PAGE * PAGE);
    int ro = open("data.bin", O_RDONLY), wo = open("data.bin", O_WRONLY),
        rw = open("data.bin", O_RDWR);
    void *p;
    show_map("length 0", p = raw_mmap(NULL, 0, PROT_READ, MAP_PRIVATE, ro, 0));
    show_map("offset 100", p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, 100));
    show_map("offset 100, bad fd", p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 100));
    show_map("fd -1", p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0));
    show_map("fd 999", p = raw_mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 999, 0));
    show_map("MAP_ANONYMOUS with fd 999",
             p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 999, 0));
    if (p != MAP_FAILED)
        yes_no("  reads zero", *(unsigned char *)p == 0), munmap(p, PAGE);
    static const struct {
        const char *what;
        int which, prot, flags;
    } modes[] = {
        { "O_RDONLY MAP_SHARED PROT_READ", 0, PROT_READ, MAP_SHARED },
        { "O_RDONLY MAP_SHARED PROT_READ|PROT_WRITE", 0, PROT_READ | PROT_WRITE, MAP_SHARED },
        { "O_RDONLY MAP_SHARED PROT_WRITE", 0, PROT_WRITE, MAP_SHARED },
        { "O_RDONLY MAP_PRIVATE PROT_READ|PROT_WRITE", 0, PROT_READ | PROT_WRITE, MAP_PRIVATE },
        { "O_WRONLY MAP_SHARED PROT_WRITE", 1, PROT_WRITE, MAP_SHARED },
        { "O_WRONLY MAP_SHARED PROT_READ", 1, PROT_READ, MAP_SHARED },
        { "O_WRONLY MAP_PRIVATE PROT_READ", 1, PROT_READ, MAP_PRIVATE },
        { "O_WRONLY MAP_PRIVATE PROT_NONE", 1, PROT_NONE, MAP_PRIVATE },
        { "O_RDWR MAP_SHARED PROT_READ|PROT_WRITE", 2, PROT_READ | PROT_WRITE, MAP_SHARED },
        { "O_RDWR MAP_PRIVATE PROT_READ|PROT_WRITE", 2, PROT_READ | PROT_WRITE, MAP_PRIVATE },
    };
    int fds[3] = { ro, wo, rw };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        show_map(modes[i].what,
                 p = raw_mmap(NULL, PAGE, modes[i].prot, modes[i].flags, fds[modes[i].which], 0));
        if (p != MAP_FAILED)
            munmap(p, PAGE);
    }
    /* a shared mapping of an O_RDONLY descriptor cannot be made writable later; a private one can
     */
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
    show("O_RDONLY MAP_SHARED, mprotect PROT_WRITE", mprotect(p, PAGE, PROT_READ | PROT_WRITE));
    munmap(p, PAGE);
    p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, 0);
    show("O_RDONLY MAP_PRIVATE, mprotect PROT_WRITE", mprotect(p, PAGE, PROT_READ | PROT_WRITE));
    munmap(p, PAGE);
    /* after close() the mapping still knows the open mode it was made with */
    int fd = open("data.bin", O_RDWR);
    p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    show("O_RDWR MAP_SHARED PROT_READ, closed, mprotect PROT_WRITE",
         mprotect(p, PAGE, PROT_READ | PROT_WRITE));
    ((unsigned char *)p)[9] = 'M';
    printf("  a store then: read() sees %c\n", byte_at("data.bin", 9));
    ((unsigned char *)p)[9] = pattern(9);
    munmap(p, PAGE);
    /* O_APPEND is no bar to a shared writable mapping (only the inode's append-only flag is) */
    int append = open("data.bin", O_RDWR | O_APPEND);
    show_map("O_RDWR|O_APPEND MAP_SHARED PROT_WRITE",
             p = raw_mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, append, 0));
    if (p != MAP_FAILED)
        munmap(p, PAGE);
    close(append);
    /* page-aligned offsets far beyond the end are allowed; past the largest file, not */
    show_map("offset 2^40 (past the end)",
             p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, 1L << 40));
    if (p != MAP_FAILED) {
        in_child("  touching it", touch_read, p);
        munmap(p, PAGE);
    }
    /* the end must stay within the largest file offset, 2^63 - 1 */
    show_map("offset -4096", p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, -4096));
    show_map("offset 2^63 - 4096, 1 page",
             p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, INT64_MAX - 4095));
    show_map("offset 2^63 - 8192, 1 page",
             p = raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, INT64_MAX - 8191));
    if (p != MAP_FAILED) {
        in_child("  touching it", touch_read, p);
        munmap(p, PAGE);
    }
    close(ro), close(wo), close(rw);
    /* things that are not regular files */
    int pipe_fds[2];
    pipe(pipe_fds);
    show_map("pipe's read end", raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pipe_fds[0], 0));
    show_map("pipe's write end", raw_mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pipe_fds[1], 0));
    close(pipe_fds[0]), close(pipe_fds[1]);
    int null = open("/dev/null", O_RDWR);
    show_map("/dev/null", raw_mmap(NULL, PAGE, PROT_READ, MAP_SHARED, null, 0));
    close(null);
    /* /dev/zero maps as anonymous memory: private, or shared with children */
    int zero = open("/dev/zero", O_RDWR);
    unsigned char *z = raw_mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    show_map("/dev/zero MAP_PRIVATE", z);
    if (z != MAP_FAILED) {
        z[PAGE] = 3;
        yes_no("  reads zero, takes a write", z[0] == 0 && z[PAGE] == 3);
        munmap(z, 2 * PAGE);
    }
    z = raw_mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    show_map("/dev/zero MAP_SHARED", z);
    if (z != MAP_FAILED) {
        in_child("  a child writes it", touch_write, z + PAGE);
        printf("  the parent reads %d, %d\n", z[0], z[PAGE]);
        munmap(z, 2 * PAGE);
    }
    close(zero);
    mkdir("subdir", 0755);
    int dir = open("subdir", O_RDONLY | O_DIRECTORY);
    show_map("a directory", raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0));
    close(dir);
    int closed = open("data.bin", O_RDONLY);
    close(closed);
    show_map("a closed fd", raw_mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, closed, 0));
}

/* What a mapping shows: the bytes read() gives, at any page-aligned offset; the
 * mapping stays when the descriptor is closed. */
static void contents(void)
{
    printf("== contents\n");
    int fd = open("data.bin", O_RDONLY);
    static unsigned char buf[FILE_PAGE * PAGE];
    show("read the file", read(fd, buf, sizeof buf));
    unsigned char *priv = mmap(NULL, FILE_PAGE * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    unsigned char *shared = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE);
    unsigned char *last = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 4 * PAGE);
    close(fd);
    yes_no("MAP_PRIVATE, offset 0, 5 pages equal read()", memcmp(priv, buf, sizeof buf) == 0);
    yes_no("MAP_SHARED, offset 8192, 2 pages equal read()",
           memcmp(shared, buf + 2 * PAGE, 2 * PAGE) == 0);
    yes_no("MAP_PRIVATE, offset 16384, 1 page equals read()",
           memcmp(last, buf + 4 * PAGE, PAGE) == 0);
    printf("after close: byte 4097 through the mapping is %d (pattern %d)\n", priv[4097],
           pattern(4097));
    munmap(priv, FILE_PAGE * PAGE), munmap(shared, 2 * PAGE), munmap(last, PAGE);
}

/* MAP_SHARED writes: seen at once by read(), by another shared mapping and by a private
 * mapping's untouched pages; on the disk after munmap and after msync. */
static void shared_writes(void)
{
    printf("== MAP_SHARED writes\n");
    make_file("kept.bin", 3 * PAGE);
    int fd = open("kept.bin", O_RDWR);
    unsigned char *a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *priv = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    int other = open("kept.bin", O_RDWR);
    unsigned char *b = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, other, PAGE);
    close(other);
    a[100] = 'A';
    a[PAGE + 7] = 'B';
    b[PAGE + 9] = 'C'; /* offset 2 * PAGE + 9 */
    printf("read() at 100, 4103, 8201: %c %c %c\n", byte_at("kept.bin", 100),
           byte_at("kept.bin", PAGE + 7), byte_at("kept.bin", 2 * PAGE + 9));
    printf("the other mapping at 4103: %c; the first at 8201: %c\n", b[7], a[2 * PAGE + 9]);
    printf("an untouched MAP_PRIVATE mapping at 100, 4103: %c %c\n", priv[100], priv[PAGE + 7]);
    show("msync MS_SYNC", msync(a, 3 * PAGE, MS_SYNC));
    munmap(a, 3 * PAGE), munmap(b, 2 * PAGE), munmap(priv, 3 * PAGE);
    close(fd);
    printf("reopened after munmap, at 100, 4103, 8201: %c %c %c\n", byte_at("kept.bin", 100),
           byte_at("kept.bin", PAGE + 7), byte_at("kept.bin", 2 * PAGE + 9));
    /* written through the mapping only, then unmapped without msync: the script finds
     * it on the disk after the power-off */
    make_file("synced.bin", 2 * PAGE);
    fd = open("synced.bin", O_RDWR);
    a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    memcpy(a + 10, "through a shared mapping", 24);
    memset(a + PAGE, 'z', PAGE);
    munmap(a, 2 * PAGE);
    printf("synced.bin: size %ld, byte 10 %c, byte 8191 %c\n", file_size("synced.bin"),
           byte_at("synced.bin", 10), byte_at("synced.bin", 2 * PAGE - 1));
}

/* MAP_PRIVATE writes are the process's own; its pages not yet written show the file
 * as it is now. */
static void private_writes(void)
{
    printf("== MAP_PRIVATE writes\n");
    make_file("priv.bin", 3 * PAGE);
    int fd = open("priv.bin", O_RDWR);
    unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char *s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *p2 = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    unsigned char was = p[PAGE + 1]; /* page 1 read through the private mapping first */
    p[5] = 'P';
    printf("private byte 5: %c; read() sees the pattern: %s; shared mapping: %s; another private: "
           "%s\n",
           p[5], byte_at("priv.bin", 5) == pattern(5) ? "yes" : "no",
           s[5] == pattern(5) ? "yes" : "no", p2[5] == pattern(5) ? "yes" : "no");
    pwrite(fd, "WXY", 3, 4);          /* page 0: written privately */
    pwrite(fd, "R", 1, PAGE + 1);     /* page 1: only read through the mapping */
    pwrite(fd, "U", 1, 2 * PAGE + 1); /* page 2: never touched */
    printf("after write(): the written private page at 4: %d (the pattern's %d)\n", p[4],
           pattern(4));
    printf("after write(): the read page at 4097: %c (was %s)\n", p[PAGE + 1],
           was == pattern(PAGE + 1) ? "the pattern" : "not the pattern");
    printf("after write(): the untouched page at 8193: %c\n", p[2 * PAGE + 1]);
    s[2 * PAGE + 2] = 'S';
    printf("a shared write at 8194 seen by the private mapping: %c\n", p[2 * PAGE + 2]);
    p[2 * PAGE + 3] = 'q';
    s[2 * PAGE + 4] = 'T';
    printf("once written privately, 8196 no longer follows the file: %s\n",
           p[2 * PAGE + 4] == pattern(2 * PAGE + 4) ? "yes" : "no");
    munmap(p, 3 * PAGE), munmap(s, 3 * PAGE), munmap(p2, 3 * PAGE);
    close(fd);
    printf("the file at 5 after munmap: %c (written by pwrite, not the mapping)\n",
           byte_at("priv.bin", 5));
}

/* write() into a file seen through a MAP_SHARED mapping made before. */
static void write_through_mapping(void)
{
    printf("== write() seen through MAP_SHARED\n");
    int fd = open("data.bin", O_RDWR);
    unsigned char *s = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 3 * PAGE);
    printf("before: %s\n",
           holds_pattern(s, 3 * PAGE, 2 * PAGE) ? "the pattern" : "not the pattern");
    pwrite(fd, "hello", 5, 3 * PAGE + 4094); /* across the two pages */
    printf("after pwrite at 16382: \"%.5s\"\n", (char *)s + 4094);
    lseek(fd, 4 * PAGE + 100, SEEK_SET);
    write(fd, "!", 1);
    printf("after write at 20580: %c\n", s[PAGE + 100]);
    munmap(s, 2 * PAGE);
    close(fd);
    make_file("data.bin", FILE_PAGE * PAGE);
}

/* munmap of a middle page leaves two mappings, each at its own offsets. */
static void split(void)
{
    printf("== munmap splits\n");
    int fd = open("data.bin", O_RDONLY);
    unsigned char *s = mmap(NULL, FILE_PAGE * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    unsigned char *p = mmap(NULL, FILE_PAGE * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    show("munmap page 2 of the shared one", munmap(s + 2 * PAGE, PAGE));
    show("munmap page 1 of the private one", munmap(p + PAGE, PAGE));
    yes_no("shared: pages 0-1 and 3-4 at their offsets",
           holds_pattern(s, 0, 2 * PAGE) && holds_pattern(s + 3 * PAGE, 3 * PAGE, 2 * PAGE));
    yes_no("private: page 0 and pages 2-4 at their offsets",
           holds_pattern(p, 0, PAGE) && holds_pattern(p + 2 * PAGE, 2 * PAGE, 3 * PAGE));
    in_child("touching the hole", touch_read, s + 2 * PAGE);
    show("mprotect page 4 of the private one PROT_NONE", mprotect(p + 4 * PAGE, PAGE, PROT_NONE));
    yes_no("private pages 2-3 still at their offsets",
           holds_pattern(p + 2 * PAGE, 2 * PAGE, 2 * PAGE));
    show("mprotect it back", mprotect(p + 4 * PAGE, PAGE, PROT_READ));
    yes_no("private page 4 at its offset", holds_pattern(p + 4 * PAGE, 4 * PAGE, PAGE));
    munmap(s, FILE_PAGE * PAGE), munmap(p, FILE_PAGE * PAGE);
}

static volatile unsigned char *fork_shared, *fork_private;

static void child_writes(volatile unsigned char *p)
{
    (void)p;
    fork_shared[10] = 'c';
    fork_shared[PAGE + 10] = 'd'; /* a page the parent never touched */
    fork_private[10] = 'e';
    fork_private[PAGE + 10] = 'f';
    _exit(fork_private[20] == 'p' ? 7 : 8); /* the parent's private write, copied */
}

/* fork: the child's MAP_SHARED writes reach the parent, its MAP_PRIVATE ones do not. */
static void forking(void)
{
    printf("== fork\n");
    make_file("fork.bin", 2 * PAGE);
    int fd = open("fork.bin", O_RDWR);
    fork_shared = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    fork_private = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    (void)fork_shared[10];
    fork_private[20] = 'p';
    in_child("the child", child_writes, NULL);
    printf("parent sees the child's shared writes: %c %c\n", fork_shared[10],
           fork_shared[PAGE + 10]);
    yes_no("parent's private page 0 (copied before the fork) unchanged",
           fork_private[10] == pattern(10) && fork_private[20] == 'p');
    printf("parent's private page 1 (untouched) shows the file: %c\n", fork_private[PAGE + 10]);
    printf("the file at 10, 4106: %c %c\n", byte_at("fork.bin", 10),
           byte_at("fork.bin", PAGE + 10));
    munmap((void *)fork_shared, 2 * PAGE), munmap((void *)fork_private, 2 * PAGE);
}

/* mremap keeps each page at its file offset: growing in place, moving, shrinking. */
static void remapping(void)
{
    printf("== mremap\n");
    int fd = open("data.bin", O_RDONLY);
    /* a reservation of 8 pages: the file's first 2 pages at its start, a PROT_NONE page after */
    unsigned char *area = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *m = mmap(area, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
    m[5] = 'w'; /* a private copy that must move with the mapping */
    void *q = mremap(m, 2 * PAGE, 4 * PAGE, 0);
    show_map("grow in place over the reservation", q);
    unsigned char *moved = mremap(m, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE);
    show_map("grow with MREMAP_MAYMOVE", moved);
    if (moved != MAP_FAILED) {
        printf("moved: %s\n", moved == m ? "no" : "yes");
        yes_no("4 pages at their offsets, the private byte kept",
               moved[5] == 'w' && holds_pattern(moved + 6, 6, 4 * PAGE - 6));
    }
    /* grow in place into a hole: the file's pages 2 and 3 appear after the first two */
    munmap(area, 8 * PAGE);
    area = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m = mmap(area, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, PAGE);
    munmap(area + 2 * PAGE, 6 * PAGE);
    q = mremap(m, 2 * PAGE, 4 * PAGE, 0);
    show_map("shared, offset 4096: grow in place into a hole", q);
    if (q != MAP_FAILED)
        yes_no("4 pages at offsets 4096..20479", holds_pattern(q, PAGE, 4 * PAGE));
    unsigned char *target = mmap(NULL, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    q = mremap(m, 4 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + 3 * PAGE);
    show_map("shrink and move with MREMAP_FIXED", q);
    if (q != MAP_FAILED) {
        yes_no("3 pages at offsets 4096..16383", holds_pattern(q, PAGE, 3 * PAGE));
        in_child("touching the old place", touch_read, m);
    }
    munmap(target, 8 * PAGE);
    if (moved != MAP_FAILED)
        munmap(moved, 4 * PAGE);
    close(fd);
}

/* The last page of a file is partly file, partly zeros; a page wholly past the end is
 * SIGBUS; a write into the tail past the end never reaches the file. */
static void past_the_end(void)
{
    printf("== past the end\n");
    make_file("tail.bin", TAIL_SIZE);
    int fd = open("tail.bin", O_RDWR);
    unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    unsigned char *s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    yes_no("private: bytes 0..4999 are the file", holds_pattern(p, 0, TAIL_SIZE));
    yes_no("private: bytes 5000..8191 read 0", all_zero(p + TAIL_SIZE, 2 * PAGE - TAIL_SIZE));
    yes_no("shared: bytes 5000..8191 read 0", all_zero(s + TAIL_SIZE, 2 * PAGE - TAIL_SIZE));
    in_child("private: reading page 2", touch_read, p + 2 * PAGE);
    in_child("shared: writing page 2", touch_write, s + 2 * PAGE + 100);
    in_child("private: reading byte 12287", touch_read, p + 3 * PAGE - 1);
    memset(s + TAIL_SIZE, 'x', 2 * PAGE - TAIL_SIZE);
    memset(s + TAIL_SIZE - 4, 'e', 4);
    show("msync MS_SYNC", msync(s, 2 * PAGE, MS_SYNC));
    munmap(p, 3 * PAGE), munmap(s, 3 * PAGE);
    close(fd);
    static unsigned char buf[2 * PAGE];
    fd = open("tail.bin", O_RDONLY);
    long n = read(fd, buf, sizeof buf);
    close(fd);
    printf("after writing the tail: size %ld, read() returns %ld, ends \"%.4s\"\n",
           file_size("tail.bin"), n, (char *)buf + TAIL_SIZE - 4);
    /* the end is the file's size at the time of the fault: a write() past it makes the
     * mapping's next page reachable */
    make_file("grow.bin", 100);
    fd = open("grow.bin", O_RDWR);
    s = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    in_child("100-byte file: reading page 1", touch_read, s + PAGE);
    show("pwrite at 5000", pwrite(fd, "G", 1, 5000));
    in_child("then reading page 1", touch_read, s + PAGE);
    printf("byte 5000: %c; 100..4999 read 0: %s\n", s[5000],
           all_zero(s + 100, 4900) ? "yes" : "no");
    munmap(s, 2 * PAGE);
    close(fd);
    unlink("grow.bin");
}

/* ftruncate under mappings: cut pages go from every mapping (SIGBUS), the partial page's
 * tail reads zero, pages grown back read zero. */
static void truncating(void)
{
    printf("== ftruncate under a mapping\n");
    make_file("trunc.bin", FILE_PAGE * PAGE);
    int fd = open("trunc.bin", O_RDWR);
    unsigned char *s = mmap(NULL, FILE_PAGE * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *p = mmap(NULL, FILE_PAGE * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    for (int i = 0; i < FILE_PAGE; i++)
        (void)s[i * PAGE], (void)p[i * PAGE];
    p[4 * PAGE + 1] = 'p'; /* a private copy of a page about to be cut */
    const long cut = 2 * PAGE + 100;
    show("ftruncate to 8292", ftruncate(fd, cut));
    yes_no("shared: bytes 0..8291 are the file", holds_pattern(s, 0, cut));
    yes_no("shared: bytes 8292..12287 read 0", all_zero(s + cut, 3 * PAGE - cut));
    yes_no("private: bytes 8292..12287 read 0", all_zero(p + cut, 3 * PAGE - cut));
    in_child("shared: reading page 3", touch_read, s + 3 * PAGE);
    in_child("shared: writing page 4", touch_write, s + 4 * PAGE);
    in_child("private: reading its copied page 4", touch_read, p + 4 * PAGE + 1);
    show("ftruncate back to 20480", ftruncate(fd, FILE_PAGE * PAGE));
    yes_no("shared: pages 3-4 read 0", all_zero(s + 3 * PAGE, 2 * PAGE));
    printf("private: its copied page 4 at 16385 reads %d\n", p[4 * PAGE + 1]);
    yes_no("shared: the first 8292 bytes unchanged", holds_pattern(s, 0, cut));
    show("ftruncate to 0", ftruncate(fd, 0));
    in_child("shared: reading page 0", touch_read, s);
    in_child("private: reading page 0", touch_read, p);
    show("ftruncate to 20480 again", ftruncate(fd, FILE_PAGE * PAGE));
    yes_no("shared: all 5 pages read 0", all_zero(s, FILE_PAGE * PAGE));
    s[4 * PAGE + 2] = 'g';
    printf("read() at 16386 after a shared write there: %c\n", byte_at("trunc.bin", 4 * PAGE + 2));
    munmap(s, FILE_PAGE * PAGE), munmap(p, FILE_PAGE * PAGE);
    close(fd);
    printf("trunc.bin: size %ld\n", file_size("trunc.bin"));
}

/* A file unlinked while mapped lives on in the mapping; its blocks go at the last munmap
 * (the script's e2fsck finds no orphan). A sparse file's holes read zero through a
 * mapping, and a shared write into one gives the file a block there. */
static void unlinked_and_sparse(void)
{
    printf("== unlinked and sparse files\n");
    make_file("gone.bin", 3 * PAGE);
    int fd = open("gone.bin", O_RDWR);
    unsigned char *s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    show("unlink while mapped", unlink("gone.bin"));
    s[2 * PAGE + 5] = 'u';
    yes_no("the mapping still shows the file",
           holds_pattern(s, 0, 2 * PAGE) && s[2 * PAGE + 5] == 'u');
    show("msync it", msync(s, 3 * PAGE, MS_SYNC));
    munmap(s, 3 * PAGE);
    fd = open("sparse.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    pwrite(fd, "end", 3, 3 * PAGE + 10);
    s = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *p = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    yes_no("sparse: the holes (pages 0-2) read 0", all_zero(s, 3 * PAGE) && all_zero(p, 3 * PAGE));
    printf("sparse: page 3 at 12298: %.3s\n", (char *)s + 3 * PAGE + 10);
    memcpy(s + PAGE + 20, "filled", 6);
    show("msync after a write into a hole", msync(s, 4 * PAGE, MS_SYNC));
    char buf[7] = { 0 };
    pread(fd, buf, 6, PAGE + 20);
    printf("read() at 4116: %s; the private mapping: %.6s\n", buf, (char *)p + PAGE + 20);
    munmap(s, 4 * PAGE), munmap(p, 4 * PAGE);
    close(fd);
    printf("sparse.bin: size %ld\n", file_size("sparse.bin"));
    /* a page 1 GiB into a file that is one hole up to there */
    fd = open("far.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    show("ftruncate to 1 GiB + 4096", ftruncate(fd, (1L << 30) + PAGE));
    s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 1L << 30);
    show_map("mmap at offset 1 GiB", s);
    if (s != MAP_FAILED) {
        yes_no("  reads 0", all_zero(s, PAGE));
        s[77] = 'f';
        show("  msync", msync(s, PAGE, MS_SYNC));
        printf("  read() at 1 GiB + 77: %c\n", byte_at("far.bin", (1L << 30) + 77));
        munmap(s, PAGE);
    }
    close(fd);
    unlink("far.bin");
}

/* A MAP_SHARED store marks the page dirty in its page-table entry; whatever moves or
 * removes that entry must carry the mark to the page: mremap moving it, mprotect,
 * MADV_DONTNEED, a child's exit. None is msynced: the script finds each file on the
 * disk after the power-off. */
static void dirty_entries(void)
{
    printf("== dirty pages whose entries move or go\n");
    static const char *const names[] = { "moved.bin", "protected.bin", "dontneed.bin",
                                         "child.bin" };
    unsigned char *m[4];
    for (int i = 0; i < 4; i++) {
        make_file(names[i], 2 * PAGE);
        int fd = open(names[i], O_RDWR);
        m[i] = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (m[i] == MAP_FAILED) {
            printf("%s: mmap -1 %s\n", names[i], errno_name(errno));
            return;
        }
        if (i < 3)
            memset(m[i] + PAGE + 8, 'A' + i, 100);
    }
    unsigned char *area = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *moved =
        mremap(m[0], 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, area + PAGE);
    show_map("mremap a written mapping elsewhere", moved);
    if (moved != MAP_FAILED)
        printf("  it shows %c; read() sees %c\n", moved[PAGE + 8], byte_at(names[0], PAGE + 8));
    show("mprotect a written page PROT_READ", mprotect(m[1] + PAGE, PAGE, PROT_READ));
    show("MADV_DONTNEED on a written page", madvise(m[2] + PAGE, PAGE, MADV_DONTNEED));
    printf("  it shows %c\n", m[2][PAGE + 8]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        memset(m[3] + 8, 'D', 100);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("a child's store, seen after it exited: %c\n", m[3][8]);
    munmap(area, 4 * PAGE);
    for (int i = 1; i < 4; i++)
        munmap(m[i], 2 * PAGE);
}

/* The kernel copying to and from file mappings: write() from a mapping, a file
 * written from and read into its own mapping (the page being copied is the page
 * faulted in), read() into an untouched private page, and the page past the end. */
static void kernel_copies(void)
{
    printf("== system calls copying to and from mappings\n");
    make_file("copies.bin", 3 * PAGE);
    make_file("tiny.bin", 100);
    int fd = open("copies.bin", O_RDWR), data = open("data.bin", O_RDONLY),
        tiny = open("tiny.bin", O_RDWR);
    unsigned char *d = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, data, 0);
    unsigned char *s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char *t = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, tiny, 0);
    int out = open("from-mapping.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    show("write() of 2 untouched pages of another file's mapping", write(out, d, 2 * PAGE));
    close(out);
    yes_no("  the copy holds the pattern",
           byte_at("from-mapping.bin", PAGE + 5) == pattern(PAGE + 5));
    show("pwrite() of page 1 into page 0 through its own mapping", pwrite(fd, s + PAGE, 100, 0));
    yes_no("  page 0 now holds page 1's bytes", holds_pattern(s, PAGE, 100));
    show("pwrite() within one page, from 0..99 to 200..299", pwrite(fd, s, 100, 200));
    yes_no("  bytes 200..299 are bytes 0..99", memcmp(s + 200, s, 100) == 0);
    show("pread() into page 2 of its own mapping", pread(fd, s + 2 * PAGE + 10, 100, PAGE));
    yes_no("  read() sees it there", byte_at("copies.bin", 2 * PAGE + 10) == pattern(PAGE));
    show("read() into an untouched private page", pread(fd, p + PAGE + 1, 50, 2 * PAGE + 1000));
    printf("  the private page has it: %s; the file does not: %s\n",
           p[PAGE + 1] == pattern(2 * PAGE + 1000) ? "yes" : "no",
           byte_at("copies.bin", PAGE + 1) == pattern(PAGE + 1) ? "yes" : "no");
    /* tiny.bin is 100 bytes: page 1 of its mapping is past the end */
    show("read() into the page past the end", pread(fd, t + PAGE, 100, 0));
    show("write() from the page past the end", pwrite(fd, t + PAGE, 100, 0));
    show("read() of 200 bytes ending 100 into that page", pread(fd, t + PAGE - 100, 200, 0));
    show("write() of 200 bytes from the same place", pwrite(fd, t + PAGE - 100, 200, 0));
    yes_no("tiny.bin's mapping still shows its 100 bytes", holds_pattern(t, 0, 100));
    munmap(d, 2 * PAGE), munmap(s, 3 * PAGE), munmap(p, 3 * PAGE), munmap(t, 2 * PAGE);
    close(fd), close(data), close(tiny);
    unlink("copies.bin"), unlink("tiny.bin"), unlink("from-mapping.bin");
}

/* msync's rules. */
static void msyncing(void)
{
    printf("== msync\n");
    int fd = open("data.bin", O_RDWR);
    unsigned char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char *a =
        mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    close(fd);
    s[0] = s[0], p[0] = 1, a[0] = 1;
    show("MS_SYNC on a written MAP_PRIVATE page", msync(p, PAGE, MS_SYNC));
    yes_no("  the file's byte 0 is still the pattern", byte_at("data.bin", 0) == pattern(0));
    show("unaligned address", msync(s + 1, PAGE, MS_SYNC));
    show("unknown flag 8", msync(s, PAGE, 8));
    show("MS_SYNC|MS_ASYNC", msync(s, PAGE, MS_SYNC | MS_ASYNC));
    show("flags 0", msync(s, PAGE, 0));
    show("length 0", msync(s, 0, MS_SYNC));
    show("unaligned length", msync(s, 100, MS_SYNC));
    static const struct {
        const char *name;
        int flags;
    } kinds[] = { { "MS_SYNC", MS_SYNC },
                  { "MS_ASYNC", MS_ASYNC },
                  { "MS_INVALIDATE", MS_INVALIDATE },
                  { "MS_SYNC|MS_INVALIDATE", MS_SYNC | MS_INVALIDATE } };
    char what[80];
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        snprintf(what, sizeof what, "%s on MAP_SHARED", kinds[i].name);
        show(what, msync(s, 2 * PAGE, kinds[i].flags));
        snprintf(what, sizeof what, "%s on MAP_PRIVATE", kinds[i].name);
        show(what, msync(p, 2 * PAGE, kinds[i].flags));
        snprintf(what, sizeof what, "%s on anonymous memory", kinds[i].name);
        show(what, msync(a, 2 * PAGE, kinds[i].flags));
    }
    printf("after MS_INVALIDATE: private byte 0 %d, anonymous byte 0 %d\n", p[0], a[0]);
    munmap(a + PAGE, PAGE);
    show("a range with a hole after it", msync(a, 2 * PAGE, MS_SYNC));
    munmap(a, PAGE);
    show("an unmapped range", msync(a, 2 * PAGE, MS_SYNC));
    show("an unmapped range, MS_ASYNC", msync(a, PAGE, MS_ASYNC));
    munmap(s, 2 * PAGE), munmap(p, 2 * PAGE);
}

static void show_vec(const char *what, const unsigned char *vec, int n)
{
    printf("%s:", what);
    for (int i = 0; i < n; i++)
        printf(" %d", vec[i] & 1);
    printf("\n");
}

/* mincore: which pages are in memory. */
static void residency(void)
{
    printf("== mincore\n");
    unsigned char vec[8];
    unsigned char *a =
        mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(vec, 7, sizeof vec);
    show("anonymous, untouched", mincore(a, 4 * PAGE, vec));
    show_vec("  vec", vec, 4);
    a[0] = 1, a[2 * PAGE] = 1;
    mincore(a, 4 * PAGE, vec);
    show_vec("anonymous, pages 0 and 2 written", vec, 4);
    (void)*(volatile unsigned char *)(a + 3 * PAGE);
    mincore(a, 4 * PAGE, vec);
    show_vec("and page 3 read", vec, 4);
    show("unaligned address", mincore(a + 1, PAGE, vec));
    show("length 0", mincore(a, 0, vec));
    show("vec at address 8", mincore(a, PAGE, (unsigned char *)8));
    show("vec in the kernel's half", mincore(a, PAGE, (unsigned char *)0xffff800000000000ul));
    munmap(a + PAGE, PAGE);
    show("a range with a hole", mincore(a, 4 * PAGE, vec));
    munmap(a, 4 * PAGE);
    show("an unmapped range", mincore(a, PAGE, vec));
    /* a file written with write() is in the page cache on both kernels */
    make_file("resident.bin", 4 * PAGE);
    int fd = open("resident.bin", O_RDONLY);
    unsigned char *f = mmap(NULL, 6 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    unsigned char *fp = mmap(NULL, 6 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    show("file, untouched through the mapping", mincore(f, 6 * PAGE, vec));
    show_vec("  vec (pages 4-5 past the end)", vec, 6);
    mincore(fp, 6 * PAGE, vec);
    show_vec("the same file, MAP_PRIVATE", vec, 6);
    munmap(f, 6 * PAGE), munmap(fp, 6 * PAGE);
}

/* madvise on file mappings: DONTNEED drops private copies (the file shows again) and
 * keeps shared pages' contents; WILLNEED only reads ahead. */
static void advising(void)
{
    printf("== madvise\n");
    int fd = open("data.bin", O_RDWR);
    unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char *s = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    p[1] = 'x', p[PAGE + 1] = 'y';
    s[2 * PAGE + 1] = 'z';
    show("MADV_DONTNEED on MAP_PRIVATE", madvise(p, 3 * PAGE, MADV_DONTNEED));
    yes_no("its written pages show the file again", holds_pattern(p, 0, 2 * PAGE));
    printf("and page 2 shows the shared write: %c\n", p[2 * PAGE + 1]);
    show("MADV_DONTNEED on MAP_SHARED", madvise(s, 3 * PAGE, MADV_DONTNEED));
    printf("the shared write is still there: %c; read() sees it: %c\n", s[2 * PAGE + 1],
           byte_at("data.bin", 2 * PAGE + 1));
    show("MADV_WILLNEED on MAP_SHARED", madvise(s, 3 * PAGE, MADV_WILLNEED));
    show("MADV_WILLNEED on MAP_PRIVATE", madvise(p, 3 * PAGE, MADV_WILLNEED));
    yes_no("contents after WILLNEED", holds_pattern(p, 0, 2 * PAGE) && s[2 * PAGE + 1] == 'z');
    unsigned char *a =
        mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    a[0] = 9;
    show("MADV_WILLNEED on anonymous memory", madvise(a, 2 * PAGE, MADV_WILLNEED));
    printf("anonymous byte 0: %d\n", a[0]);
    munmap(a, 2 * PAGE);
    show("MADV_WILLNEED on an unmapped range", madvise(a, 2 * PAGE, MADV_WILLNEED));
    munmap(p, 3 * PAGE), munmap(s, 3 * PAGE);
    make_file("data.bin", FILE_PAGE * PAGE);
}

/* Copy the program to NAME (mode 0755); 0 on success. */
static int copy_self(const char *self, const char *name)
{
    static char buf[64 * 1024];
    int in = open(self, O_RDONLY), out = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    long n, total = 0;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) == n)
            total += n;
    close(in), close(out);
    return total > 0 ? 0 : -1;
}

/* A running program's file cannot be opened for writing, nor a file open for writing run. */
static void text_busy(void)
{
    printf("== ETXTBSY\n");
    /* vmlab's boot modules run but cannot be opened: there the script puts a copy in DIR */
    if (copy_self("prog", "busy") != 0 && copy_self(self, "busy") != 0) {
        printf("cannot copy the program\n");
        return;
    }
    int to_child[2], from_child[2];
    pipe(to_child), pipe(from_child);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to_child[0], 0), dup2(from_child[1], 1);
        close(to_child[1]), close(from_child[0]);
        char *argv[] = { "busy", "--wait", NULL }, *envp[] = { NULL };
        execve("busy", argv, envp);
        _exit(99);
    }
    close(to_child[0]), close(from_child[1]);
    char ready[8] = { 0 };
    read(from_child[0], ready, 6);
    printf("the copy runs: %s", ready);
    show("open O_WRONLY", open("busy", O_WRONLY) >= 0 ? 0 : -1);
    show("open O_RDWR", open("busy", O_RDWR) >= 0 ? 0 : -1);
    show("truncate", truncate("busy", 0));
    int fd = open("busy", O_RDONLY);
    printf("open O_RDONLY: %s\n", fd >= 0 ? "ok" : errno_name(errno));
    close(fd);
    close(to_child[1]);
    int status;
    waitpid(pid, &status, 0);
    printf("it ended: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    close(from_child[0]);
    fd = open("busy", O_WRONLY);
    printf("open O_WRONLY after: %s\n", fd >= 0 ? "ok" : errno_name(errno));
    /* while that descriptor is open for writing, the file cannot run */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *argv[] = { "busy", NULL }, *envp[] = { NULL };
        execve("busy", argv, envp);
        _exit(errno == ETXTBSY ? 42 : 43);
    }
    waitpid(pid, &status, 0);
    printf("execve while open for writing: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 42 ? "ETXTBSY" : "not ETXTBSY");
    close(fd);
    unlink("busy");
}

/* First touches of cached file pages are faults the process is charged for. */
static void faults(void)
{
    printf("== faults\n");
    make_file("faults.bin", 64 * PAGE);
    int fd = open("faults.bin", O_RDONLY);
    unsigned char *p = mmap(NULL, 64 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    unsigned sum = 0, want = 0;
    for (int i = 0; i < 64; i++)
        sum += p[i * PAGE];
    getrusage(RUSAGE_SELF, &after);
    for (int i = 0; i < 64; i++)
        want += pattern((uint64_t)i * PAGE);
    yes_no("touching 64 pages: minflt grew", after.ru_minflt > before.ru_minflt);
    yes_no("the bytes were right", sum == want);
    munmap(p, 64 * PAGE);
    unlink("faults.bin");
}

/* What only vmlab answers: its console is a character device that cannot be mapped. */
static void vmlab_only(void)
{
    printf("== vmlab only\n");
    show_map("the console (fd 0)", raw_mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 0, 0));
}

/* A file of MIB MiB written, then checked through read() and through MAP_PRIVATE. */
static void big(long mib)
{
    printf("== a file of %ld MiB\n", mib);
    long size = mib * MIB;
    make_file("big.bin", size);
    printf("written: size %ld\n", file_size("big.bin"));
    static unsigned char buf[16 * PAGE];
    int fd = open("big.bin", O_RDONLY);
    long bad = 0, total = 0, n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        bad += !holds_pattern(buf, total, n);
        total += n;
    }
    printf("read(): %ld bytes, %ld bad pieces\n", total, bad);
    unsigned char *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        printf("mmap: -1 %s\n", errno_name(errno));
        return;
    }
    bad = 0;
    for (long off = 0; off < size; off += PAGE)
        bad += !holds_pattern(p + off, off, PAGE);
    printf("MAP_PRIVATE: %ld pages, %ld bad\n", size / PAGE, bad);
    munmap(p, (size_t)size);
    unlink("big.bin");
}

/* Run one part in a child process, so that a part which dies (a mapping refused, then
 * used) costs only its own remaining lines; its death is a line of its own. */
typedef void part_fn(void);

static void in_own_process(part_fn *part)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        part();
        fflush(stdout);
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        printf("fork or wait failed\n");
    else if (WIFSIGNALED(status))
        printf("(this part was killed by %s)\n", signal_name(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
        printf("(this part exited %d)\n", WEXITSTATUS(status));
}

static uint64_t fnv(const unsigned char *p, long n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (long i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Three processes fault in the pages of one file at once (on vmlab after a fresh boot:
 * each page is read from the disk once, the others wait for it); each checksum, kept
 * in shared memory, must be the one read() gives. */
static void faulting_together(const char *name)
{
    long size = file_size(name);
    uint64_t *sum = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    fflush(stdout);
    for (int i = 0; i < 3; i++)
        if (fork() == 0) {
            int fd = open(name, O_RDONLY);
            unsigned char *p =
                mmap(NULL, (size_t)size, PROT_READ, i == 1 ? MAP_SHARED : MAP_PRIVATE, fd, 0);
            sum[i] = p == MAP_FAILED ? 0 : fnv(p, size);
            _exit(0);
        }
    while (wait(NULL) > 0)
        ;
    static unsigned char buf[256 * 1024];
    int fd = open(name, O_RDONLY);
    long n = read(fd, buf, sizeof buf);
    close(fd);
    uint64_t want = fnv(buf, n);
    printf("%s faulted in by 3 processes at once: %s\n", name,
           sum[0] == want && sum[1] == want && sum[2] == want ? "each saw read()'s bytes"
                                                              : "they differ");
    munmap(sum, PAGE);
}

/* sums: the files the main run left, each read first through a mapping (on vmlab, after
 * a fresh boot, every page comes from the disk) and then through read(). */
static void sums(int on_vmlab)
{
    static const char *const names[] = { "data.bin",  "kept.bin",      "synced.bin",
                                         "priv.bin",  "fork.bin",      "tail.bin",
                                         "trunc.bin", "sparse.bin",    "resident.bin",
                                         "moved.bin", "protected.bin", "dontneed.bin",
                                         "child.bin", "prog" };
    static unsigned char buf[256 * 1024];
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    printf("== the files, mapped then read\n");
    faulting_together("prog");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int fd = open(names[i], O_RDONLY);
        long size = file_size(names[i]);
        if (fd < 0 || size <= 0 || size > (long)sizeof buf) {
            printf("%s: missing or of size %ld\n", names[i], size);
            close(fd);
            continue;
        }
        unsigned char *p =
            mmap(NULL, (size_t)size, PROT_READ, i % 2 ? MAP_SHARED : MAP_PRIVATE, fd, 0);
        uint64_t mapped = p == MAP_FAILED ? 0 : fnv(p, size);
        long n = read(fd, buf, sizeof buf);
        printf("%s: size %ld, %s fnv %016llx, read() %ld bytes, the same: %s\n", names[i], size,
               i % 2 ? "MAP_SHARED" : "MAP_PRIVATE", (unsigned long long)mapped, n,
               n == size && mapped == fnv(buf, n) ? "yes" : "no");
        if (p != MAP_FAILED)
            munmap(p, (size_t)size);
        close(fd);
    }
    getrusage(RUSAGE_SELF, &after);
    if (on_vmlab) {
        printf("== vmlab only\n");
        yes_no("after a fresh boot, major faults grew", after.ru_majflt > before.ru_majflt);
    }
}

/* --wait: the ETXTBSY part's running program. */
static int wait_for_eof(void)
{
    write(1, "ready\n", 6);
    char c;
    while (read(0, &c, 1) > 0)
        ;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--wait") == 0)
        return wait_for_eof();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2 || chdir(argv[1]) != 0) {
        printf("mmap_file: usage: mmap_file DIR [vmlab | big MIB]\n");
        return 0;
    }
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core); /* the SIGBUS children leave no core files */
    if (argc > 2 && strcmp(argv[2], "sums") == 0) {
        sums(argc > 3 && strcmp(argv[3], "vmlab") == 0);
        return 0;
    }
    if (argc > 3 && strcmp(argv[2], "big") == 0) {
        big(atol(argv[3]));
        return 0;
    }
    self = argv[0];
    part_fn *const parts[] = { errors,
                               contents,
                               shared_writes,
                               private_writes,
                               write_through_mapping,
                               split,
                               forking,
                               remapping,
                               past_the_end,
                               truncating,
                               unlinked_and_sparse,
                               dirty_entries,
                               kernel_copies,
                               msyncing,
                               residency,
                               advising,
                               text_busy,
                               faults };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        in_own_process(parts[i]);
    if (argc > 2 && strcmp(argv[2], "vmlab") == 0)
        in_own_process(vmlab_only);
    printf("== done\n");
    return 0;
}
