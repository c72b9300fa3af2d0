/*
 * ktest_mmap_scale.c — regions are kept in a balanced tree, so mmap and munmap
 * cost about the same with 100 regions as with 10,000. We create 10,000 one-page
 * mappings (alternating rights, so they cannot merge), check the tree's height
 * stays logarithmic, and time mmap+munmap pairs at both sizes: a linear
 * structure would make the second ~100 times dearer. The times are compared
 * within this one run only, and measured so that a busy host cannot tip them:
 * pairs at the two sizes take turns (two address spaces), and each size counts
 * its median pair. A pair takes some 20 us, so the host rarely preempts one; a
 * batch of pairs at a time would be preempted more often the longer it took,
 * which made the larger size look dearer than it is (ratios of 3.4 under load).
 */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/as.h"
#include "mm/kheap.h"
#include "mm/mmap.h"
#include "mm/pmm.h"

#define MANY  10000
#define FEW   100
#define PAIRS 201 /* odd, for a median */

static uint64_t free_frames(void)
{
    return pmm_stats().free + kheap_stats().empty_slabs;
}

static void add_regions(struct addr_space *as, int count)
{
    for (int i = 0; i < count; i++)
        mm_mmap(as, 0, PAGE_SIZE, (as->vmas.count % 2) ? PROT_READ : PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS);
}

/* Cycles for one mmap+munmap pair in as. */
static uint64_t time_pair(struct addr_space *as)
{
    uint64_t start = rdtsc();
    long at = mm_mmap(as, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    mm_munmap(as, (vaddr_t)at, PAGE_SIZE);
    return rdtsc() - start;
}

/* The median of the n values (sorted in place: insertion sort, n is small). */
static uint64_t median(uint64_t *values, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t v = values[i];
        int j = i;
        for (; j > 0 && values[j - 1] > v; j--)
            values[j] = values[j - 1];
        values[j] = v;
    }
    return values[n / 2];
}

KTEST(mmap_cost_stays_flat_with_10000_regions)
{
    static uint64_t few_cycles[PAIRS], many_cycles[PAIRS];
    uint64_t before = free_frames();
    struct addr_space *small = as_create(), *large = as_create();
    add_regions(small, FEW);
    add_regions(large, MANY);
    KEXPECT_EQ(large->vmas.count, MANY);
    for (int i = 0; i < PAIRS; i++) {
        few_cycles[i] = time_pair(small);
        many_cycles[i] = time_pair(large);
    }
    uint64_t few = median(few_cycles, PAIRS), many = median(many_cycles, PAIRS);

    /* an AVL tree of n nodes is at most 1.44 log2(n + 2) high: 20 for 10,000 */
    KEXPECT(large->vmas.root->height <= 20, "tree height %d", large->vmas.root->height);
    kprintf("mmap+munmap: %lu cycles a pair with %d regions, %lu with %d (ratio %lu.%02lu)\n", few,
            FEW, many, MANY, many / few, many * 100 / few % 100);
    KEXPECT(many < 3 * few, "median %lu cycles a pair with %d regions vs %lu with %d", many, MANY,
            few, FEW);

    as_put(large);
    as_put(small);
    KEXPECT_EQ(free_frames(), before);
}
