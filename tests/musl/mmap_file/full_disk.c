/*
 * full_disk.c — stores through MAP_SHARED to holes of a file on a disk that cannot
 * take them, while memory is short (a step of big, vmlab only).
 *
 * A store to a hole needs a block only when the page is written back. With the
 * disk full that write fails. Linux's ext2 then leaves the page clean anyway: the
 * stores are lost when the page leaves the cache, and the next fsync or msync
 * reports ENOSPC, once. (Debian mounts ext2 with its ext4 driver, which reserves
 * the block at the first store and sends SIGBUS there instead.) A page that stayed
 * dirty could never be freed: memory would fill with them, and the process beside
 * the file, here a hog holding most of memory, would be killed for it.
 */
#include "mmap_file.h"

#include <sys/statfs.h>

#define HOG_SPARE_MIB 4 /* memory the hog leaves: less than the file */
#define BEYOND_MIB    8 /* the file's holes exceed the free blocks by this much */

static long free_bytes(void)
{
    struct statfs s;
    return statfs(".", &s) == 0 ? (long)(s.f_bfree * s.f_bsize) : -1;
}

static bool hog_alive(pid_t hog)
{
    return waitpid(hog, NULL, WNOHANG) == 0;
}

/* Pages of p (size bytes) that read as their store (the page number's low byte
 * plus one at byte 9), and pages that read as zeros: a lost store is a hole. */
static void count_pages(const unsigned char *p, long size, long *stored, long *zero)
{
    *stored = *zero = 0;
    for (long off = 0; off < size; off += PAGE) {
        *stored += p[off + 9] == (unsigned char)(1 + (off / PAGE) % 255);
        *zero += all_zero(p + off, PAGE);
    }
}

void stores_on_a_full_disk(void)
{
    sync(); /* big.bin's dirty pages: else reclaim writes those first */
    long before = free_bytes();
    long size = (before / MIB + BEYOND_MIB) * MIB;
    int fd = open("full.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (before < 0 || fd < 0 || ftruncate(fd, size) != 0) {
        printf("full disk: no file (%s)\n", errno_name(errno));
        return;
    }
    unsigned char *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t hog = start_hog(HOG_SPARE_MIB);
    long failed_before = vmstat_value("vmlab_file_write_errors");
    long reclaim_before = vmstat_value("nr_vmscan_write");
    for (long off = 0; p != MAP_FAILED && off < size; off += PAGE)
        p[off + 9] = (unsigned char)(1 + (off / PAGE) % 255);
    bool alive = hog_alive(hog);
    long by_reclaim = vmstat_value("nr_vmscan_write") - reclaim_before;
    long failed_in_reclaim = vmstat_value("vmlab_file_write_errors") - failed_before;
    kill(hog, SIGKILL);
    waitpid(hog, NULL, 0);
    int first = msync(p, (size_t)size, MS_SYNC) == 0 ? 0 : errno;
    int second = msync(p, (size_t)size, MS_SYNC) == 0 ? 0 : errno;
    long failed = vmstat_value("vmlab_file_write_errors") - failed_before;
    long stored, zero;
    count_pages(p, size, &stored, &zero);
    munmap(p, (size_t)size);
    close(fd);
    unlink("full.bin");
    long pages = size / PAGE, blocks = before / PAGE;
    printf("full disk: stores to %ld pages done, the hog beside them alive: %s\n", pages,
           alive ? "yes" : "no");
    printf("full disk: msync %s, then %s\n", first ? errno_name(first) : "0",
           second ? errno_name(second) : "0");
    printf("full disk: write-backs that failed: %s\n",
           failed >= pages - blocks ? "at least the pages beyond the free blocks" : "too few");
    printf("full disk: every page reads its store or zeros: %s\n",
           stored + zero == pages ? "yes" : "no");
    printf("full disk: free space after unlink: %s\n",
           free_bytes() == before ? "as before" : "different");
    printf("full disk: reclaim wrote pages back and some writes failed: %s\n",
           by_reclaim > blocks && failed_in_reclaim > 0 ? "yes" : "no");
    fprintf(stderr,
            "full disk: %ld pages, %ld free blocks; reclaim wrote %ld, %ld failed; %ld failed in "
            "all; %ld read back, %ld zero\n",
            pages, blocks, by_reclaim, failed_in_reclaim, failed, stored, zero);
}
