/*
 * shm_remove — madvise(MADV_REMOVE): punching a hole in shared memory, as Linux.
 *
 * On MAP_SHARED|MAP_ANONYMOUS memory (and /dev/zero's MAP_SHARED, the same kind)
 * the pages of the range are freed: afterwards they read 0, in this process and
 * in every process sharing them (a child removes, the parent reads), and mincore
 * says they are not in memory. Elsewhere it is refused, in Linux's order per
 * region: a locked region or private anonymous memory EINVAL, a mapping that is
 * not MAP_SHARED or can never be written EACCES (a private file mapping, a shared
 * one of a file open read-only; one mprotect made read-only is fine); a hole in the range ENOMEM,
 * after the regions beyond it had their pages removed. Prints the values read back (never
 * addresses), so Linux and vmlab must print the same (tests/boot/musl-diff.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE      4096ul
#define PAGES     8
#define FILE_NAME "/tmp/shm_remove.data"

/* "0" or the errno's name, for madvise's answer. */
static const char *result(int r)
{
    if (r == 0)
        return "0";
    switch (errno) {
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case ENOMEM: return "ENOMEM";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return strerror(errno);
    }
}

static int advise_remove(void *addr, size_t length)
{
    return madvise(addr, length, MADV_REMOVE);
}

/* Write value i + 1 (times mark) at the start and end of page i. */
static void fill(char *p, unsigned pages, unsigned mark)
{
    for (unsigned i = 0; i < pages; i++) {
        *(volatile uint32_t *)(p + i * PAGE) = (i + 1) * mark;
        *(volatile uint32_t *)(p + i * PAGE + PAGE - 4) = (i + 1) * mark;
    }
}

/* The first and last word of each page, "first/last" (one number if equal). */
static void show(const char *what, const char *p, unsigned pages)
{
    printf("%s:", what);
    for (unsigned i = 0; i < pages; i++) {
        uint32_t a = *(const volatile uint32_t *)(p + i * PAGE);
        uint32_t b = *(const volatile uint32_t *)(p + i * PAGE + PAGE - 4);
        if (a == b)
            printf(" %u", a);
        else
            printf(" %u/%u", a, b);
    }
    printf("\n");
}

static void show_resident(const char *what, void *p, unsigned pages)
{
    unsigned char vec[PAGES];
    if (mincore(p, pages * PAGE, vec) != 0) {
        printf("%s: mincore %s\n", what, result(-1));
        return;
    }
    printf("%s:", what);
    for (unsigned i = 0; i < pages; i++)
        printf(" %d", vec[i] & 1);
    printf("\n");
}

static void *map_shared(unsigned pages, int prot)
{
    return mmap(NULL, pages * PAGE, prot, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

/* A child removes pages 2-4 (and a length that is not a page multiple rounds
 * up): the parent sees zeros there too, and the rest as it was. */
static void shared_across_fork(void)
{
    char *p = map_shared(PAGES, PROT_READ | PROT_WRITE);
    fill(p, PAGES, 1);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: remove pages 2-4: %s\n", result(advise_remove(p + 2 * PAGE, 2 * PAGE + 1)));
        show_resident("child: resident", p, PAGES);
        show("child: reads", p, PAGES);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    show("parent: reads", p, PAGES);
    fill(p + 3 * PAGE, 1, 7); /* a removed page is memory like any other again */
    show("parent: after a store in page 3", p, PAGES);
    printf("parent: remove all: %s\n", result(advise_remove(p, PAGES * PAGE)));
    show("parent: reads", p, PAGES);
    printf("remove of 0 bytes: %s; unaligned start: %s\n", result(advise_remove(p, 0)),
           result(advise_remove(p + 1, PAGE)));
    munmap(p, PAGES * PAGE);
}

/* One object in two regions with a hole between (the middle page unmapped): ENOMEM,
 * but the region after the hole lost its page too. */
static void across_a_hole(void)
{
    char *p = map_shared(3, PROT_READ | PROT_WRITE);
    fill(p, 3, 1);
    munmap(p + PAGE, PAGE);
    printf("hole: remove over it: %s\n", result(advise_remove(p, 3 * PAGE)));
    show("hole: first page", p, 1);
    show("hole: last page", p + 2 * PAGE, 1);
    munmap(p, 3 * PAGE);
}

/* /dev/zero mapped MAP_SHARED is shared anonymous memory too. */
static void dev_zero(void)
{
    int fd = open("/dev/zero", O_RDWR);
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        printf("/dev/zero: mmap %s\n", result(-1));
        return;
    }
    fill(p, 2, 1);
    printf("/dev/zero: remove page 1: %s\n", result(advise_remove(p + PAGE, PAGE)));
    show("/dev/zero: reads", p, 2);
    munmap(p, 2 * PAGE);
}

/* Where Linux refuses, and the memory stays as it was. */
static void refused(void)
{
    char *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(priv, 1, 3);
    printf("private anonymous: %s\n", result(advise_remove(priv, PAGE)));
    show("private anonymous: reads", priv, 1);

    char *ro = map_shared(1, PROT_READ | PROT_WRITE);
    fill(ro, 1, 4);
    mprotect(ro, PAGE, PROT_READ);
    printf("shared, read-only: %s\n", result(advise_remove(ro, PAGE)));
    show("shared, read-only: reads", ro, 1);

    char *locked =
        mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    if (locked != MAP_FAILED) {
        fill(locked, 1, 5);
        printf("shared, locked: %s\n", result(advise_remove(locked, PAGE)));
        show("shared, locked: reads", locked, 1);
    }

    /* a private region, then a shared one: the first refusal ends the call */
    char *pair = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mmap(pair + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    fill(pair, 2, 6);
    printf("private then shared: %s\n", result(advise_remove(pair, 2 * PAGE)));
    show("private then shared: reads", pair, 2);

    /* a file (on vmlab, on its ext2 disk): what a shared writable mapping of it says
     * depends on the file system (ext2: EOPNOTSUPP, tests/musl/mmap_file's vmlab part) */
    int fd = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, PAGE) != 0) {
        printf("%s: %s\n", FILE_NAME, result(-1));
        return;
    }
    char *file = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private file mapping: %s\n", result(advise_remove(file, PAGE)));
    close(fd);
    fd = open(FILE_NAME, O_RDONLY);
    char *shared_ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    printf("shared mapping of a file open read-only: %s\n", result(advise_remove(shared_ro, PAGE)));
    close(fd);
    unlink(FILE_NAME);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    shared_across_fork();
    across_a_hole();
    dev_zero();
    refused();
    return 0;
}
