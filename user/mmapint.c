/*
 * mmapint FILE — the seeds' headline example, corrected so that it compiles: map
 * the first 4 KiB of a file, close the descriptor, and read an int through the
 * pointer.
 *
 *     fd = open(FILE, O_RDONLY);
 *     p  = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
 *     close(fd);                   the mapping keeps the file open: the region
 *                                  holds its own reference to it
 *     value = *(int *)p;           a page fault: the kernel finds the file page
 *                                  (in the page cache, or read from the disk) and
 *                                  maps it; no read() copies anything
 *
 * The program checks itself: the int must equal the first bytes read() gives.
 * A file shorter than 4 bytes reads as its bytes followed by zeros both ways (the
 * rest of the last page of a mapped file reads as zeros); an empty file has no
 * page to map, and touching the page would give SIGBUS, so it is refused.
 * Exit status 0 if the two agree, 1 with a reason otherwise.
 */
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define MAP_LENGTH PAGE_SIZE /* "the first 4 KiB" */

static int failed(const char *path, const char *step, long error)
{
    printf("mmapint: FAILED: %s: %s: %s\n", path, step, errno_text(error));
    return 1;
}

/* The first sizeof(int) bytes of fd as read() gives them, zero-padded; the number
 * of bytes read (0 for an empty file) or -errno. */
static long first_int_by_read(int fd, int *value)
{
    *value = 0;
    return sys_pread64(fd, value, sizeof *value, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        dprintf(STDERR, "usage: mmapint FILE\n");
        return 2;
    }
    const char *path = argv[1];
    printf("mmapint: map the first 4 KiB of %s (MAP_SHARED, PROT_READ), close the descriptor, "
           "then read an int through the pointer\n",
           path);
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return failed(path, "open", fd);
    int by_read;
    long bytes = first_int_by_read((int)fd, &by_read);
    if (bytes < 0)
        return failed(path, "pread", bytes);
    if (bytes == 0) {
        printf("mmapint: FAILED: %s is empty: it has no page to map (a touch would give SIGBUS)\n",
               path);
        return 1;
    }
    long mapped = sys_mmap(NULL, MAP_LENGTH, PROT_READ, MAP_SHARED, (int)fd, 0);
    if (IS_ERROR(mapped))
        return failed(path, "mmap", mapped);
    sys_close((int)fd); /* the mapping lives on without the descriptor */

    int value = *(volatile int *)mapped; /* the page fault that brings the page in */
    printf("mmapint: the int at offset 0, read through the mapping after close: %d (0x%08x)\n",
           value, (unsigned)value);
    if (value != by_read) {
        printf("mmapint: FAILED: read() gives %d (0x%08x) there\n", by_read, (unsigned)by_read);
        return 1;
    }
    printf("mmapint: read() gives the same int: ok\n");
    long unmapped = sys_munmap((void *)mapped, MAP_LENGTH);
    return unmapped == 0 ? 0 : failed(path, "munmap", unmapped);
}
