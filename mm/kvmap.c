/*
 * kvmap.c — handing out ranges of the kernel virtual area.
 *
 * Each area keeps two bitmaps with a bit per page: `used` (the page belongs to a
 * live block, guard included) and `guard` (the page is a block's guard page).
 * Allocation is first fit: scan for pages+1 consecutive unused pages.
 */
#include "kvmap.h"

#include "kernel/panic.h"
#include "kernel/x86.h"
#include "kernel_pt.h"
#include "pmm.h"
#include "pt.h"

#define KSTACK_AREA_SIZE (256ul << 20) /* 256 MiB: 12,800 stacks with their guards */
#define BITS_PER_WORD    64

struct kvmap_area {
    const char *name;
    vaddr_t base;
    size_t pages;
    uint64_t *used;
    uint64_t *guard;
};

static uint64_t stack_used[KSTACK_AREA_SIZE / PAGE_SIZE / BITS_PER_WORD];
static uint64_t stack_guard[KSTACK_AREA_SIZE / PAGE_SIZE / BITS_PER_WORD];
static uint64_t large_used[(KVMAP_SIZE - KSTACK_AREA_SIZE) / PAGE_SIZE / BITS_PER_WORD];
static uint64_t large_guard[(KVMAP_SIZE - KSTACK_AREA_SIZE) / PAGE_SIZE / BITS_PER_WORD];

static struct kvmap_area areas[KVMAP_AREA_COUNT] = {
    [KVMAP_STACKS] = { "kernel stack", KVMAP_BASE, KSTACK_AREA_SIZE / PAGE_SIZE, stack_used,
                       stack_guard },
    [KVMAP_LARGE_BLOCKS] = { "large kmalloc block", KVMAP_BASE + KSTACK_AREA_SIZE,
                             (KVMAP_SIZE - KSTACK_AREA_SIZE) / PAGE_SIZE, large_used, large_guard },
};

static bool test_bit(const uint64_t *bits, size_t i)
{
    return bits[i / BITS_PER_WORD] & (1ul << (i % BITS_PER_WORD));
}

static void set_bit(uint64_t *bits, size_t i, bool value)
{
    if (value)
        bits[i / BITS_PER_WORD] |= 1ul << (i % BITS_PER_WORD);
    else
        bits[i / BITS_PER_WORD] &= ~(1ul << (i % BITS_PER_WORD));
}

/* First fit: the first index of `count` consecutive free pages, or a->pages. */
static size_t find_free_run(const struct kvmap_area *a, size_t count)
{
    size_t run = 0;
    for (size_t i = 0; i < a->pages; i++) {
        run = test_bit(a->used, i) ? 0 : run + 1;
        if (run == count)
            return i + 1 - count;
    }
    return a->pages;
}

static void mark(struct kvmap_area *a, size_t first, size_t count, bool used)
{
    for (size_t i = first; i < first + count; i++)
        set_bit(a->used, i, used);
    set_bit(a->guard, first, used); /* the lowest page is the guard */
}

/* Unmap and free the frames of pages [va, va + pages * PAGE_SIZE) that are mapped. */
static void unmap_pages(vaddr_t va, size_t pages)
{
    for (size_t i = 0; i < pages; i++) {
        pte_t old = pt_unmap(kernel_root(), va + i * PAGE_SIZE);
        if (pte_present(old))
            pmm_free(pte_frame(old));
    }
}

/* Back [start, start + pages pages) with fresh frames. On failure, undoes what it
 * did and returns false. */
static bool map_fresh_frames(vaddr_t start, size_t pages)
{
    for (size_t i = 0; i < pages; i++) {
        paddr_t frame = pmm_alloc(FRAME_KERNEL);
        if (frame != PMM_NO_FRAME && pt_map(kernel_root(), start + i * PAGE_SIZE, frame,
                                            PTE_WRITABLE | PTE_NX | PTE_GLOBAL) == 0)
            continue;
        if (frame != PMM_NO_FRAME)
            pmm_free(frame);
        unmap_pages(start, i);
        return false;
    }
    return true;
}

uint64_t kvmap_table_frames(void)
{
    uint64_t tables = 0;
    for (vaddr_t va = KVMAP_BASE; va < KVMAP_BASE + KVMAP_SIZE; va += LARGE_PAGE_SIZE) {
        struct pt_walk walk;
        pt_walk(kernel_root(), va, &walk);
        if (walk.level == PT_LEVEL_PT)
            tables++; /* the walk reached this 2 MiB's page table */
    }
    return tables;
}

vaddr_t kvmap_alloc(enum kvmap_area_id id, size_t pages)
{
    struct kvmap_area *a = &areas[id];
    uint64_t flags = irq_save();
    size_t first = find_free_run(a, pages + 1);
    if (first == a->pages) {
        irq_restore(flags);
        return 0;
    }
    mark(a, first, pages + 1, true);
    irq_restore(flags);

    vaddr_t start = a->base + (first + 1) * PAGE_SIZE; /* above the guard */
    if (!map_fresh_frames(start, pages)) {
        flags = irq_save();
        mark(a, first, pages + 1, false);
        irq_restore(flags);
        pmm_note_shortage(pages); /* the whole run was wanted, not one frame */
        return 0;
    }
    return start;
}

void kvmap_free(enum kvmap_area_id id, vaddr_t start, size_t pages)
{
    struct kvmap_area *a = &areas[id];
    assert(start >= a->base + PAGE_SIZE &&
               start + pages * PAGE_SIZE <= a->base + a->pages * PAGE_SIZE,
           "kvmap_free: 0x%lx + %zu pages outside the %s area", start, pages, a->name);
    size_t first = (start - a->base) / PAGE_SIZE - 1;
    assert(test_bit(a->guard, first), "kvmap_free: 0x%lx is not the start of a %s", start, a->name);
    unmap_pages(start, pages);
    uint64_t flags = irq_save();
    mark(a, first, pages + 1, false);
    irq_restore(flags);
}

vaddr_t kstack_create(void)
{
    vaddr_t bottom = kvmap_alloc(KVMAP_STACKS, KSTACK_PAGES);
    return bottom == 0 ? 0 : bottom + KSTACK_SIZE;
}

void kstack_destroy(vaddr_t top)
{
    kvmap_free(KVMAP_STACKS, top - KSTACK_SIZE, KSTACK_PAGES);
}

static const struct kvmap_area *area_of(vaddr_t va)
{
    for (int i = 0; i < KVMAP_AREA_COUNT; i++) {
        if (kvmap_contains(i, va))
            return &areas[i];
    }
    return NULL;
}

bool kvmap_contains(enum kvmap_area_id id, vaddr_t va)
{
    return va >= areas[id].base && va < areas[id].base + areas[id].pages * PAGE_SIZE;
}

const char *kvmap_area_name(vaddr_t va)
{
    const struct kvmap_area *a = area_of(va);
    return a != NULL ? a->name : NULL;
}

const char *kvmap_guard_owner(vaddr_t va)
{
    const struct kvmap_area *a = area_of(va);
    if (a == NULL || !test_bit(a->guard, (va - a->base) / PAGE_SIZE))
        return NULL;
    return a->name;
}
