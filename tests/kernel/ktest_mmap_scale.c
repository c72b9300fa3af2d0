/*
 * ktest_mmap_scale.c — regions are kept in a balanced tree, so mmap and munmap
 * cost about the same with 100 regions as with 10,000. We create 10,000 one-page
 * mappings (alternating rights, so they cannot merge), check the tree's height
 * stays logarithmic, and time 200 mmap+munmap pairs at both sizes: a linear
 * structure would make the second ~100 times dearer. The times are compared
 * within this one run only: batches at the two sizes take turns (two address
 * spaces), so a host that gets busier or quieter meanwhile slows both alike, and
 * each size counts its fastest batch (noise only ever adds time).
 */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/as.h"
#include "mm/kheap.h"
#include "mm/mmap.h"
#include "mm/pmm.h"

#define MANY    10000
#define FEW     100
#define PAIRS   200
#define BATCHES 5

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

/* Cycles for PAIRS mmap+munmap pairs in as. */
static uint64_t time_batch(struct addr_space *as)
{
    uint64_t start = rdtsc();
    for (int i = 0; i < PAIRS; i++) {
        long at = mm_mmap(as, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
        mm_munmap(as, (vaddr_t)at, PAGE_SIZE);
    }
    return rdtsc() - start;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

KTEST(mmap_cost_stays_flat_with_10000_regions)
{
    uint64_t before = free_frames();
    struct addr_space *small = as_create(), *large = as_create();
    add_regions(small, FEW);
    add_regions(large, MANY);
    KEXPECT_EQ(large->vmas.count, MANY);
    uint64_t few = UINT64_MAX, many = UINT64_MAX;
    for (int b = 0; b < BATCHES; b++) {
        few = min_u64(few, time_batch(small));
        many = min_u64(many, time_batch(large));
    }

    /* an AVL tree of n nodes is at most 1.44 log2(n + 2) high: 20 for 10,000 */
    KEXPECT(large->vmas.root->height <= 20, "tree height %d", large->vmas.root->height);
    kprintf("mmap+munmap: %lu cycles a pair with %d regions, %lu with %d (ratio %lu.%02lu)\n",
            few / PAIRS, FEW, many / PAIRS, MANY, many / few, many * 100 / few % 100);
    KEXPECT(many < 3 * few, "%lu cycles with %d regions vs %lu with %d", many, MANY, few, FEW);

    as_put(large);
    as_put(small);
    KEXPECT_EQ(free_frames(), before);
}
