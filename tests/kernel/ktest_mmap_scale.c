/*
 * ktest_mmap_scale.c — regions are kept in a balanced tree, so mmap and munmap
 * cost about the same with 100 regions as with 10,000. We create 10,000 one-page
 * mappings (alternating rights, so they cannot merge), check the tree's height
 * stays logarithmic, and count the gaps placement looks at for 200 mmap+munmap
 * pairs at both sizes: a search from the top each time would look at ~100 times
 * more with 10,000 regions. The work is counted, not timed, so the test cannot
 * flicker on a busy machine; the times are printed for the curious.
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

/* Cycles for PAIRS mmap+munmap pairs (the fastest of BATCHES), and the gaps
 * placement looked at for them, per batch. */
static uint64_t time_pairs(struct addr_space *as, uint64_t *steps)
{
    uint64_t best = UINT64_MAX, steps_before = as->placement_steps;
    for (int b = 0; b < BATCHES; b++) {
        uint64_t start = rdtsc();
        for (int i = 0; i < PAIRS; i++) {
            long at = mm_mmap(as, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
            mm_munmap(as, (vaddr_t)at, PAGE_SIZE);
        }
        uint64_t cycles = rdtsc() - start;
        best = cycles < best ? cycles : best;
    }
    *steps = (as->placement_steps - steps_before) / BATCHES;
    return best;
}

KTEST(mmap_cost_stays_flat_with_10000_regions)
{
    uint64_t before = free_frames(), few_steps, many_steps;
    struct addr_space *as = as_create();
    add_regions(as, FEW);
    uint64_t few = time_pairs(as, &few_steps);
    add_regions(as, MANY - FEW);
    KEXPECT_EQ(as->vmas.count, MANY);
    uint64_t many = time_pairs(as, &many_steps);

    /* an AVL tree of n nodes is at most 1.44 log2(n + 2) high: 20 for 10,000 */
    KEXPECT(as->vmas.root->height <= 20, "tree height %d", as->vmas.root->height);
    kprintf("mmap+munmap: %lu cycles and %lu gaps looked at a pair with %d regions, "
            "%lu cycles and %lu gaps with %d\n",
            few / PAIRS, few_steps / PAIRS, FEW, many / PAIRS, many_steps / PAIRS, MANY);
    /* the free-area cache: the same few gaps a pair, however many regions there are */
    KEXPECT(many_steps <= 2 * few_steps, "%lu gaps looked at with %d regions vs %lu with %d",
            many_steps, MANY, few_steps, FEW);

    as_put(as);
    KEXPECT_EQ(free_frames(), before);
}
