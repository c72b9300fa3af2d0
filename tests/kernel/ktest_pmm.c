/*
 * ktest_pmm.c — the frame allocator (mm/pmm.c) on the real machine: the pool
 * pmm_init built from this boot's memory map, after boot has finished.
 *
 * Several tests take *every* free frame and give them all back. They remember
 * which frames they hold in a static bitmap indexed by frame number, sized for
 * 1 GiB of RAM (the tests boot with 128 MiB); a map reaching further fails the
 * test instead of overrunning the bitmap.
 */
#include "kernel/bootinfo.h"
#include "kernel/ktest.h"
#include "kernel/multiboot2.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/pmm.h"

extern char __kernel_phys_start[], __kernel_phys_end[];

#define FIRST_MIB        0x100000ul
#define BITMAP_FRAMES    (1ul << 18) /* 1 GiB of 4 KiB frames */
#define BITS_PER_WORD    64
#define WORDS_PER_FRAME  (PAGE_SIZE / sizeof(uint64_t))
#define FULL_CHECK_EVERY 64  /* every 64th frame is checked in full, the rest sampled */
#define DIRTY_FRAMES     256 /* frames scribbled on before the zeroing test */
#define DIRTY_BYTE       0xa5

static uint64_t held[BITMAP_FRAMES / BITS_PER_WORD]; /* frames a sweep holds, by pfn */

/* What one sweep through the whole pool saw. */
struct sweep {
    uint64_t frames;       /* frames handed out until pmm_alloc said PMM_NO_FRAME */
    uint64_t twice;        /* frames handed out while the sweep already held them */
    uint64_t out_of_range; /* frames beyond the highest usable frame of the map */
    uint64_t not_zero;     /* frames with a non-zero word where we looked */
    paddr_t first_bad;     /* the first frame that was one of the above, for messages */
};

static struct sweep sweep;

/* One past the highest frame the memory map calls usable: no managed frame lies
 * at or beyond it. Computed from the map, not asked of the allocator. */
static pfn_t map_pfn_limit(void)
{
    pfn_t limit = 0;
    for (size_t i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        pfn_t end = paddr_to_pfn(align_down(r->start + r->length, PAGE_SIZE));
        if (r->type == MB2_MEMORY_AVAILABLE && end > limit)
            limit = end;
    }
    return limit;
}

static bool is_held(pfn_t pfn)
{
    return held[pfn / BITS_PER_WORD] & (1ul << (pfn % BITS_PER_WORD));
}

static void set_held(pfn_t pfn, bool value)
{
    if (value)
        held[pfn / BITS_PER_WORD] |= 1ul << (pfn % BITS_PER_WORD);
    else
        held[pfn / BITS_PER_WORD] &= ~(1ul << (pfn % BITS_PER_WORD));
}

/* True if the frame reads as zero: all of it when full, otherwise the first, a
 * middle and the last two words (checking all 4 KiB of ~32,000 frames is slow
 * under QEMU's emulation). */
static bool frame_is_zero(paddr_t frame, bool full)
{
    const uint64_t *words = phys_to_virt(frame);
    if (!full)
        return (words[0] | words[WORDS_PER_FRAME / 2] | words[WORDS_PER_FRAME - 2] |
                words[WORDS_PER_FRAME - 1]) == 0;
    for (size_t i = 0; i < WORDS_PER_FRAME; i++) {
        if (words[i] != 0)
            return false;
    }
    return true;
}

static void note_bad(paddr_t frame)
{
    if (sweep.first_bad == 0)
        sweep.first_bad = frame;
}

/* Allocate frames for `use` until the pool is empty, recording each in `held`.
 * The first full_checks frames, and every FULL_CHECK_EVERY-th, are checked for
 * zero in full. A frame beyond the map is counted and given back at once (the
 * bitmap cannot hold it), which ends the sweep. */
static void take_everything(enum frame_use use, uint64_t full_checks)
{
    memset(&sweep, 0, sizeof sweep);
    memset(held, 0, sizeof held);
    pfn_t limit = map_pfn_limit();
    paddr_t frame;
    while ((frame = pmm_alloc(use)) != PMM_NO_FRAME) {
        pfn_t pfn = paddr_to_pfn(frame);
        if (pfn >= limit || pfn >= BITMAP_FRAMES) {
            sweep.out_of_range++;
            note_bad(frame);
            pmm_free(frame);
            return;
        }
        if (is_held(pfn)) {
            sweep.twice++;
            note_bad(frame);
            continue; /* held already: freed once, below */
        }
        set_held(pfn, true);
        bool full = sweep.frames < full_checks || sweep.frames % FULL_CHECK_EVERY == 0;
        if (!frame_is_zero(frame, full)) {
            sweep.not_zero++;
            note_bad(frame);
        }
        sweep.frames++;
    }
}

/* Free every frame take_everything holds. */
static void give_everything_back(void)
{
    pfn_t limit = map_pfn_limit();
    for (pfn_t pfn = 0; pfn < limit && pfn < BITMAP_FRAMES; pfn++) {
        if (is_held(pfn)) {
            set_held(pfn, false);
            pmm_free(pfn_to_paddr(pfn));
        }
    }
}

/* The sweeps need the whole map inside the bitmap. */
static bool bitmap_covers_map(void)
{
    pfn_t limit = map_pfn_limit();
    return KEXPECT(limit <= BITMAP_FRAMES, "the map reaches frame 0x%lx; the bitmap holds 0x%lx",
                   limit, BITMAP_FRAMES);
}

/* ---- the whole pool ---- */

KTEST(pmm_alloc_every_frame_then_free_all_restores_free_count)
{
    if (!bitmap_covers_map())
        return;
    struct pmm_stats before = pmm_stats();
    take_everything(FRAME_USER, 0);
    KEXPECT_EQ(sweep.frames, before.free);
    KEXPECT_EQ(pmm_stats().free, 0);
    KEXPECT_EQ(pmm_alloc(FRAME_USER), PMM_NO_FRAME); /* exhausted */
    give_everything_back();
    KEXPECT_EQ(pmm_stats().free, before.free);
    KEXPECT_EQ(pmm_check(), before.free);
}

KTEST(pmm_alloc_never_hands_out_a_frame_twice)
{
    if (!bitmap_covers_map())
        return;
    take_everything(FRAME_USER, 0);
    give_everything_back();
    KEXPECT(sweep.twice == 0, "%lu frames handed out twice, the first 0x%lx", sweep.twice,
            sweep.first_bad);
    KEXPECT(sweep.out_of_range == 0, "frame 0x%lx lies beyond the usable memory of the map",
            sweep.first_bad);
}

KTEST(pmm_alloc_every_frame_is_zero)
{
    if (!bitmap_covers_map())
        return;
    /* scribble on some frames first; the free list is a stack, so they are the
     * first the sweep gets back, and it checks those in full */
    static paddr_t dirty[DIRTY_FRAMES];
    for (size_t i = 0; i < DIRTY_FRAMES; i++) {
        dirty[i] = pmm_alloc(FRAME_KERNEL);
        memset(phys_to_virt(dirty[i]), DIRTY_BYTE, PAGE_SIZE);
    }
    for (size_t i = DIRTY_FRAMES; i-- > 0;)
        pmm_free(dirty[i]);
    take_everything(FRAME_KERNEL, DIRTY_FRAMES);
    give_everything_back();
    KEXPECT(sweep.not_zero == 0, "%lu frames not zeroed, the first 0x%lx", sweep.not_zero,
            sweep.first_bad);
}

KTEST(pmm_alloc_every_frame_counts_as_its_use)
{
    if (!bitmap_covers_map())
        return;
    struct pmm_stats before = pmm_stats();
    take_everything(FRAME_PAGE_TABLE, 0);
    struct pmm_stats during = pmm_stats();
    give_everything_back();
    KEXPECT_EQ(during.used[FRAME_PAGE_TABLE], before.used[FRAME_PAGE_TABLE] + before.free);
    KEXPECT_EQ(during.used[FRAME_USER], before.used[FRAME_USER]);
    KEXPECT_EQ(during.used[FRAME_KERNEL], before.used[FRAME_KERNEL]);
    KEXPECT_EQ(pmm_stats().used[FRAME_PAGE_TABLE], before.used[FRAME_PAGE_TABLE]);
}

/* ---- counters and references, one frame at a time ---- */

KTEST(pmm_use_counters_follow_alloc_and_free)
{
    struct pmm_stats before = pmm_stats();
    paddr_t user = pmm_alloc(FRAME_USER), table = pmm_alloc(FRAME_PAGE_TABLE);
    struct pmm_stats during = pmm_stats();
    KEXPECT_EQ(during.used[FRAME_USER], before.used[FRAME_USER] + 1);
    KEXPECT_EQ(during.used[FRAME_PAGE_TABLE], before.used[FRAME_PAGE_TABLE] + 1);
    KEXPECT_EQ(during.used[FRAME_KERNEL], before.used[FRAME_KERNEL]);
    KEXPECT_EQ(during.free, before.free - 2);
    KEXPECT_EQ(during.total, before.total); /* the pool itself does not change */
    pmm_free(user);
    pmm_free(table);
    struct pmm_stats after = pmm_stats();
    KEXPECT_EQ(after.used[FRAME_USER], before.used[FRAME_USER]);
    KEXPECT_EQ(after.used[FRAME_PAGE_TABLE], before.used[FRAME_PAGE_TABLE]);
    KEXPECT_EQ(after.free, before.free);
    KEXPECT_EQ(pmm_check(), before.free);
}

KTEST(pmm_alloc_gives_one_reference)
{
    paddr_t frame = pmm_alloc(FRAME_USER);
    const struct page *page = pmm_page(frame);
    KEXPECT_EQ(page->state, PAGE_IN_USE);
    KEXPECT_EQ(page->use, FRAME_USER);
    KEXPECT_EQ(page->refcount, 1);
    pmm_free(frame);
    KEXPECT_EQ(page->state, PAGE_FREE);
}

KTEST(pmm_ref_then_unref_keeps_frame)
{
    uint64_t free_before = pmm_stats().free;
    paddr_t frame = pmm_alloc(FRAME_USER);
    pmm_ref(frame);
    KEXPECT_EQ(pmm_page(frame)->refcount, 2);
    KEXPECT_EQ(pmm_unref(frame), 1);
    KEXPECT_EQ(pmm_page(frame)->state, PAGE_IN_USE);
    KEXPECT_EQ(pmm_stats().free, free_before - 1);
    pmm_free(frame);
}

KTEST(pmm_unref_of_last_reference_frees_frame)
{
    struct pmm_stats before = pmm_stats();
    paddr_t frame = pmm_alloc(FRAME_USER);
    pmm_ref(frame);
    pmm_ref(frame);
    KEXPECT_EQ(pmm_unref(frame), 2);
    KEXPECT_EQ(pmm_unref(frame), 1);
    KEXPECT_EQ(pmm_unref(frame), 0);
    KEXPECT_EQ(pmm_page(frame)->state, PAGE_FREE);
    KEXPECT_EQ(pmm_stats().free, before.free);
    KEXPECT_EQ(pmm_stats().used[FRAME_USER], before.used[FRAME_USER]);
}

/* ---- the pool at boot, against the memory map ---- */

/* The frames the page array takes: one record per frame up to the highest usable
 * one, rounded up to whole frames. */
static uint64_t page_array_frames(void)
{
    return align_up(map_pfn_limit() * sizeof(struct page), PAGE_SIZE) / PAGE_SIZE;
}

KTEST(pmm_boot_nothing_in_use_and_page_array_reserved)
{
    struct pmm_stats boot = pmm_stats_at_boot();
    KEXPECT_EQ(boot.used[FRAME_KERNEL], 0);
    KEXPECT_EQ(boot.used[FRAME_PAGE_TABLE], 0);
    KEXPECT_EQ(boot.used[FRAME_USER], 0);
    KEXPECT_EQ(boot.total, boot.free);
    /* the page array's own frames are kept out, like the kernel image */
    paddr_t array = virt_to_phys(pmm_page(0));
    for (uint64_t i = 0; i < page_array_frames(); i++)
        KEXPECT_EQ(pmm_page(array + i * PAGE_SIZE)->state, PAGE_RESERVED);
}

/*
 * The free count right after pmm_init, against what the memory map says, within
 * 1%. Accounting, in bytes and independent of pmm_boot.c:
 *
 *   usable      the usable regions of the map, less the first MiB (never managed)
 *   - kept out  the kernel image [__kernel_phys_start, __kernel_phys_end), the boot
 *               information (mbi_size bytes) and the boot modules
 *   = expected, in whole frames,
 *   - the page array (one struct page per frame up to the highest usable frame),
 *     which pmm_init takes from usable memory and keeps out as reserved.
 *
 * This ignores the rounding of each kept-out range to whole frames and any
 * reserved region overlapping a usable one; those are what the 1% allows for.
 */
KTEST(pmm_boot_free_count_matches_memory_map)
{
    uint64_t usable = 0, kept_out = 0;
    for (size_t i = 0; i < boot_info.region_count; i++) {
        const struct boot_region *r = &boot_info.regions[i];
        uint64_t start = r->start < FIRST_MIB ? FIRST_MIB : r->start, end = r->start + r->length;
        if (r->type == MB2_MEMORY_AVAILABLE && end > start)
            usable += end - start;
    }
    kept_out += (uint64_t)(__kernel_phys_end - __kernel_phys_start) + boot_info.mbi_size;
    for (size_t i = 0; i < boot_info.module_count; i++)
        kept_out += boot_info.modules[i].end - boot_info.modules[i].start;

    uint64_t expected = (usable - kept_out) / PAGE_SIZE - page_array_frames();
    uint64_t actual = pmm_stats_at_boot().free;
    uint64_t difference = actual > expected ? actual - expected : expected - actual;
    KEXPECT(difference * 100 <= expected,
            "%lu frames free at boot, the map says %lu (usable %lu KiB, kept out %lu KiB, "
            "page array %lu frames)",
            actual, expected, usable / 1024, kept_out / 1024, page_array_frames());
}
