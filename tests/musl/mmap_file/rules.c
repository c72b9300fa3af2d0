/*
 * rules.c — mmap's errors with a descriptor, and what a file mapping shows.
 */
#include "mmap_file.h"

/* The errors of mmap with a descriptor, each with otherwise good arguments. */
void errors(void)
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
void contents(void)
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
