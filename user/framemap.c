/*
 * framemap — dump the map of physical memory while pages are COW-shared.
 *
 * The kernel writes its map of every physical frame (who uses it: the kernel,
 * page tables, one process, several) to the serial port when a program calls
 * vmlab_framemap, vmlab's own system call 501 (Linux has none: -ENOSYS there).
 * tools/framemap.py draws a captured dump as a PNG or SVG.
 *
 * framemap writes HEAP_PAGES pages of its heap and SHARED_PAGES of a MAP_SHARED
 * mapping, then asks for three dumps:
 *   1. before fork:               the heap frames are "user", pid 1's alone
 *   2. in the child, after fork:  the same frames are "COW-shared" by pids 1 and 2
 *                                 (fork copied no page; both map each frame read-only)
 *   3. after the child exited:    pid 1's alone again
 * The shared mapping's frames are "shared memory" in all three (mapped by pids 1 and
 * 2 in the second).
 * `framemap hold` stops after the fork, with the pages shared, until a line is
 * typed (to look at them on the VGA console: F2, F3; see kernel/README.md).
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define SYS_vmlab_framemap 501 /* vmlab's own, beyond Linux's numbers */
#define HEAP_PAGES         64
#define SHARED_PAGES       4

static volatile char *heap;

/* The dump, with the counts of our heap pages' frames. */
static long framemap_dump(void)
{
    return syscall3(SYS_vmlab_framemap, 0, (long)heap, HEAP_PAGES * PAGE_SIZE);
}

/* Dump, saying which dump it is on stdout; false if the kernel has no such call. */
static bool dump(int number, const char *what)
{
    long result = framemap_dump();
    if (result != 0) {
        printf("framemap: dump %d: vmlab_framemap failed: %s\n", number, errno_name(result));
        return false;
    }
    printf("framemap: dump %d (pid %ld): %s\n", number, sys_getpid(), what);
    return true;
}

/* The call refuses what makes no sense, with -EINVAL, and dumps nothing. Returns
 * how many of the bad calls were refused so. */
static int refused_bad_arguments(void)
{
    static const struct {
        long flags, start, length;
    } bad[] = {
        { 1, 0, 0 },                                  /* an unknown flag */
        { 0, 0x400001, PAGE_SIZE },                   /* not page-aligned */
        { 0, 0x400000, (256L << 20) + PAGE_SIZE },    /* more than 256 MiB */
        { 0, 0x7ffffffff000, 2 * PAGE_SIZE },         /* running out of user space */
        { 0, (long)0xffffffff80000000ul, PAGE_SIZE }, /* the kernel */
        { 0, 0x1000, -1 },                            /* a length that wraps */
    };
    int refused = 0;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused +=
            syscall3(SYS_vmlab_framemap, bad[i].flags, bad[i].start, bad[i].length) == -EINVAL;
    return refused;
}

/* HEAP_PAGES pages from brk, each written once, so each has a frame of its own. */
static volatile char *grow_heap(void)
{
    unsigned long start = (unsigned long)sys_brk(0), end = start + HEAP_PAGES * PAGE_SIZE;
    if ((unsigned long)sys_brk(end) != end)
        return NULL;
    volatile char *heap = (volatile char *)start;
    for (int i = 0; i < HEAP_PAGES; i++)
        heap[(unsigned long)i * PAGE_SIZE] = (char)(i + 1);
    return heap;
}

/* SHARED_PAGES pages of MAP_SHARED memory, each written once; false if refused. */
static bool map_shared(void)
{
    long at = sys_mmap(NULL, SHARED_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (at < 0)
        return false;
    for (int i = 0; i < SHARED_PAGES; i++)
        ((volatile char *)at)[(unsigned long)i * PAGE_SIZE] = (char)(i + 1);
    return true;
}

static void wait_for_line(void)
{
    char line[64];
    printf("framemap: holding; type a line to end\n");
    read_line(line, sizeof line);
}

/* The child's side of `framemap hold`: sleep until killed. */
static void sleep_forever(void)
{
    struct timespec second = { .tv_sec = 1 };
    for (;;)
        sys_nanosleep(&second, NULL);
}

int main(int argc, char **argv)
{
    bool hold = argc > 1 && strcmp(argv[1], "hold") == 0;
    heap = grow_heap();
    if (heap == NULL || !map_shared()) {
        printf("framemap: no memory for %d heap and %d shared pages\n", HEAP_PAGES, SHARED_PAGES);
        return 1;
    }
    printf("framemap: pid %ld wrote %d heap pages at %p and %d shared pages\n", sys_getpid(),
           HEAP_PAGES, (void *)heap, SHARED_PAGES);
    if (!hold && !dump(1, "before fork: the heap pages are ours alone"))
        return 1;
    if (!hold)
        printf("framemap: %d of 6 bad calls refused with EINVAL\n", refused_bad_arguments());
    long pid = sys_fork();
    if (pid < 0) {
        printf("framemap: fork failed: %s\n", errno_name(pid));
        return 1;
    }
    if (pid == 0) {
        if (hold)
            sleep_forever();
        return dump(2, "child after fork: the heap pages are COW-shared") ? 0 : 1;
    }
    int status = 0;
    if (hold) {
        wait_for_line();
        sys_kill((int)pid, SIGKILL);
    }
    sys_wait4((int)pid, &status, 0, NULL);
    if (hold)
        return 0;
    return dump(3, "after the child exited: ours alone again") && status == 0 ? 0 : 1;
}
