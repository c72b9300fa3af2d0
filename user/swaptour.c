/*
 * swaptour — puts pages in every state of swapping, for gdb to look at.
 *
 * Needs a swap area (`make run SWAP=16M`, or tests/boot-kernel --swap). With
 * Clock (the policy at boot) and a fresh area every step is deterministic:
 *
 *   1. a region of 8 pages gets a resident set of its own limited to 4 frames
 *      (vmlab_resident_limit, mm/resident_limit.h), and pages 0-7 are written
 *      in order: writing page 4 evicts page 0 to slot 1, page 5 page 1 to
 *      slot 2, ... so pages 0-3 end in slots 1-4 and 4-7 in the set's frames;
 *   2. one page of its own is locked (mmap's MAP_LOCKED): reclaim never takes it;
 *   3. fork: the child's entries are copies of the parent's, so pages 4-7 are
 *      frames mapped by both (two reverse-map records each) and slots 1-4 are
 *      named by two entries each;
 *   4. the child reads page 0: a major fault reads slot 1 into a frame, and
 *      read-ahead slots 2-4 into frames nobody maps yet; all four stay in the
 *      swap cache, since the parent's entries still name the slots;
 *   5. the child exits (stop here in gdb: `break sys_exit_group`), the parent
 *      checks every page and exits.
 *
 * The gdb commands of tools/gdb show each state: `ptes` and `pagewalk` the swap
 * entries with their slots, `pageinfo` a frame's reverse map, resident set and
 * swap-cache slot, `swapinfo` the area and one slot's users, `resident` a set's
 * circle and hand (tests/boot/gdb-swap.sh).
 */
#include <stdint.h>

#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define PAGES                   8
#define FRAMES                  4      /* the region's resident limit */
#define MAP_LOCKED              0x2000 /* Linux's: the pages present and locked in memory */
#define NR_vmlab_resident_limit 502

static volatile uint64_t *page_word(volatile char *region, int page)
{
    return (volatile uint64_t *)(region + (unsigned long)page * PAGE_SIZE);
}

/* The value page i holds: its number, easy to spot in gdb's x/gx. */
static uint64_t value_of(int page)
{
    return 0x5000 + (uint64_t)page;
}

/* Pages of region that do not hold their value. */
static int wrong_pages(volatile char *region)
{
    int wrong = 0;
    for (int i = 0; i < PAGES; i++)
        wrong += *page_word(region, i) != value_of(i);
    return wrong;
}

int main(void)
{
    volatile char *region = (volatile char *)sys_mmap(
        NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char *locked = (volatile char *)sys_mmap(
        NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    if ((long)region < 0 || (long)locked < 0) {
        printf("swaptour: FAILED: mmap\n");
        return 1;
    }
    long error = syscall3(NR_vmlab_resident_limit, (long)region, PAGES * PAGE_SIZE, FRAMES);
    if (error != 0) {
        printf("swaptour: FAILED: vmlab_resident_limit: %ld (no swap area?)\n", error);
        return 1;
    }
    for (int i = 0; i < PAGES; i++)
        *page_word(region, i) = value_of(i);
    *page_word(locked, 0) = 0x10c4ed;
    printf("swaptour: region %p, %d pages, %d frames; locked page %p\n", (void *)region, PAGES,
           FRAMES, (void *)locked);
    long child = sys_fork();
    if (child == 0) {
        uint64_t first = *page_word(region, 0); /* a swap-in, with read-ahead */
        sys_exit_group(first == value_of(0) ? 0 : 1);
    }
    int status = -1;
    sys_wait4((int)child, &status, 0, NULL);
    int wrong = wrong_pages(region);
    printf("swaptour: child exit %d, %d wrong pages\n", status >> 8, wrong);
    return status == 0 && wrong == 0 ? 0 : 1;
}
