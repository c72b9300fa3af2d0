/*
 * sharing.c — MAP_SHARED and MAP_PRIVATE: who sees a store (read(), other mappings,
 * the disk), write() seen through mappings, munmap splits, fork and mremap.
 */
#include "mmap_file.h"

/* MAP_SHARED writes: seen at once by read(), by another shared mapping and by a private
 * mapping's untouched pages; on the disk after munmap and after msync. */
void shared_writes(void)
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
void private_writes(void)
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
void write_through_mapping(void)
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
void split(void)
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
void forking(void)
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
void remapping(void)
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
