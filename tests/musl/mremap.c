/*
 * mremap.c — resizing mappings: shrinking, growing in place, moving when there is
 * no room (MREMAP_MAYMOVE), the errors, and musl's realloc of large blocks
 * (which uses mremap). Contents must survive every move.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096ul

static const char *result(void *p)
{
    if (p != MAP_FAILED)
        return "ok";
    return errno == EINVAL   ? "EINVAL"
           : errno == ENOMEM ? "ENOMEM"
           : errno == EFAULT ? "EFAULT"
                             : "other";
}

static int filled(const char *p, size_t len, char c)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

int main(void)
{
    int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
    char *a = mmap(NULL, 64 * PAGE, rw, anon, -1, 0);
    munmap(a + 16 * PAGE, 48 * PAGE); /* 16 pages, with free room after them */
    memset(a, 'a', 16 * PAGE);

    char *b = mremap(a, 16 * PAGE, 8 * PAGE, 0);
    printf("shrink 16 -> 8 pages: %s, same place: %s\n", result(b), b == a ? "yes" : "no");
    b = mremap(a, 8 * PAGE, 32 * PAGE, 0);
    printf("grow 8 -> 32 pages in place: %s, same place: %s, data kept: %s, new part zero: %s\n",
           result(b), b == a ? "yes" : "no", filled(a, 8 * PAGE, 'a') ? "yes" : "no",
           filled(a + 8 * PAGE, 24 * PAGE, 0) ? "yes" : "no");

    char *blocker = mmap(a + 32 * PAGE, PAGE, rw, anon | MAP_FIXED, -1, 0);
    printf("a page mapped right after it: %s\n", blocker == a + 32 * PAGE ? "yes" : "no");
    b = mremap(a, 32 * PAGE, 64 * PAGE, 0);
    printf("grow with no room and no MAYMOVE: %s\n", result(b));
    b = mremap(a, 32 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    printf("grow with MAYMOVE: %s, moved: %s, data kept: %s\n", result(b), b != a ? "yes" : "no",
           b != MAP_FAILED && filled(b, 8 * PAGE, 'a') ? "yes" : "no");
    printf("the old place is unmapped now: %s\n",
           mremap(a, PAGE, PAGE, 0) == MAP_FAILED && errno == EFAULT ? "yes" : "no");

    printf("unaligned address: %s\n", result(mremap(b + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE)));
    printf("new size 0: %s\n", result(mremap(b, PAGE, 0, MREMAP_MAYMOVE)));
    printf("unknown flags: %s\n", result(mremap(b, PAGE, PAGE, 0x100)));
    printf("MREMAP_FIXED without MAYMOVE: %s\n", result(mremap(b, PAGE, PAGE, MREMAP_FIXED, a)));
    printf("a range running past its mapping: %s\n",
           result(mremap(b, 65 * PAGE, 66 * PAGE, MREMAP_MAYMOVE)));
    char *fixed = mremap(b, 4 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, a + 128 * PAGE);
    printf("MREMAP_FIXED to a chosen address: %s, there: %s, data kept: %s\n", result(fixed),
           fixed == a + 128 * PAGE ? "yes" : "no",
           fixed != MAP_FAILED && filled(fixed, 4 * PAGE, 'a') ? "yes" : "no");

    /* musl's realloc keeps large blocks in their own mappings and resizes them
     * with mremap */
    char *block = malloc(1 << 20);
    memset(block, 'r', 1 << 20);
    for (size_t size = 2 << 20; size <= 32 << 20; size *= 2) {
        block = realloc(block, size);
        if (block == NULL)
            break;
        memset(block + size / 2, 'r', size / 2);
    }
    printf("realloc of a large block up to 32 MiB: %s, contents kept: %s\n",
           block ? "ok" : "failed", block && filled(block, 32 << 20, 'r') ? "yes" : "no");
    free(block);
    return 0;
}
