/*
 * stores.c — stores whose page-table entries move or go (mremap, mprotect,
 * MADV_DONTNEED, a child's exit) still reach the file; read() and write() to and
 * from mappings.
 */
#include "mmap_file.h"

/* A MAP_SHARED store marks the page dirty in its page-table entry; whatever moves or
 * removes that entry must carry the mark to the page: mremap moving it, mprotect,
 * MADV_DONTNEED, a child's exit. None is msynced: the script finds each file on the
 * disk after the power-off. */
void dirty_entries(void)
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
void kernel_copies(void)
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
