/*
 * test_pmm.c — the physical frame allocator (mm/pmm.c, mm/pmm_boot.c) on the
 * host, under ASan and UBSan.
 *
 * "Physical memory" is the shim's 8 MiB buffer (frames 0x000 .. 0x7ff). Most
 * tests build the pool from this hand-made memory map:
 *
 *   0x000000 +----------------------+
 *            | usable (first MiB:   |  kept out: BIOS data, VGA
 *            |  never managed)      |
 *   0x09fc00 | reserved             |
 *   0x100000 +----------------------+
 *            | kernel image         |  64 frames  0x100..0x13f
 *   0x140000 | page array           |  32 frames  0x140..0x15f (lowest room left)
 *   0x160000 | boot information     |   1 frame   0x160 (0x160100 + 0x200 bytes)
 *   0x161000 | free ...             |  <- the first frame pmm_alloc hands out
 *   0x200000 | boot module          |   4 frames  0x200..0x203 (end 0x203800 rounds up)
 *   0x204000 | free ...             |
 *   0x800000 +----------------------+  end of the usable region and of the fake RAM
 *
 * so the pool has 0x700 = 1792 frames above the first MiB, of which
 * 1792 - 64 - 32 - 1 - 4 = 1691 are free; the 32 page-array frames are reserved,
 * kept out like the kernel image.
 */
#include "check.h"
#include "kernel/bootinfo.h"
#include "kernel/multiboot2.h"
#include "kernel_shim.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/pmm_internal.h"

#define MIB ((paddr_t)1 << 20)

#define KERNEL_START 0x100000ull
#define KERNEL_END   0x140000ull
#define ARRAY_START  0x140000ull /* where pmm_init must put the page array */
#define MBI_PHYS     0x160100ull
#define MBI_SIZE     0x200u
#define MODULE_START 0x200000ull
#define MODULE_END   0x203800ull /* not page-aligned: frame 0x203 is partly module */
#define FIRST_FREE   0x161000ull /* the lowest frame nobody keeps out */

#define POOL_FRAMES   ((SHIM_PHYS_SIZE - MIB) / PAGE_SIZE)      /* 1792 */
#define KERNEL_FRAMES ((KERNEL_END - KERNEL_START) / PAGE_SIZE) /* 64 */
/* one record per frame up to the end of usable memory, rounded up to frames */
#define ARRAY_FRAMES                                                                               \
    ((SHIM_PHYS_SIZE / PAGE_SIZE * sizeof(struct page) + PAGE_SIZE - 1) / PAGE_SIZE) /* 32 */
#define MBI_FRAMES    1
#define MODULE_FRAMES 4
#define BOOT_FREE     (POOL_FRAMES - KERNEL_FRAMES - ARRAY_FRAMES - MBI_FRAMES - MODULE_FRAMES)

static struct boot_info info;

/* ---- building the pool ---- */

static void map_begin(void)
{
    memset(&info, 0, sizeof info);
    info.cmdline = "";
    info.loader_name = "";
}

static void map_add(uint64_t start, uint64_t end, uint32_t type)
{
    info.regions[info.region_count++] =
        (struct boot_region){ .start = start, .length = end - start, .type = type };
}

static void map_add_module(uint64_t start, uint64_t end)
{
    info.modules[info.module_count++] = (struct boot_module){ start, end, "module" };
}

/* Forget the previous test's pool, dirty the fake RAM (so zeroing is visible),
 * and build a fresh pool from info. */
static void pool_from_map(paddr_t kernel_start, paddr_t kernel_end)
{
    memset(&pmm_pool, 0, sizeof pmm_pool);
    memset(shim_phys, 0x5a, SHIM_PHYS_SIZE);
    pmm_init(&info, kernel_start, kernel_end);
}

/* The pool of the map drawn at the top of the file. */
static void standard_pool(void)
{
    map_begin();
    map_add(0, 0x9fc00, MB2_MEMORY_AVAILABLE);
    map_add(0x9fc00, 0x100000, MB2_MEMORY_RESERVED);
    map_add(0x100000, SHIM_PHYS_SIZE, MB2_MEMORY_AVAILABLE);
    info.mbi_phys = MBI_PHYS;
    info.mbi_size = MBI_SIZE;
    map_add_module(MODULE_START, MODULE_END);
    pool_from_map(KERNEL_START, KERNEL_END);
}

static bool in_range(paddr_t frame, paddr_t start, paddr_t end)
{
    return frame >= start && frame < end;
}

/* True if the standard map keeps frame out of the pool of free frames. */
static bool standard_excluded(paddr_t frame)
{
    return frame < MIB || in_range(frame, KERNEL_START, KERNEL_END) ||
           in_range(frame, ARRAY_START, ARRAY_START + ARRAY_FRAMES * PAGE_SIZE) ||
           in_range(frame, align_down(MBI_PHYS, PAGE_SIZE),
                    align_up(MBI_PHYS + MBI_SIZE, PAGE_SIZE)) ||
           in_range(frame, MODULE_START, align_up(MODULE_END, PAGE_SIZE)) ||
           frame >= SHIM_PHYS_SIZE;
}

/* Every frame pmm_alloc hands out until it runs dry, in order. Returns the count. */
static size_t alloc_all(paddr_t *frames, size_t max)
{
    size_t n = 0;
    paddr_t frame;
    while ((frame = pmm_alloc(FRAME_USER)) != PMM_NO_FRAME) {
        if (!CHECK(n < max, "more than %zu frames handed out", max))
            break;
        frames[n++] = frame;
    }
    return n;
}

static paddr_t all_frames[SHIM_PHYS_SIZE / PAGE_SIZE];

/* True if needle occurs in s. */
static bool contains(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s != '\0'; s++) {
        if (strncmp(s, needle, n) == 0)
            return true;
    }
    return false;
}

/* ---- the pool pmm_init builds ---- */

TEST(pmm_init_counts_exact)
{
    standard_pool();
    struct pmm_stats s = pmm_stats();
    CHECK_EQ(s.free, BOOT_FREE); /* 1691 */
    CHECK_EQ(s.used[FRAME_KERNEL], 0);
    CHECK_EQ(s.used[FRAME_PAGE_TABLE], 0);
    CHECK_EQ(s.used[FRAME_USER], 0);
    CHECK_EQ(s.total, BOOT_FREE);
    CHECK_EQ(pmm_pool.page_count, SHIM_PHYS_SIZE / PAGE_SIZE);
    CHECK_EQ(pmm_check(), BOOT_FREE);
}

TEST(pmm_init_boot_stats_match_stats)
{
    standard_pool();
    struct pmm_stats now = pmm_stats(), boot = pmm_stats_at_boot();
    CHECK(memcmp(&now, &boot, sizeof now) == 0, "stats at boot differ from stats after pmm_init");
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    CHECK_EQ(pmm_stats_at_boot().free, BOOT_FREE); /* the snapshot does not move */
    CHECK_EQ(pmm_stats().free, BOOT_FREE - 1);
    pmm_free(frame);
}

TEST(pmm_init_places_page_array_in_lowest_room)
{
    standard_pool();
    /* below 0x140000 there is only the first MiB and the kernel image */
    CHECK(pmm_pool.pages == phys_to_virt(ARRAY_START), "page array at 0x%lx, expected 0x%llx",
          virt_to_phys(pmm_pool.pages), ARRAY_START);
}

TEST(pmm_init_marks_page_array_reserved)
{
    standard_pool();
    for (pfn_t pfn = paddr_to_pfn(ARRAY_START); pfn < paddr_to_pfn(ARRAY_START) + ARRAY_FRAMES;
         pfn++) {
        const struct page *p = &pmm_pool.pages[pfn];
        CHECK(p->state == PAGE_RESERVED && p->refcount == 0,
              "page-array frame 0x%lx: state %d refcount %u", pfn_to_paddr(pfn), p->state,
              p->refcount);
    }
}

TEST(pmm_init_marks_excluded_frames_reserved)
{
    standard_pool();
    static const paddr_t reserved[] = {
        0x0,      0x9f000,  0xff000, /* first MiB */
        0x100000, 0x13f000,          /* kernel image */
        0x160000,                    /* boot information */
        0x200000, 0x203000,          /* module, including its partial last frame */
    };
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        CHECK(pmm_page(reserved[i])->state == PAGE_RESERVED, "frame 0x%lx in state %d", reserved[i],
              pmm_page(reserved[i])->state);
    CHECK_EQ(pmm_page(0x161000)->state, PAGE_FREE);
    CHECK_EQ(pmm_page(0x204000)->state, PAGE_FREE);
}

TEST(pmm_page_beyond_array_is_null)
{
    standard_pool();
    CHECK(pmm_page(SHIM_PHYS_SIZE - PAGE_SIZE) == &pmm_pool.pages[SHIM_PHYS_SIZE / PAGE_SIZE - 1],
          "pmm_page of the last frame is not its record");
    CHECK(pmm_page(SHIM_PHYS_SIZE) == NULL, "pmm_page beyond the array is not NULL");
}

/* ---- allocating ---- */

TEST(pmm_alloc_never_hands_out_excluded_frame)
{
    standard_pool();
    size_t n = alloc_all(all_frames, sizeof all_frames / sizeof all_frames[0]);
    CHECK_EQ(n, BOOT_FREE);
    for (size_t i = 0; i < n; i++)
        CHECK(!standard_excluded(all_frames[i]), "frame 0x%lx is kept out but was handed out",
              all_frames[i]);
}

TEST(pmm_alloc_lowest_address_first)
{
    standard_pool();
    size_t n = alloc_all(all_frames, sizeof all_frames / sizeof all_frames[0]);
    CHECK_EQ(all_frames[0], FIRST_FREE);
    CHECK_EQ(all_frames[n - 1], SHIM_PHYS_SIZE - PAGE_SIZE);
    for (size_t i = 1; i < n; i++) {
        if (!CHECK(all_frames[i] > all_frames[i - 1], "allocation %zu: 0x%lx after 0x%lx", i,
                   all_frames[i], all_frames[i - 1]))
            break;
    }
    /* right after the module's last (partial) frame comes the next frame */
    size_t after_module = (MODULE_START - FIRST_FREE) / PAGE_SIZE;
    CHECK_EQ(all_frames[after_module], align_up(MODULE_END, PAGE_SIZE));
}

TEST(pmm_alloc_exhausted_returns_no_frame)
{
    standard_pool();
    alloc_all(all_frames, sizeof all_frames / sizeof all_frames[0]);
    CHECK_EQ(pmm_stats().free, 0);
    CHECK_EQ(pmm_alloc(FRAME_KERNEL), PMM_NO_FRAME);
    CHECK_EQ(pmm_alloc(FRAME_KERNEL), PMM_NO_FRAME); /* and stays so */
    CHECK_EQ(pmm_stats().used[FRAME_KERNEL], 0);     /* failures count nothing */
}

TEST(pmm_free_all_restores_free_count)
{
    standard_pool();
    size_t n = alloc_all(all_frames, sizeof all_frames / sizeof all_frames[0]);
    CHECK_EQ(pmm_stats().used[FRAME_USER], BOOT_FREE);
    for (size_t i = 0; i < n; i++)
        pmm_free(all_frames[i]);
    struct pmm_stats s = pmm_stats();
    CHECK_EQ(s.free, BOOT_FREE);
    CHECK_EQ(s.used[FRAME_USER], 0);
    CHECK_EQ(s.used[FRAME_KERNEL], 0);
    CHECK_EQ(pmm_check(), BOOT_FREE);
}

TEST(pmm_alloc_zeroes_a_dirty_frame)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    uint8_t *bytes = phys_to_virt(frame);
    memset(bytes, 0xab, PAGE_SIZE);
    pmm_free(frame);
    /* the free list is a stack: the same frame comes back */
    CHECK_EQ(pmm_alloc(FRAME_KERNEL), frame);
    size_t nonzero = 0;
    for (size_t i = 0; i < PAGE_SIZE; i++)
        nonzero += bytes[i] != 0;
    CHECK_EQ(nonzero, 0);
}

TEST(pmm_alloc_zeroes_every_frame)
{
    standard_pool(); /* pool_from_map filled the fake RAM with 0x5a */
    size_t n = alloc_all(all_frames, sizeof all_frames / sizeof all_frames[0]);
    for (size_t i = 0; i < n; i++) {
        const uint64_t *words = phys_to_virt(all_frames[i]);
        size_t w = 0;
        while (w < PAGE_SIZE / 8 && words[w] == 0)
            w++;
        if (w < PAGE_SIZE / 8) {
            CHECK(false, "frame 0x%lx: word %zu is 0x%lx", all_frames[i], w, words[w]);
            break;
        }
    }
}

TEST(pmm_alloc_sets_state_use_and_one_reference)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_PAGE_TABLE);
    const struct page *p = pmm_page(frame);
    CHECK_EQ(p->state, PAGE_IN_USE);
    CHECK_EQ(p->use, FRAME_PAGE_TABLE);
    CHECK_EQ(p->refcount, 1);
}

TEST(pmm_alloc_and_free_count_per_use)
{
    standard_pool();
    paddr_t user = pmm_alloc(FRAME_USER), table = pmm_alloc(FRAME_PAGE_TABLE);
    paddr_t kernel = pmm_alloc(FRAME_KERNEL);
    struct pmm_stats s = pmm_stats();
    CHECK_EQ(s.used[FRAME_USER], 1);
    CHECK_EQ(s.used[FRAME_PAGE_TABLE], 1);
    CHECK_EQ(s.used[FRAME_KERNEL], 1);
    CHECK_EQ(s.free, BOOT_FREE - 3);
    pmm_free(table);
    s = pmm_stats();
    CHECK_EQ(s.used[FRAME_PAGE_TABLE], 0);
    CHECK_EQ(s.used[FRAME_USER], 1);
    pmm_free(user);
    pmm_free(kernel);
    s = pmm_stats();
    CHECK_EQ(s.used[FRAME_USER], 0);
    CHECK_EQ(s.used[FRAME_KERNEL], 0);
    CHECK_EQ(s.free, BOOT_FREE);
}

TEST(pmm_alloc_bad_use_panics)
{
    standard_pool();
    CHECK(EXPECT_PANIC(pmm_alloc(FRAME_USE_COUNT)), "pmm_alloc(FRAME_USE_COUNT) did not panic");
    CHECK_EQ(pmm_stats().free, BOOT_FREE);
}

/* ---- reference counts ---- */

TEST(pmm_ref_adds_a_reference)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_USER);
    pmm_ref(frame);
    CHECK_EQ(pmm_page(frame)->refcount, 2);
    CHECK_EQ(pmm_stats().used[FRAME_USER], 1); /* still one frame */
}

TEST(pmm_unref_keeps_frame_while_references_remain)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_USER);
    pmm_ref(frame);
    CHECK_EQ(pmm_unref(frame), 1);
    CHECK_EQ(pmm_page(frame)->state, PAGE_IN_USE);
    CHECK_EQ(pmm_stats().free, BOOT_FREE - 1);
}

TEST(pmm_unref_of_last_reference_frees)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_USER);
    pmm_ref(frame);
    pmm_unref(frame);
    CHECK_EQ(pmm_unref(frame), 0);
    CHECK_EQ(pmm_page(frame)->state, PAGE_FREE);
    CHECK_EQ(pmm_page(frame)->refcount, 0);
    CHECK_EQ(pmm_stats().free, BOOT_FREE);
    CHECK_EQ(pmm_stats().used[FRAME_USER], 0);
    CHECK_EQ(pmm_check(), BOOT_FREE);
}

TEST(pmm_free_with_two_references_panics)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_USER);
    pmm_ref(frame);
    CHECK(EXPECT_PANIC(pmm_free(frame)), "pmm_free of a shared frame did not panic");
    CHECK(contains(shim_panic_message, "frame 0x161000 still has 2 references"), "message: %s",
          shim_panic_message);
    CHECK_EQ(pmm_page(frame)->state, PAGE_IN_USE);
}

/* ---- misuse: each panics naming the frame ---- */

/* True if pmm_free(frame) panics. (A function of its own: EXPECT_PANIC's setjmp
 * must not sit in a loop whose variables it could clobber.) */
static bool free_panics(paddr_t frame)
{
    return EXPECT_PANIC(pmm_free(frame));
}

TEST(pmm_double_free_panics)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    pmm_free(frame);
    CHECK(EXPECT_PANIC(pmm_free(frame)), "a double free did not panic");
    CHECK(contains(shim_panic_message, "pmm_free: frame 0x161000 is already free"), "message: %s",
          shim_panic_message);
    CHECK(contains(shim_panic_message, "(caller "), "message: %s", shim_panic_message);
    CHECK_EQ(pmm_check(), BOOT_FREE); /* the free list is intact */
}

TEST(pmm_free_of_never_allocated_free_frame_panics)
{
    standard_pool();
    CHECK(EXPECT_PANIC(pmm_free(0x300000)), "freeing a free frame did not panic");
    CHECK(contains(shim_panic_message, "frame 0x300000 is already free"), "message: %s",
          shim_panic_message);
}

TEST(pmm_free_of_reserved_frame_panics)
{
    standard_pool();
    static const struct {
        paddr_t frame;
        const char *expected;
    } cases[] = {
        { 0x1000, "frame 0x1000 is reserved" },     /* first MiB */
        { 0xa0000, "frame 0xa0000 is reserved" },   /* reserved in the map */
        { 0x120000, "frame 0x120000 is reserved" }, /* kernel image */
        { 0x160000, "frame 0x160000 is reserved" }, /* boot information */
        { 0x203000, "frame 0x203000 is reserved" }, /* module's partial last frame */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK(free_panics(cases[i].frame), "pmm_free(0x%lx) did not panic", cases[i].frame);
        CHECK(contains(shim_panic_message, cases[i].expected), "message: %s", shim_panic_message);
    }
    CHECK_EQ(pmm_check(), BOOT_FREE);
}

/* The page array is kept out of the pool like the kernel image: freeing one of its
 * frames would let pmm_alloc hand out (and zero) the allocator's own records. */
TEST(pmm_free_of_page_array_frame_panics)
{
    standard_pool();
    CHECK(EXPECT_PANIC(pmm_free(ARRAY_START)), "pmm_free of a page-array frame did not panic");
    CHECK(contains(shim_panic_message, "0x140000"), "message: %s", shim_panic_message);
    CHECK_EQ(pmm_stats().free, BOOT_FREE);
    CHECK_EQ(pmm_page(ARRAY_START)->state, PAGE_RESERVED);
}

TEST(pmm_free_beyond_page_array_panics)
{
    standard_pool();
    CHECK(EXPECT_PANIC(pmm_free(SHIM_PHYS_SIZE)), "pmm_free beyond the array did not panic");
    CHECK(contains(shim_panic_message, "0x800000 is not a frame of the pool"), "message: %s",
          shim_panic_message);
}

TEST(pmm_free_unaligned_address_panics)
{
    standard_pool();
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    CHECK(EXPECT_PANIC(pmm_free(frame + 8)), "pmm_free of an unaligned address did not panic");
    CHECK(contains(shim_panic_message, "0x161008 is not a frame of the pool"), "message: %s",
          shim_panic_message);
    CHECK_EQ(pmm_page(frame)->state, PAGE_IN_USE);
}

TEST(pmm_ref_of_free_frame_panics)
{
    standard_pool();
    CHECK(EXPECT_PANIC(pmm_ref(0x300000)), "pmm_ref of a free frame did not panic");
    CHECK(contains(shim_panic_message, "pmm_ref: frame 0x300000 is already free"), "message: %s",
          shim_panic_message);
}

TEST(pmm_unref_of_free_frame_panics)
{
    standard_pool();
    CHECK(EXPECT_PANIC(pmm_unref(0x300000)), "pmm_unref of a free frame did not panic");
    CHECK(contains(shim_panic_message, "pmm_unref: frame 0x300000 is already free"), "message: %s",
          shim_panic_message);
    CHECK_EQ(pmm_check(), BOOT_FREE);
}

TEST(pmm_check_detects_wrong_free_counter)
{
    standard_pool();
    pmm_pool.stats.free++;
    CHECK(EXPECT_PANIC(pmm_check()), "pmm_check missed a wrong free counter");
    CHECK(contains(shim_panic_message, "pmm_check"), "message: %s", shim_panic_message);
    pmm_pool.stats.free--;
}

TEST(pmm_check_detects_wrong_use_counter)
{
    standard_pool();
    pmm_pool.stats.used[FRAME_PAGE_TABLE]++;
    CHECK(EXPECT_PANIC(pmm_check()), "pmm_check missed a wrong use counter");
    CHECK(contains(shim_panic_message, "use 1: 0 frames, counter 1"), "message: %s",
          shim_panic_message);
    pmm_pool.stats.used[FRAME_PAGE_TABLE]--;
}

/* ---- unusual memory maps ---- */

/*
 * A reserved region inside the usable one, with unaligned edges:
 *
 *   usable   [0x100000 ............................................ 0x800000)
 *   reserved           [0x300800, 0x302800)      <- touches frames 0x300..0x302
 */
TEST(pmm_init_reserved_region_overlapping_usable_wins)
{
    map_begin();
    map_add(0x100000, SHIM_PHYS_SIZE, MB2_MEMORY_AVAILABLE);
    map_add(0x300800, 0x302800, MB2_MEMORY_RESERVED);
    pool_from_map(KERNEL_START, KERNEL_END);
    for (paddr_t f = 0x300000; f <= 0x302000; f += PAGE_SIZE)
        CHECK_EQ(pmm_page(f)->state, PAGE_RESERVED);
    CHECK_EQ(pmm_page(0x2ff000)->state, PAGE_FREE);
    CHECK_EQ(pmm_page(0x303000)->state, PAGE_FREE);
    /* 1792 frames - 64 kernel - 16 page array - 3 reserved (mbi_size 0: nothing) */
    CHECK_EQ(pmm_stats().free, POOL_FRAMES - KERNEL_FRAMES - ARRAY_FRAMES - 3);
    size_t n = alloc_all(all_frames, sizeof all_frames / sizeof all_frames[0]);
    for (size_t i = 0; i < n; i++)
        CHECK(!in_range(all_frames[i], 0x300000, 0x303000), "reserved frame 0x%lx handed out",
              all_frames[i]);
}

/* The same, listed in the other order: the result must not depend on it. */
TEST(pmm_init_reserved_region_listed_first_still_wins)
{
    map_begin();
    map_add(0x300800, 0x302800, MB2_MEMORY_RESERVED);
    map_add(0x100000, SHIM_PHYS_SIZE, MB2_MEMORY_AVAILABLE);
    pool_from_map(KERNEL_START, KERNEL_END);
    for (paddr_t f = 0x300000; f <= 0x302000; f += PAGE_SIZE)
        CHECK_EQ(pmm_page(f)->state, PAGE_RESERVED);
    CHECK_EQ(pmm_stats().free, POOL_FRAMES - KERNEL_FRAMES - ARRAY_FRAMES - 3);
}

/*
 * The page array is written over whatever lies where pmm_init puts it, so it must
 * not land on memory the map reserves (firmware tables inside a usable range):
 *
 *   usable   [0x100000 ............................................ 0x800000)
 *   kernel   [0x100000, 0x140000)
 *   reserved                     [0x140000, 0x141000)   <- the lowest room otherwise
 */
TEST(pmm_init_page_array_avoids_reserved_region)
{
    map_begin();
    map_add(0x100000, SHIM_PHYS_SIZE, MB2_MEMORY_AVAILABLE);
    map_add(0x140000, 0x141000, MB2_MEMORY_RESERVED);
    pool_from_map(KERNEL_START, KERNEL_END);
    paddr_t array = virt_to_phys(pmm_pool.pages);
    CHECK(!in_range(0x140000, array, array + ARRAY_FRAMES * PAGE_SIZE),
          "page array [0x%lx, 0x%lx) covers the reserved frame 0x140000", array,
          array + ARRAY_FRAMES * PAGE_SIZE);
    CHECK_EQ(pmm_page(0x140000)->state, PAGE_RESERVED);
}

/*
 * Usable regions whose edges are not page-aligned: the partial frames at either
 * end are not RAM we may use in full, so they stay out.
 *
 *   usable [0x100800, 0x400800)   frames 0x101..0x3ff whole; 0x100 and 0x400 partial
 *   usable [0x500000, 0x7ff800)   frames 0x500..0x7fe whole; 0x7ff partial
 */
TEST(pmm_init_partial_frames_at_region_edges_unused)
{
    map_begin();
    map_add(0x100800, 0x400800, MB2_MEMORY_AVAILABLE);
    map_add(0x500000, 0x7ff800, MB2_MEMORY_AVAILABLE);
    pool_from_map(0x180000, 0x1c0000); /* kernel clear of the edges */
    /* records for frames 0 .. 0x7fe: 0x7ff of 64 bytes, 32 frames, at 0x101000 */
    CHECK_EQ(pmm_pool.page_count, 0x7ff);
    CHECK_EQ(virt_to_phys(pmm_pool.pages), 0x101000);
    CHECK_EQ(pmm_page(0x100000)->state, PAGE_RESERVED);
    CHECK_EQ(pmm_page(0x400000)->state, PAGE_RESERVED);
    CHECK(pmm_page(0x7ff000) == NULL, "the partial last frame has a record");
    /* (0x3ff - 0x101 + 1) + (0x7fe - 0x500 + 1) = 767 + 767, minus kernel and array */
    CHECK_EQ(pmm_stats().free, 767 + 767 - 64 - 32);
    size_t n = alloc_all(all_frames, sizeof all_frames / sizeof all_frames[0]);
    for (size_t i = 0; i < n; i++)
        CHECK(all_frames[i] != 0x100000 && all_frames[i] != 0x400000 && all_frames[i] != 0x7ff000 &&
                  !in_range(all_frames[i], 0x400000, 0x500000),
              "frame 0x%lx handed out", all_frames[i]);
}

/* Usable memory above the first MiB too small for the 128 KiB page array:
 * 48 KiB at 1 MiB, and 64 KiB at the top whose first frame holds the boot info. */
TEST(pmm_init_without_room_for_page_array_panics)
{
    map_begin();
    map_add(0x100000, 0x10c000, MB2_MEMORY_AVAILABLE);
    map_add(0x7f0000, SHIM_PHYS_SIZE, MB2_MEMORY_AVAILABLE);
    info.mbi_phys = 0x7f0000;
    info.mbi_size = MBI_SIZE;
    memset(&pmm_pool, 0, sizeof pmm_pool);
    CHECK(EXPECT_PANIC(pmm_init(&info, 0x200000, 0x240000)),
          "pmm_init found room that is not there");
    CHECK(contains(shim_panic_message, "no room for a 131072-byte page array"), "message: %s",
          shim_panic_message);
}

/* Room for the page array only above 4 GiB, where the boot page tables do not
 * reach: usable [1 MiB, 8 MiB) and [4 GiB, 4 GiB + 64 MiB). The array needs a
 * record per frame up to 4 GiB + 64 MiB: 0x104000 * 64 bytes = 0x4100000 bytes,
 * more than the low region holds. pmm_init must panic before touching memory. */
TEST(pmm_init_page_array_room_only_above_4gib_panics)
{
    map_begin();
    map_add(0x100000, SHIM_PHYS_SIZE, MB2_MEMORY_AVAILABLE);
    map_add(0x100000000ull, 0x104000000ull, MB2_MEMORY_AVAILABLE);
    memset(&pmm_pool, 0, sizeof pmm_pool);
    CHECK(EXPECT_PANIC(pmm_init(&info, KERNEL_START, KERNEL_END)),
          "pmm_init put the page array above 4 GiB");
    CHECK(contains(shim_panic_message, "no room for a 68157440-byte page array below 4 GiB"),
          "message: %s", shim_panic_message);
}

/* The page array goes in the lowest room, even when a higher region is listed
 * first. */
TEST(pmm_init_page_array_lowest_room_regardless_of_order)
{
    map_begin();
    map_add(0x400000, SHIM_PHYS_SIZE, MB2_MEMORY_AVAILABLE);
    map_add(0x100000, 0x400000, MB2_MEMORY_AVAILABLE);
    pool_from_map(KERNEL_START, KERNEL_END);
    CHECK_EQ(virt_to_phys(pmm_pool.pages), ARRAY_START);
    CHECK_EQ(pmm_stats().free, POOL_FRAMES - KERNEL_FRAMES - ARRAY_FRAMES);
}
