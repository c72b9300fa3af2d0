/*
 * meminfo_cost — reading /proc/meminfo stays quick however many regions map the
 * cached pages of one file.
 *
 * A 16 MiB file is written (so its 4096 pages are cached) and mapped 16000 times,
 * untouched; then /proc/meminfo is read. Linux keeps its Mapped line as a counter;
 * vmlab counted it by asking, for each cached page, every region mapping the
 * page's object whether it maps the page: 65 million questions, about 10 s of
 * kernel time per read, with no other process running meanwhile. Prints facts
 * only (no times): the same on every correct kernel.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define FILE_PAGES   4096  /* 16 MiB */
#define MAPPINGS     16000 /* each region maps the whole file */
#define PAGE         4096
#define READ_SECONDS 3.0 /* a read takes milliseconds; the slow count took 10 s */

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Read /proc/meminfo whole: true if it has a Mapped line. *took: the seconds. */
static int read_meminfo(double *took)
{
    static char text[8192];
    double start = seconds_now();
    int fd = open("/proc/meminfo", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    *took = seconds_now() - start;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    return strstr(text, "\nMapped:") != NULL;
}

int main(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/meminfo_cost-%d", getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char block[PAGE];
    int written = 0;
    for (int i = 0; fd >= 0 && i < FILE_PAGES; i++)
        written += write(fd, block, sizeof block) == (ssize_t)sizeof block;
    printf("a file of %d pages written: %s\n", FILE_PAGES, written == FILE_PAGES ? "yes" : "no");
    int mapped = 0;
    while (mapped < MAPPINGS &&
           mmap(NULL, (size_t)FILE_PAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0) != MAP_FAILED)
        mapped++;
    printf("mapped %d times: %s\n", MAPPINGS, mapped == MAPPINGS ? "yes" : "no");
    double took;
    int has_mapped = read_meminfo(&took);
    printf("/proc/meminfo has a Mapped line: %s\n", has_mapped ? "yes" : "no");
    printf("/proc/meminfo read in under %.0f s: %s\n", READ_SECONDS,
           took < READ_SECONDS ? "yes" : "no");
    unlink(path);
    return 0;
}
