/*
 * residency.c — msync, mincore and madvise on file mappings, with their errors; the
 * faults a first touch costs.
 */
#include "mmap_file.h"

/* msync's rules. */
void msyncing(void)
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
void residency(void)
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
void advising(void)
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
    /* "free them if you like" is for anonymous private memory only */
    show("MADV_FREE on MAP_PRIVATE of a file", madvise(p, 3 * PAGE, MADV_FREE));
    show("MADV_FREE on MAP_SHARED of a file", madvise(s, 3 * PAGE, MADV_FREE));
    int zero = open("/dev/zero", O_RDWR);
    unsigned char *z = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    close(zero);
    show("MADV_FREE on MAP_SHARED anonymous memory", madvise(z, PAGE, MADV_FREE));
    munmap(z, PAGE);
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

/* First touches of cached file pages are faults the process is charged for. */
void faults(void)
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
