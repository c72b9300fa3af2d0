/*
 * end.c — the end of the file: the partial last page, SIGBUS past it, ftruncate under
 * a mapping, unlinked and sparse files.
 */
#include "mmap_file.h"

/* The last page of a file is partly file, partly zeros; a page wholly past the end is
 * SIGBUS; a write into the tail past the end never reaches the file. */
void past_the_end(void)
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
void truncating(void)
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
void unlinked_and_sparse(void)
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
