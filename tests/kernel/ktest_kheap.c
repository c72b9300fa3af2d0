/*
 * ktest_kheap.c — kmalloc, kzalloc and kfree (mm/kheap.c) in the running kernel:
 * slabs for up to 1024 bytes, guarded page blocks in the kernel virtual area for
 * more. Misuse (double free, foreign pointers) panics, so the boot tests
 * (tests/boot/crash-report.sh) cover that, not these.
 */
#include "kernel/ktest.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kernel_pt.h"
#include "mm/kheap.h"
#include "mm/kvmap.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "lib/xorshift.h"

#define HEAP_ALIGN        16   /* every kmalloc block is at least this aligned */
#define SMALL_MAX         1024 /* the largest size served from a slab */
#define LIVE_SLOTS        200  /* blocks the random workload holds at most */
#define OPERATIONS        4000
#define LARGEST_REQUEST   9000 /* three pages */
#define WORKLOAD_SEED     0x2545f4914f6cdd1dull
#define SAME_CLASS_BLOCKS 300 /* enough 64-byte objects to need several slabs */

/* ---- helpers ---- */

/* The size class kmalloc serves size from: the power of two >= size, at least 16. */
static size_t class_size(size_t size)
{
    size_t c = HEAP_ALIGN;
    while (c < size)
        c <<= 1;
    return c;
}

/* The byte at offset i of a block: tied to the block's address and size, so a
 * block that overlaps another, or is handed out twice, shows up as wrong bytes. */
static uint8_t pattern(const uint8_t *block, size_t size, size_t i)
{
    return (uint8_t)(((uintptr_t)block >> 4) + size * 3 + i * 7 + (i >> 8));
}

static void stamp(uint8_t *block, size_t size)
{
    for (size_t i = 0; i < size; i++)
        block[i] = pattern(block, size, i);
}

/* The first offset whose byte is not the pattern, or size if all are. */
static size_t first_wrong(const uint8_t *block, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        if (block[i] != pattern(block, size, i))
            return i;
    }
    return size;
}

static bool overlaps(const uint8_t *a, size_t a_size, const uint8_t *b, size_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

static bool mapped(vaddr_t va)
{
    paddr_t pa;
    return pt_translate(kernel_root(), va, &pa);
}

static uint64_t rng_state;

/* The same sequence every boot. */
static uint64_t rng_next(void)
{
    return xorshift64(&rng_state);
}

/* A request size: a quarter tiny (1..64), a quarter any small (1..1024), a quarter
 * large (1025..9000), a quarter anything (1..9000). */
static size_t random_size(void)
{
    uint64_t r = rng_next();
    switch (r % 4) {
    case 0: return 1 + (r >> 2) % 64;
    case 1: return 1 + (r >> 2) % SMALL_MAX;
    case 2: return SMALL_MAX + 1 + (r >> 2) % (LARGEST_REQUEST - SMALL_MAX);
    default: return 1 + (r >> 2) % LARGEST_REQUEST;
    }
}

/* ---- the random workload ---- */

struct block {
    uint8_t *p; /* NULL: the slot is empty */
    size_t size;
};

static struct block live[LIVE_SLOTS];

/* What the workload saw go wrong (0 everywhere when all is well). */
struct workload_result {
    uint64_t out_of_memory, misaligned, overlapping, corrupted;
    const uint8_t *first_bad;
    size_t first_bad_size;
};

static void note(struct workload_result *r, uint64_t *counter, const uint8_t *p, size_t size)
{
    if (r->first_bad == NULL) {
        r->first_bad = p;
        r->first_bad_size = size;
    }
    (*counter)++;
}

/* Allocate into an empty slot: check alignment and that the block overlaps no
 * live block, then stamp it. */
static void workload_alloc(struct block *slot, struct workload_result *r)
{
    size_t size = random_size();
    uint8_t *p = kmalloc(size);
    if (p == NULL) {
        note(r, &r->out_of_memory, NULL, size);
        return;
    }
    size_t alignment = size <= SMALL_MAX ? class_size(size) : HEAP_ALIGN;
    if ((uintptr_t)p % alignment != 0)
        note(r, &r->misaligned, p, size);
    for (size_t i = 0; i < LIVE_SLOTS; i++) {
        if (live[i].p != NULL && overlaps(p, size, live[i].p, live[i].size))
            note(r, &r->overlapping, p, size);
    }
    stamp(p, size);
    *slot = (struct block){ p, size };
}

/* Verify a live block's contents, then free it. */
static void workload_free(struct block *slot, struct workload_result *r)
{
    if (first_wrong(slot->p, slot->size) != slot->size)
        note(r, &r->corrupted, slot->p, slot->size);
    kfree(slot->p);
    slot->p = NULL;
}

/* OPERATIONS times: pick a random slot; allocate into it if empty, else verify
 * and free its block. At the end verify and free every block left. */
static struct workload_result run_workload(void)
{
    struct workload_result r = { 0 };
    memset(live, 0, sizeof live);
    rng_state = WORKLOAD_SEED;
    for (int op = 0; op < OPERATIONS; op++) {
        struct block *slot = &live[rng_next() % LIVE_SLOTS];
        if (slot->p == NULL)
            workload_alloc(slot, &r);
        else
            workload_free(slot, &r);
    }
    for (size_t i = 0; i < LIVE_SLOTS; i++) {
        if (live[i].p != NULL)
            workload_free(&live[i], &r);
    }
    return r;
}

/*
 * After the workload has freed everything, the heap holds what it held before,
 * and so does the frame allocator, except for cached slabs: kfree keeps the last
 * empty slab of a size class (the only one with room) instead of returning its
 * frame, so the workload may leave up to one new empty slab per class behind,
 * each one FRAME_KERNEL frame. (It can also free a slab that was empty before it
 * started, if that slab was not alone on its class's list; at test time nothing
 * else holds small objects, so we do not expect that and do not allow for it.)
 * Large blocks are unmapped and their frames and page tables freed.
 * This test comes first in the file, so that the workload starts from a heap its
 * own earlier runs have not already filled with slabs.
 */
KTEST(kheap_random_workload_returns_all_memory)
{
    struct kheap_stats heap_before = kheap_stats();
    struct pmm_stats frames_before = pmm_stats();
    run_workload();
    struct kheap_stats heap_after = kheap_stats();
    struct pmm_stats frames_after = pmm_stats();

    for (int c = 0; c < KHEAP_CLASSES; c++)
        KEXPECT(heap_after.objects[c] == heap_before.objects[c],
                "class %d: %lu objects, %lu before", c, heap_after.objects[c],
                heap_before.objects[c]);
    KEXPECT_EQ(heap_after.large_blocks, heap_before.large_blocks);
    KEXPECT_EQ(heap_after.large_pages, heap_before.large_pages);

    int64_t new_slabs = (int64_t)(heap_after.slabs - heap_before.slabs);
    KEXPECT(new_slabs >= 0 && new_slabs <= KHEAP_CLASSES, "%ld more slabs than before", new_slabs);
    KEXPECT_EQ(frames_before.free - frames_after.free, new_slabs);
    KEXPECT_EQ(frames_after.used[FRAME_KERNEL] - frames_before.used[FRAME_KERNEL], new_slabs);
    KEXPECT_EQ(frames_after.used[FRAME_PAGE_TABLE], frames_before.used[FRAME_PAGE_TABLE]);
    KEXPECT_EQ(pmm_check(), frames_after.free);
}

KTEST(kheap_random_workload_keeps_contents)
{
    struct workload_result r = run_workload();
    KEXPECT(r.out_of_memory == 0, "%lu allocations failed (size %zu first)", r.out_of_memory,
            r.first_bad_size);
    KEXPECT(r.misaligned == 0, "%lu blocks misaligned, first %p (size %zu)", r.misaligned,
            r.first_bad, r.first_bad_size);
    KEXPECT(r.overlapping == 0, "%lu blocks overlapped a live block, first %p (size %zu)",
            r.overlapping, r.first_bad, r.first_bad_size);
    KEXPECT(r.corrupted == 0, "%lu blocks changed while live, first %p (size %zu)", r.corrupted,
            r.first_bad, r.first_bad_size);
}

/* ---- one property at a time ---- */

KTEST(kheap_small_objects_aligned_to_size_class)
{
    for (size_t size = 1; size <= SMALL_MAX; size++) {
        void *p = kmalloc(size);
        bool ok = KEXPECT((uintptr_t)p % class_size(size) == 0, "kmalloc(%zu) = %p", size, p);
        kfree(p);
        if (!ok)
            return;
    }
}

KTEST(kheap_large_blocks_aligned)
{
    static const size_t sizes[] = { SMALL_MAX + 1, 4095, 4096, 4097, 8192, LARGEST_REQUEST };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = kmalloc(sizes[i]);
        /* whole pages: page-aligned, which is more than the 16 kheap.h promises */
        KEXPECT((uintptr_t)p % PAGE_SIZE == 0, "kmalloc(%zu) = %p", sizes[i], p);
        kfree(p);
    }
}

/* Many objects of one class, spanning several slabs: no two overlap. */
KTEST(kheap_distinct_blocks_do_not_overlap)
{
    static uint8_t *blocks[SAME_CLASS_BLOCKS];
    const size_t size = 64;
    for (size_t i = 0; i < SAME_CLASS_BLOCKS; i++)
        blocks[i] = kmalloc(size);
    size_t overlapping = 0;
    for (size_t i = 0; i < SAME_CLASS_BLOCKS; i++) {
        for (size_t j = i + 1; j < SAME_CLASS_BLOCKS; j++)
            overlapping += overlaps(blocks[i], size, blocks[j], size);
    }
    for (size_t i = 0; i < SAME_CLASS_BLOCKS; i++)
        kfree(blocks[i]);
    KEXPECT_EQ(overlapping, 0);
}

/* kzalloc on memory that was dirty: the object just freed comes back (the slab's
 * free list is a stack) and must read as zero. */
KTEST(kheap_kzalloc_zeroes_reused_object)
{
    for (size_t size = HEAP_ALIGN; size <= SMALL_MAX; size <<= 1) {
        uint8_t *p = kmalloc(size);
        memset(p, 0xff, size);
        kfree(p);
        uint8_t *q = kzalloc(size);
        KEXPECT(q == p, "size %zu: kzalloc returned %p, not the object just freed %p", size, q, p);
        size_t nonzero = 0;
        for (size_t i = 0; i < size; i++)
            nonzero += q[i] != 0;
        KEXPECT(nonzero == 0, "size %zu: %zu bytes not zero", size, nonzero);
        kfree(q);
    }
}

KTEST(kheap_kzalloc_zeroes_large_block)
{
    uint8_t *p = kzalloc(LARGEST_REQUEST);
    size_t nonzero = 0;
    for (size_t i = 0; i < LARGEST_REQUEST; i++)
        nonzero += p[i] != 0;
    KEXPECT_EQ(nonzero, 0);
    kfree(p);
}

KTEST(kheap_kfree_null_changes_nothing)
{
    struct kheap_stats heap_before = kheap_stats();
    uint64_t free_before = pmm_stats().free;
    kfree(NULL);
    struct kheap_stats heap_after = kheap_stats();
    KEXPECT(memcmp(&heap_before, &heap_after, sizeof heap_before) == 0, "kheap_stats changed");
    KEXPECT_EQ(pmm_stats().free, free_before);
}

KTEST(kheap_stats_count_small_objects)
{
    struct kheap_stats before = kheap_stats();
    void *p = kmalloc(100); /* class 3: 16 << 3 = 128 bytes */
    KEXPECT_EQ(kheap_stats().objects[3], before.objects[3] + 1);
    KEXPECT_EQ(kheap_stats().large_blocks, before.large_blocks);
    kfree(p);
    KEXPECT_EQ(kheap_stats().objects[3], before.objects[3]);
}

KTEST(kheap_stats_count_large_blocks)
{
    struct kheap_stats before = kheap_stats();
    uint64_t kernel_frames = pmm_stats().used[FRAME_KERNEL];
    void *p = kmalloc(5000); /* two pages */
    KEXPECT_EQ(kheap_stats().large_blocks, before.large_blocks + 1);
    KEXPECT_EQ(kheap_stats().large_pages, before.large_pages + 2);
    KEXPECT_EQ(pmm_stats().used[FRAME_KERNEL], kernel_frames + 2);
    kfree(p);
    KEXPECT_EQ(kheap_stats().large_blocks, before.large_blocks);
    KEXPECT_EQ(kheap_stats().large_pages, before.large_pages);
    KEXPECT_EQ(pmm_stats().used[FRAME_KERNEL], kernel_frames);
}

/* ---- large blocks in the page tables ---- */

KTEST(kheap_large_block_mapped_with_unmapped_guard_below)
{
    uint8_t *p = kmalloc(LARGEST_REQUEST); /* pages 0, 1, 2 */
    vaddr_t block = (vaddr_t)p;
    KEXPECT(!mapped(block - PAGE_SIZE), "guard page 0x%lx below %p is mapped", block - PAGE_SIZE,
            p);
    KEXPECT(kvmap_guard_owner(block - PAGE_SIZE) != NULL, "0x%lx is not known as a guard page",
            block - PAGE_SIZE);
    for (size_t page = 0; page < 3; page++)
        KEXPECT(mapped(block + page * PAGE_SIZE), "page %zu of %p not mapped", page, p);
    kfree(p);
}

KTEST(kheap_freed_large_block_unmapped)
{
    uint8_t *p = kmalloc(LARGEST_REQUEST);
    vaddr_t block = (vaddr_t)p;
    kfree(p);
    for (size_t page = 0; page < 3; page++)
        KEXPECT(!mapped(block + page * PAGE_SIZE), "page %zu of freed %p still mapped", page, p);
    KEXPECT(kvmap_guard_owner(block - PAGE_SIZE) == NULL, "the guard of freed %p is still a guard",
            p);
}

/* The frames behind a large block are distinct and in use by the kernel. */
KTEST(kheap_large_block_backed_by_kernel_frames)
{
    uint8_t *p = kmalloc(LARGEST_REQUEST);
    paddr_t frames[3] = { 0 };
    for (size_t page = 0; page < 3; page++) {
        pt_translate(kernel_root(), (vaddr_t)p + page * PAGE_SIZE, &frames[page]);
        const struct page *record = pmm_page(frames[page]);
        KEXPECT(record != NULL && record->state == PAGE_IN_USE && record->use == FRAME_KERNEL,
                "page %zu of %p: frame 0x%lx not a kernel frame in use", page, p, frames[page]);
    }
    KEXPECT(frames[0] != frames[1] && frames[1] != frames[2] && frames[0] != frames[2],
            "frames 0x%lx 0x%lx 0x%lx", frames[0], frames[1], frames[2]);
    kfree(p);
}
