/*
 * ktest_fault.c — the page-fault handler's decisions, on a private address space:
 * a read of untouched memory maps the zero page read-only, a write gets a fresh
 * zeroed frame (also after a read), the stack grows within its limit, and each
 * refusal comes with its reason; every frame comes back when the space is freed.
 */
#include "kernel/ktest.h"
#include "lib/string.h"
#include "mm/as.h"
#include "mm/brk.h"
#include "mm/fault.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "mm/vma.h"

#define REGION_START 0x10000000ul
#define REGION_END   0x10010000ul /* 16 pages */

/* Free frames, counting the empty slabs kmalloc keeps for reuse as free (the
 * first test to use a size class leaves one behind: that is not a leak). */
static uint64_t free_frames(void)
{
    return pmm_stats().free + kheap_stats().empty_slabs;
}

static struct fault_outcome last_outcome; /* of the last touch, for its reason */

static enum fault_result touch(struct addr_space *as, vaddr_t va, enum fault_access access,
                               struct vm_counters *c)
{
    struct fault_info f = { .address = va, .access = access, .user_mode = true };
    last_outcome = mm_handle_fault(as, &f, c);
    return last_outcome.result;
}

static pte_t entry_of(struct addr_space *as, vaddr_t va)
{
    pte_t *e = pt_lookup(as->root, va);
    return e != NULL ? *e : 0;
}

KTEST(fault_read_maps_zero_page_then_write_replaces_it)
{
    uint64_t free_before = free_frames();
    struct addr_space *as = as_create();
    struct vm_counters c = { 0 };
    vma_create(as, REGION_START, REGION_END, VMA_READ | VMA_WRITE, 0);

    KEXPECT_EQ(touch(as, REGION_START + 0x10, FAULT_READ, &c), FAULT_RESOLVED);
    pte_t e = entry_of(as, REGION_START);
    KEXPECT_EQ(pte_frame(e), zero_page_frame());
    KEXPECT(!pte_writable(e), "the zero page is mapped writable (entry 0x%lx)", e);
    KEXPECT_EQ(c.zero_page_maps, 1);
    KEXPECT_EQ(as->rss, 0); /* the shared zero page is not resident memory of ours */

    KEXPECT_EQ(touch(as, REGION_START + 0x10, FAULT_WRITE, &c), FAULT_RESOLVED);
    e = entry_of(as, REGION_START);
    KEXPECT(pte_frame(e) != zero_page_frame() && pte_writable(e), "entry 0x%lx after the write", e);
    KEXPECT_EQ(c.zero_fills, 1);
    KEXPECT_EQ(c.minor_faults, 2);
    KEXPECT_EQ(as->rss, 1);

    KEXPECT_EQ(touch(as, REGION_START + 0x2000, FAULT_WRITE, &c), FAULT_RESOLVED);
    uint8_t *bytes = phys_to_virt(pte_frame(entry_of(as, REGION_START + 0x2000)));
    uint8_t any = 0;
    for (int i = 0; i < 4096; i++)
        any |= bytes[i];
    KEXPECT_EQ(any, 0); /* a fresh frame is all zeros */

    as_put(as);
    KEXPECT_EQ(free_frames(), free_before);
}

KTEST(fault_refusals_say_why)
{
    uint64_t free_before = free_frames();
    struct addr_space *as = as_create();
    vma_create(as, REGION_START, REGION_END, VMA_READ, 0);

    KEXPECT_EQ(touch(as, REGION_START, FAULT_WRITE, NULL), FAULT_NOT_ALLOWED);
    KEXPECT(strcmp(last_outcome.reason, "write to read-only memory") == 0, "%s",
            last_outcome.reason);
    KEXPECT_EQ(touch(as, REGION_START, FAULT_EXECUTE, NULL), FAULT_NOT_ALLOWED);
    KEXPECT(strcmp(last_outcome.reason, "execute of no-execute memory") == 0, "%s",
            last_outcome.reason);
    KEXPECT_EQ(touch(as, REGION_END, FAULT_READ, NULL), FAULT_NO_REGION);
    KEXPECT(strcmp(last_outcome.reason, "address not mapped") == 0, "%s", last_outcome.reason);
    KEXPECT_EQ(touch(as, 0xffffffff80000000ul, FAULT_READ, NULL), FAULT_NOT_ALLOWED);
    KEXPECT(strcmp(last_outcome.reason, "user access to a kernel address") == 0, "%s",
            last_outcome.reason);
    as_put(as);
    KEXPECT_EQ(free_frames(), free_before);
}

KTEST(fault_stack_grows_down_to_its_limit)
{
    uint64_t free_before = free_frames();
    struct addr_space *as = as_create();
    struct vm_counters c = { 0 };
    struct vma *stack = vma_create(as, USER_STACK_TOP - 0x20000, USER_STACK_TOP,
                                   VMA_READ | VMA_WRITE, VMA_GROWSDOWN);

    vaddr_t deep = USER_STACK_TOP - 0x100000 - 8; /* 1 MiB down: within the limit */
    KEXPECT_EQ(touch(as, deep, FAULT_WRITE, &c), FAULT_RESOLVED);
    KEXPECT_EQ(stack->start, align_down(deep, PAGE_SIZE));
    KEXPECT_EQ(c.stack_growths, 1);

    vaddr_t too_deep = USER_STACK_TOP - USER_STACK_LIMIT - PAGE_SIZE;
    KEXPECT_EQ(touch(as, too_deep, FAULT_WRITE, &c), FAULT_NO_REGION);
    KEXPECT(strcmp(last_outcome.reason, "stack overflow: beyond the 8 MiB stack limit") == 0, "%s",
            last_outcome.reason);

    /* a region just below the stack: growing into its guard gap is refused */
    vma_create(as, stack->start - 0x300000, stack->start - 0x200000, VMA_READ, 0);
    vaddr_t into_gap = stack->start - 0x200000 + 0x1000;
    KEXPECT_EQ(touch(as, into_gap, FAULT_WRITE, &c), FAULT_NO_REGION);
    KEXPECT(strcmp(last_outcome.reason, "stack overflow into the guard gap") == 0, "%s",
            last_outcome.reason);
    as_put(as);
    KEXPECT_EQ(free_frames(), free_before);
}

KTEST(fault_brk_shrink_frees_pages_and_regrow_reads_zeros)
{
    uint64_t free_before = free_frames();
    struct addr_space *as = as_create();
    as->brk_start = as->brk = REGION_START;
    KEXPECT_EQ(as_brk(as, REGION_START + 0x3000), REGION_START + 0x3000);
    KEXPECT_EQ(touch(as, REGION_START + 0x2000, FAULT_WRITE, NULL), FAULT_RESOLVED);
    *(uint64_t *)phys_to_virt(pte_frame(entry_of(as, REGION_START + 0x2000))) = 42;
    KEXPECT_EQ(as->rss, 1);

    KEXPECT_EQ(as_brk(as, REGION_START + 0x1000), REGION_START + 0x1000);
    KEXPECT_EQ(as->rss, 0); /* the page beyond the new break is gone */
    KEXPECT_EQ(as_brk(as, REGION_START - 0x1000), REGION_START + 0x1000); /* below the start */

    KEXPECT_EQ(as_brk(as, REGION_START + 0x3000), REGION_START + 0x3000);
    KEXPECT_EQ(touch(as, REGION_START + 0x2000, FAULT_READ, NULL), FAULT_RESOLVED);
    KEXPECT_EQ(pte_frame(entry_of(as, REGION_START + 0x2000)), zero_page_frame());
    as_put(as);
    KEXPECT_EQ(free_frames(), free_before);
}

/* Take every free frame, chained through their first word, so a test can see
 * what the fault handler does when memory has run out. Returns the chain. */
static paddr_t take_all_frames(void)
{
    paddr_t chain = PMM_NO_FRAME;
    for (paddr_t f; (f = pmm_alloc(FRAME_KERNEL)) != PMM_NO_FRAME; chain = f)
        *(paddr_t *)phys_to_virt(f) = chain;
    return chain;
}

static void give_all_frames_back(paddr_t chain)
{
    while (chain != PMM_NO_FRAME) {
        paddr_t next = *(paddr_t *)phys_to_virt(chain);
        pmm_free(chain);
        chain = next;
    }
}

KTEST(fault_cow_without_memory_keeps_the_old_page)
{
    uint64_t free_before = free_frames();
    struct addr_space *as = as_create();
    vma_create(as, REGION_START, REGION_END, VMA_READ | VMA_WRITE, 0);
    KEXPECT_EQ(touch(as, REGION_START, FAULT_WRITE, NULL), FAULT_RESOLVED);
    paddr_t old = pte_frame(entry_of(as, REGION_START));
    *(uint64_t *)phys_to_virt(old) = 0x5a5a;
    /* as fork leaves it: read-only, and a second reference (the "child's") */
    pt_protect(as->root, REGION_START, PTE_USER | PTE_NX);
    pmm_ref(old);

    paddr_t hoard = take_all_frames();
    KEXPECT_EQ(touch(as, REGION_START, FAULT_WRITE, NULL), FAULT_OUT_OF_MEMORY);
    pte_t e = entry_of(as, REGION_START);
    KEXPECT(pte_present(e) && pte_frame(e) == old, "the old page is gone: entry 0x%lx", e);
    KEXPECT_EQ(pmm_page(old)->refcount, 2);
    KEXPECT_EQ(as->rss, 1);
    give_all_frames_back(hoard);

    /* with memory, the same write copies */
    KEXPECT_EQ(touch(as, REGION_START, FAULT_WRITE, NULL), FAULT_RESOLVED);
    e = entry_of(as, REGION_START);
    KEXPECT(pte_frame(e) != old && pte_writable(e), "entry 0x%lx after the copy", e);
    KEXPECT_EQ(*(uint64_t *)phys_to_virt(pte_frame(e)), 0x5a5a);
    KEXPECT_EQ(pmm_page(old)->refcount, 1);
    pmm_unref(old);
    as_put(as);
    KEXPECT_EQ(free_frames(), free_before);
}

#define FAR_REGION 0x40000000000ul /* another PML4 entry: every table to be made */

KTEST(fault_zero_page_write_without_memory_keeps_the_zero_page)
{
    uint64_t free_before = free_frames();
    struct addr_space *as = as_create();
    vma_create(as, REGION_START, REGION_END, VMA_READ | VMA_WRITE, 0);
    vma_create(as, FAR_REGION, FAR_REGION + PAGE_SIZE, VMA_READ, 0);
    KEXPECT_EQ(touch(as, REGION_START, FAULT_READ, NULL), FAULT_RESOLVED);

    paddr_t hoard = take_all_frames();
    KEXPECT_EQ(touch(as, REGION_START, FAULT_WRITE, NULL), FAULT_OUT_OF_MEMORY);
    KEXPECT(strcmp(last_outcome.reason, "out of memory") == 0, "%s", last_outcome.reason);
    pte_t e = entry_of(as, REGION_START);
    KEXPECT(pte_present(e) && pte_frame(e) == zero_page_frame(), "entry 0x%lx", e);
    /* a read of an untouched page in the same page table needs no memory at all */
    KEXPECT_EQ(touch(as, REGION_START + 0x3000, FAULT_READ, NULL), FAULT_RESOLVED);
    /* one in a region of its own needs a page table: refused, and nothing changed */
    KEXPECT_EQ(touch(as, FAR_REGION, FAULT_READ, NULL), FAULT_OUT_OF_MEMORY);
    KEXPECT(strcmp(last_outcome.reason, "out of memory for page tables") == 0, "%s",
            last_outcome.reason);
    KEXPECT_EQ(entry_of(as, FAR_REGION), 0);
    give_all_frames_back(hoard);
    KEXPECT_EQ(touch(as, FAR_REGION, FAULT_READ, NULL), FAULT_RESOLVED);
    as_put(as);
    KEXPECT_EQ(free_frames(), free_before);
}

KTEST(fault_shared_page_made_read_only_is_never_copied)
{
    uint64_t free_before = free_frames();
    struct addr_space *as = as_create();
    struct vma *vma = vma_create(as, REGION_START, REGION_END, VMA_READ | VMA_WRITE, VMA_SHARED);
    KEXPECT(vma != NULL, "no shared region");
    KEXPECT_EQ(touch(as, REGION_START, FAULT_WRITE, NULL), FAULT_RESOLVED);
    paddr_t frame = pte_frame(entry_of(as, REGION_START));
    pt_protect(as->root, REGION_START, PTE_USER | PTE_NX); /* read-only, region writable */
    KEXPECT_EQ(touch(as, REGION_START, FAULT_WRITE, NULL), FAULT_RESOLVED);
    pte_t e = entry_of(as, REGION_START);
    KEXPECT(pte_frame(e) == frame && pte_writable(e), "entry 0x%lx, shared frame 0x%lx", e, frame);
    as_put(as);
    KEXPECT_EQ(free_frames(), free_before);
}
