/*
 * shmtour — puts pages of shared anonymous memory out to swap, for gdb to look at.
 *
 * Needs a swap area and little memory (tests/boot-kernel --swap 32M --mem 24M;
 * `make run SWAP=32M MEM=24M INIT=shmtour`). The steps:
 *
 *   1. a MAP_SHARED|MAP_ANONYMOUS region of 8 pages; page i holds 0x5e00 + i;
 *   2. pressure: a private region is written page by page until mincore says
 *      all 8 shared pages are out. Reclaim wrote each to a swap slot that the
 *      region's object records by page index (mm/object.c, mm/shm_swap.c), and
 *      cleared the entries that mapped it: the page is the object's, not an
 *      entry's, so no swap entry is left behind as for private memory;
 *   3. the private region is unmapped but for its first 64 pages (the frames
 *      and slots of the rest go), page 0 is read: a major fault reads its slot
 *      back and lets the slot go;
 *   4. /proc/self/smaps's Swap and SwapPss of the region are printed (7 pages
 *      out: 28 kB; SwapPss counts no shared memory, as on Linux), and the frame
 *      map with the region's counts (swapped 7), as in step 2 with the first
 *      64 private pages' (vmlab_framemap); then exit_group: stop there in gdb
 *      (`break sys_exit_group`).
 *
 * `shmtour hold` then prints its regions and waits for a line: the VGA view of
 * the process (F3) shows pages 1-7 of the shared region as swapped out, and
 * the private pages out too (tests/boot/framemap.sh).
 *
 * The gdb commands of tools/gdb show the pages that are out as they show a
 * private page's swap entry: `ptes` and `pagewalk` "swapped out to slot N
 * (shared memory ...)", `swapinfo N` the object holding the slot and who maps
 * the page (tests/boot/gdb-vm.sh).
 */
#include <stdint.h>

#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "lib/string.h"
#include "user/lib/procfile.h"
#include "user/lib/syscall.h"

#define PAGES              8
#define CHUNK              64   /* private pages written between two looks at mincore */
#define PRESSURE_MAX       8192 /* private pages at most (32 MiB): then give up */
#define FIRST_PAGES        64   /* the private pages counted by the first frame map */
#define SYS_vmlab_framemap 501  /* vmlab's own: the frame map, and a range's counts */

static volatile uint64_t *page_word(volatile char *region, int page)
{
    return (volatile uint64_t *)(region + (unsigned long)page * PAGE_SIZE);
}

static uint64_t value_of(int page)
{
    return 0x5e00 + (uint64_t)page;
}

/* How many of the shared region's pages are in memory (mincore). */
static int resident(volatile char *shared)
{
    unsigned char vec[PAGES];
    if (sys_mincore((void *)shared, PAGES * PAGE_SIZE, vec) != 0)
        return -1;
    int in = 0;
    for (int i = 0; i < PAGES; i++)
        in += vec[i] & 1;
    return in;
}

/* Write private pages until no shared page is in memory: how many were written,
 * or -1 if PRESSURE_MAX were not enough. */
static long push_out(volatile char *shared, volatile char *pressure)
{
    for (long written = 0; written < PRESSURE_MAX;) {
        for (int i = 0; i < CHUNK; i++, written++)
            *page_word(pressure, (int)written) = (uint64_t)written;
        if (resident(shared) == 0)
            return written;
    }
    return -1;
}

/* Write the frame map to the serial port, with the counts of the pages of
 * [start, start + pages) (kernel/framemap_export.c: "framemap range ... untouched
 * N prot-none N swapped N lost N" and the frames by class). */
static void frame_map(volatile char *start, long pages)
{
    long error = syscall3(SYS_vmlab_framemap, 0, (long)start, pages * PAGE_SIZE);
    if (error != 0)
        printf("shmtour: vmlab_framemap failed: %ld\n", error);
}

/* The kB of field name ("Swap") in the smaps paragraph of the region at start,
 * or -1. */
static long smaps_kb(volatile char *start, const char *name)
{
    static char text[16384];
    if (!proc_file_read("/proc/self/smaps", text, sizeof text))
        return -1;
    char head[32];
    size_t n = (size_t)snprintf(head, sizeof head, "%lx-", (unsigned long)start);
    for (const char *line = text; line != NULL; line = strchr(line, '\n')) {
        line += *line == '\n';
        if (strncmp(line, head, n) == 0)
            return proc_field(line, name); /* the first such line below the region's */
    }
    return -1;
}

/* `shmtour hold`: the frame map with the first private pages' counts, the
 * regions (/proc/self/maps, for finding a region's band in the VGA process view,
 * F3), then wait for a line, the pages as they are. */
static void hold(volatile char *pressure)
{
    frame_map(pressure, FIRST_PAGES); /* how many are out, as the view draws them */
    static char maps[4096];
    if (proc_file_read("/proc/self/maps", maps, sizeof maps))
        for (char *line = maps, *end; *line != '\0'; line = end + 1) {
            end = strchr(line, '\n');
            if (end == NULL)
                break;
            printf("shmtour: map %.*s\n", (int)(end - line), line);
        }
    printf("shmtour: holding; type a line to end\n");
    char answer[16];
    read_line(answer, sizeof answer);
}

int main(int argc, char **argv)
{
    volatile char *shared = (volatile char *)sys_mmap(
        NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    volatile char *pressure = (volatile char *)sys_mmap(
        NULL, PRESSURE_MAX * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ((long)shared < 0 || (long)pressure < 0) {
        printf("shmtour: FAILED: mmap\n");
        return 1;
    }
    for (int i = 0; i < PAGES; i++)
        *page_word(shared, i) = value_of(i);
    long written = push_out(shared, pressure);
    if (written >= 0)
        frame_map(pressure, FIRST_PAGES); /* private pages, many of them out */
    /* the pressure goes, but for its first pages: `hold` shows them */
    sys_munmap((void *)(pressure + FIRST_PAGES * PAGE_SIZE),
               (PRESSURE_MAX - FIRST_PAGES) * PAGE_SIZE);
    if (written < 0) {
        printf("shmtour: FAILED: %d private pages left shared pages in memory (no swap?)\n",
               PRESSURE_MAX);
        return 1;
    }
    uint64_t first = *page_word(shared, 0); /* a major fault: slot read, slot let go */
    printf("shmtour: shared region %p, %d pages, all out after %ld private pages; page 0 read "
           "back: %s\n",
           (void *)shared, PAGES, written, first == value_of(0) ? "intact" : "WRONG");
    printf("shmtour: pages in memory %d; smaps Swap %ld kB, SwapPss %ld kB\n", resident(shared),
           smaps_kb(shared, "Swap"), smaps_kb(shared, "SwapPss"));
    frame_map(shared, PAGES); /* page 0 in a frame, 1-7 out */
    if (argc > 1 && strcmp(argv[1], "hold") == 0)
        hold(pressure);
    return first == value_of(0) ? 0 : 1;
}
