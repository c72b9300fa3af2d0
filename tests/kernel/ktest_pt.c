/*
 * ktest_pt.c — mm/pt.c: map, translate and unmap round trips across all four
 * levels (with empty tables given back), the error cases, and protection changes
 * that take effect at once (a write through a page made read-only faults, and is
 * reported as a write to a read-only page).
 */
#include "kernel/exception_report.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "lib/string.h"
#include "mm/fault.h"
#include "mm/kernel_pt.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "lib/xorshift.h"

/* ---- helpers ---- */

static uint64_t random_state = 0x9e3779b97f4a7c15ul;

static uint64_t next_random(void) /* deterministic across runs */
{
    return xorshift64(&random_state);
}

static vaddr_t make_va(unsigned pml4, unsigned pdpt, unsigned pd, unsigned pt)
{
    vaddr_t va =
        ((vaddr_t)pml4 << 39) | ((vaddr_t)pdpt << 30) | ((vaddr_t)pd << 21) | ((vaddr_t)pt << 12);
    return pml4 >= 256 ? va | 0xffff000000000000ul : va; /* sign-extend bit 47 */
}

/* Write value at va; false if the write faulted. A fault is reported (one line on
 * the console, naming its cause) and survived through the exception table. */
#define NO_FAULT (~0ul)

/* Write value at va; returns the page fault's error code if the write faulted
 * (the fix-up puts it in RAX: EXTABLE_ERROR_IN_RAX), NO_FAULT if it did not. */
static uint64_t probe_write_error(vaddr_t va, uint64_t value)
{
    uint64_t error = NO_FAULT;
    __asm__ volatile("1: movq %[value], (%[va])\n"
                     "2:\n"
                     ".pushsection .extable, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 2b, 2\n" /* EXTABLE_REPORT | EXTABLE_ERROR_IN_RAX */
                     ".popsection\n"
                     : "+a"(error)
                     : [va] "r"(va), [value] "r"(value)
                     : "memory");
    return error;
}

/* True if writing value at va did not fault. */
static bool probe_write(vaddr_t va, uint64_t value)
{
    return probe_write_error(va, value) == NO_FAULT;
}

static uint64_t page_table_frames(void)
{
    return pmm_stats().used[FRAME_PAGE_TABLE];
}

/* ---- the address split ---- */

KTEST(pt_index_splits_address_like_the_manual)
{
    /* the worked example of mm/pt.c: 0x603123 = PML4 0, PDPT 0, PD 3, PT 3, +0x123 */
    vaddr_t va = 0x603123;
    KEXPECT_EQ(pt_index(va, PT_LEVEL_PML4), 0);
    KEXPECT_EQ(pt_index(va, PT_LEVEL_PDPT), 0);
    KEXPECT_EQ(pt_index(va, PT_LEVEL_PD), 3);
    KEXPECT_EQ(pt_index(va, PT_LEVEL_PT), 3);
    /* the kernel image: PML4 511, PDPT 510 */
    KEXPECT_EQ(pt_index(0xffffffff80100000ul, PT_LEVEL_PML4), 511);
    KEXPECT_EQ(pt_index(0xffffffff80100000ul, PT_LEVEL_PDPT), 510);
    KEXPECT_EQ(pt_index(0xffffffff80100000ul, PT_LEVEL_PD), 0);
    KEXPECT_EQ(pt_index(0xffffffff80100000ul, PT_LEVEL_PT), 256);
}

/* ---- round trips in a private address space ---- */

#define ROUND_TRIP_PAGES 48

static vaddr_t trip_va[ROUND_TRIP_PAGES];
static paddr_t trip_frame[ROUND_TRIP_PAGES];

/* Tables a set of addresses needs: the root, plus one per distinct PML4 entry
 * (a PDPT), per distinct PML4+PDPT pair (a PD), per distinct PML4+PDPT+PD (a PT). */
static uint64_t tables_needed(size_t n)
{
    uint64_t tables = 1;
    for (enum pt_level level = PT_LEVEL_PML4; level > PT_LEVEL_PT; level--) {
        for (size_t i = 0; i < n; i++) {
            bool first = true;
            vaddr_t prefix = trip_va[i] >> (PAGE_SHIFT + 9 * (level - 1));
            for (size_t j = 0; j < i; j++)
                first &= (trip_va[j] >> (PAGE_SHIFT + 9 * (level - 1))) != prefix;
            tables += first;
        }
    }
    return tables;
}

/* Random user-half pages, in clusters so that some share their PT, PD or PDPT. */
static void choose_addresses(void)
{
    for (size_t i = 0; i < ROUND_TRIP_PAGES; i++) {
        bool fresh = true;
        do {
            if (i > 0 && next_random() % 2) { /* a neighbour of the previous page */
                trip_va[i] = trip_va[i - 1] ^
                             (((next_random() % 3) + 1) << (PAGE_SHIFT + 9 * (next_random() % 3)));
                trip_va[i] &= 0x00007ffffffff000ul;
            } else {
                trip_va[i] = make_va(1 + next_random() % 255, next_random() % 512,
                                     next_random() % 512, next_random() % 512);
            }
            fresh = trip_va[i] >= 0x400000;
            for (size_t j = 0; j < i; j++)
                fresh &= trip_va[j] != trip_va[i];
        } while (!fresh);
    }
}

KTEST(pt_round_trips_across_all_levels_free_their_tables)
{
    uint64_t tables_before = page_table_frames(), free_before = pmm_stats().free;
    paddr_t root = pt_create_root();
    if (!KEXPECT(root != PMM_NO_FRAME, "no frame for a root"))
        return;
    choose_addresses();

    for (size_t i = 0; i < ROUND_TRIP_PAGES; i++) {
        trip_frame[i] = pmm_alloc(FRAME_USER);
        KEXPECT_EQ(pt_map(root, trip_va[i], trip_frame[i], PTE_WRITABLE | PTE_USER), 0);
    }
    KEXPECT_EQ(page_table_frames() - tables_before, tables_needed(ROUND_TRIP_PAGES));

    for (size_t i = 0; i < ROUND_TRIP_PAGES; i++) {
        paddr_t pa = 0;
        uint64_t offset = next_random() % PAGE_SIZE;
        KEXPECT(pt_translate(root, trip_va[i] + offset, &pa) && pa == trip_frame[i] + offset,
                "0x%lx translates to 0x%lx, expected 0x%lx", trip_va[i] + offset, pa,
                trip_frame[i] + offset);
    }

    /* unmap in another order than mapped: every table must empty exactly once */
    for (size_t k = 0; k < ROUND_TRIP_PAGES; k++) {
        size_t i = (k * 7) % ROUND_TRIP_PAGES; /* 7 is coprime with 48 */
        pte_t old = pt_unmap(root, trip_va[i]);
        KEXPECT_EQ(pte_frame(old), trip_frame[i]);
        paddr_t pa;
        KEXPECT(!pt_translate(root, trip_va[i], &pa), "0x%lx still mapped", trip_va[i]);
        pmm_free(trip_frame[i]);
    }
    KEXPECT_EQ(page_table_frames() - tables_before, 1); /* only the root is left */
    KEXPECT_EQ(pmm_page(root)->table_used, 0);
    pmm_free(root);
    KEXPECT_EQ(pmm_stats().free, free_before);
}

KTEST(pt_map_twice_is_eexist_and_unmap_of_nothing_is_harmless)
{
    paddr_t root = pt_create_root(), frame = pmm_alloc(FRAME_USER);
    vaddr_t va = make_va(3, 4, 5, 6);
    KEXPECT_EQ(pt_map(root, va, frame, PTE_USER), 0);
    KEXPECT_EQ(pt_map(root, va, frame, PTE_USER), (uint64_t)-EEXIST);
    KEXPECT_EQ(pt_unmap(root, va + PAGE_SIZE), 0);      /* same PT, empty slot */
    KEXPECT_EQ(pt_unmap(root, make_va(9, 9, 9, 9)), 0); /* no tables at all */
    KEXPECT(!pt_protect(root, va + PAGE_SIZE, 0), "protect of an unmapped page succeeded");
    KEXPECT_EQ(pte_frame(pt_unmap(root, va)), frame);
    KEXPECT_EQ(pmm_page(root)->table_used, 0);
    pmm_free(frame);
    pmm_free(root);
}

KTEST(pt_translate_follows_large_pages_of_the_direct_map)
{
    paddr_t pa = 0;
    KEXPECT(pt_translate(kernel_root(), DIRECT_MAP_BASE + 0x123456, &pa), "direct map missing");
    KEXPECT_EQ(pa, 0x123456);
    struct pt_walk walk;
    KEXPECT(pt_walk(kernel_root(), DIRECT_MAP_BASE + 0x123456, &walk), "walk failed");
    KEXPECT_EQ(walk.level, PT_LEVEL_PD); /* a 2 MiB page: the walk ends one level early */
    KEXPECT(pte_huge(*walk.entry), "entry 0x%lx has no PS bit", *walk.entry);
}

/* ---- protection changes take effect ---- */

#define TEST_VA 0x0000100000000000ul /* lower half, unused by the kernel */

KTEST(pt_protection_changes_take_effect_at_once)
{
    paddr_t frame = pmm_alloc(FRAME_KERNEL);
    paddr_t root = kernel_root(); /* the address space the CPU is using */
    uint64_t faults = trap_count(VEC_PAGE_FAULT);
    KEXPECT_EQ(pt_map(root, TEST_VA, frame, PTE_WRITABLE | PTE_NX), 0);

    KEXPECT(probe_write(TEST_VA, 0x1111), "write to a writable page faulted");
    KEXPECT_EQ(*(uint64_t *)phys_to_virt(frame), 0x1111);

    /* read-only now: the stale writable TLB entry must be gone */
    KEXPECT(pt_protect(root, TEST_VA, PTE_NX), "protect failed");
    uint64_t error = probe_write_error(TEST_VA, 0x2222);
    KEXPECT(error != NO_FAULT, "write to a read-only page succeeded");
    KEXPECT_EQ(trap_count(VEC_PAGE_FAULT) - faults, 1);
    KEXPECT_EQ(*(uint64_t *)phys_to_virt(frame), 0x1111);

    /* and the fault was understood as what it was */
    struct fault_info fault = page_fault_decode(error, read_cr2());
    char why[120];
    KEXPECT_EQ(fault.address, TEST_VA);
    KEXPECT(fault.present && fault.access == FAULT_WRITE, "error code 0x%lx", error);
    mm_describe_fault(&fault, why, sizeof why);
    KEXPECT(strncmp(why, "write to a read-only page", 25) == 0, "described as \"%s\"", why);

    /* writable again */
    KEXPECT(pt_protect(root, TEST_VA, PTE_WRITABLE | PTE_NX), "protect failed");
    KEXPECT(probe_write(TEST_VA, 0x3333), "write after making writable faulted");
    KEXPECT_EQ(*(uint64_t *)phys_to_virt(frame), 0x3333);

    /* unmapped: the next access faults as not present */
    KEXPECT_EQ(pte_frame(pt_unmap(root, TEST_VA)), frame);
    error = probe_write_error(TEST_VA, 0x4444);
    KEXPECT(error != NO_FAULT, "write to an unmapped page succeeded");
    KEXPECT(!page_fault_decode(error, TEST_VA).present,
            "fault on an unmapped page says present (0x%lx)", error);
    pmm_free(frame);
}

KTEST(pt_flags_string_names_each_bit)
{
    char buf[40];
    pte_flags_string(PTE_PRESENT | PTE_WRITABLE | PTE_USER | PTE_NX | PTE_ACCESSED | PTE_DIRTY, buf,
                     sizeof buf);
    KEXPECT(strcmp(buf, "P W U NX A D") == 0, "got \"%s\"", buf);
    pte_flags_string(PTE_PRESENT | PTE_GLOBAL | PTE_HUGE, buf, sizeof buf);
    KEXPECT(strcmp(buf, "P G PS") == 0, "got \"%s\"", buf);
    pte_flags_string(PTE_PRESENT | PTE_USER | PTE_WS_USED, buf, sizeof buf);
    KEXPECT(strcmp(buf, "P U ws_used") == 0, "got \"%s\"", buf);
}
