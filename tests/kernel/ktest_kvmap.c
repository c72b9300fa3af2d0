/*
 * ktest_kvmap.c — kernel stacks from the kernel virtual area: mapped pages with an
 * unmapped guard page below, frames returned when destroyed, the range reused.
 */
#include "kernel/ktest.h"
#include "mm/kernel_pt.h"
#include "mm/kvmap.h"
#include "mm/pmm.h"
#include "mm/pt.h"

KTEST(kvmap_stack_is_mapped_above_an_unmapped_guard_page)
{
    uint64_t free_before = pmm_stats().free;
    vaddr_t top = kstack_create();
    if (!KEXPECT(top != 0, "kstack_create failed"))
        return;
    paddr_t pa;
    for (vaddr_t va = top - KSTACK_SIZE; va < top; va += PAGE_SIZE) {
        KEXPECT(pt_translate(kernel_root(), va, &pa), "stack page 0x%lx not mapped", va);
        *(volatile uint64_t *)va = va; /* writable */
    }
    vaddr_t guard = top - KSTACK_SIZE - PAGE_SIZE;
    KEXPECT(!pt_translate(kernel_root(), guard, &pa), "guard page 0x%lx is mapped", guard);
    const char *owner = kvmap_guard_owner(guard);
    KEXPECT(owner != NULL, "0x%lx not known as a guard page", guard);
    /* KSTACK_PAGES frames, plus page tables the first stack in a new 2 MiB needs */
    KEXPECT(free_before - pmm_stats().free >= KSTACK_PAGES, "only %lu frames used",
            free_before - pmm_stats().free);

    kstack_destroy(top);
    KEXPECT(!pt_translate(kernel_root(), top - PAGE_SIZE, &pa), "destroyed stack still mapped");
    KEXPECT(kvmap_guard_owner(guard) == NULL, "guard page still registered");
    KEXPECT_EQ(pmm_stats().free, free_before);
}

KTEST(kvmap_freed_range_is_reused)
{
    vaddr_t first = kstack_create();
    kstack_destroy(first);
    vaddr_t second = kstack_create();
    KEXPECT_EQ(second, first); /* first fit finds the same hole */
    kstack_destroy(second);
}

KTEST(kvmap_neighbouring_blocks_are_separated_by_guards)
{
    vaddr_t a = kvmap_alloc(KVMAP_LARGE_BLOCKS, 2), b = kvmap_alloc(KVMAP_LARGE_BLOCKS, 3);
    if (!KEXPECT(a != 0 && b != 0, "kvmap_alloc failed"))
        return;
    /* b's guard page sits between the end of a and the start of b */
    KEXPECT_EQ(b, a + 2 * PAGE_SIZE + PAGE_SIZE);
    KEXPECT(kvmap_guard_owner(a + 2 * PAGE_SIZE) != NULL, "no guard after block a");
    kvmap_free(KVMAP_LARGE_BLOCKS, b, 3);
    kvmap_free(KVMAP_LARGE_BLOCKS, a, 2);
}
