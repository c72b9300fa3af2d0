/*
 * pmm_boot.c — building the pool of free frames from the boot memory map.
 *
 * 1. Find the highest usable frame: the page array needs one record per frame up
 *    to there, and is itself placed in usable memory (the first place big enough).
 * 2. Mark every frame: free if it lies wholly inside a usable region, reserved
 *    otherwise (holes, firmware, anything a non-usable region touches).
 * 3. Reserve what is in use already: the first MiB (BIOS data, VGA), the kernel
 *    image, the boot information, the boot modules, and the page array. Reserved
 *    frames are never handed out, and pmm_free refuses them.
 * 4. Push the free frames onto the free list, highest first, so that the first
 *    allocations come from low memory (which the boot page tables can reach).
 */
#include "pmm_internal.h"

#include "kernel/multiboot2.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "lib/string.h"

#define FIRST_MIB       0x100000ull
#define BOOT_DIRECT_MAP 0x100000000ull         /* boot/ maps the first 4 GiB */
#define MAX_EXCLUDED    (4 + BOOT_MAX_MODULES) /* + the page array */

struct range {
    paddr_t start, end; /* [start, end) */
    const char *what;
};

struct exclusions {
    size_t count;
    struct range ranges[MAX_EXCLUDED];
};

static void exclude(struct exclusions *ex, paddr_t start, paddr_t end, const char *what)
{
    assert(ex->count < MAX_EXCLUDED, "pmm: more than %d reserved ranges", MAX_EXCLUDED);
    ex->ranges[ex->count++] =
        (struct range){ align_down(start, PAGE_SIZE), align_up(end, PAGE_SIZE), what };
}

static void collect_exclusions(const struct boot_info *info, paddr_t kernel_start,
                               paddr_t kernel_end, struct exclusions *ex)
{
    exclude(ex, 0, FIRST_MIB, "first MiB");
    exclude(ex, kernel_start, kernel_end, "kernel image");
    exclude(ex, info->mbi_phys, info->mbi_phys + info->mbi_size, "boot information");
    for (size_t i = 0; i < info->module_count; i++)
        exclude(ex, info->modules[i].start, info->modules[i].end, "boot module");
}

/* The end of the first thing in the way of [start, end): an excluded range or a
 * region of the map that is not usable (regions may overlap). 0 if none. */
static paddr_t obstacle_end(const struct boot_info *info, const struct exclusions *ex,
                            paddr_t start, paddr_t end)
{
    for (size_t i = 0; i < ex->count; i++) {
        if (start < ex->ranges[i].end && ex->ranges[i].start < end)
            return ex->ranges[i].end;
    }
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        if (r->type != MB2_MEMORY_AVAILABLE && start < r->start + r->length && r->start < end)
            return align_up(r->start + r->length, PAGE_SIZE);
    }
    return 0;
}

/* The lowest page-aligned usable place for size bytes that avoids every exclusion
 * and reserved region and lies below BOOT_DIRECT_MAP; 0 if there is none. */
static paddr_t find_room(const struct boot_info *info, const struct exclusions *ex, uint64_t size)
{
    paddr_t best = 0;
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        if (r->type != MB2_MEMORY_AVAILABLE)
            continue;
        paddr_t at = align_up(r->start, PAGE_SIZE), end = r->start + r->length, skip;
        while (at + size <= end && (skip = obstacle_end(info, ex, at, at + size)) != 0)
            at = skip;
        if (at + size <= end && at + size <= BOOT_DIRECT_MAP && (best == 0 || at < best))
            best = at;
    }
    return best;
}

static pfn_t highest_usable_pfn(const struct boot_info *info)
{
    pfn_t highest = 0;
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        pfn_t end = paddr_to_pfn(align_down(r->start + r->length, PAGE_SIZE));
        if (r->type == MB2_MEMORY_AVAILABLE && end > highest)
            highest = end;
    }
    return highest;
}

static void set_state(pfn_t first, pfn_t end, enum page_state state)
{
    for (pfn_t pfn = first; pfn < end && pfn < pmm_pool.page_count; pfn++)
        pmm_pool.pages[pfn].state = (uint8_t)state;
}

/* Step 2: usable frames free, anything a non-usable region touches reserved
 * (regions may overlap; reserved wins). */
static void mark_from_memory_map(const struct boot_info *info)
{
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        if (r->type == MB2_MEMORY_AVAILABLE)
            set_state(paddr_to_pfn(align_up(r->start, PAGE_SIZE)),
                      paddr_to_pfn(align_down(r->start + r->length, PAGE_SIZE)), PAGE_FREE);
    }
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        if (r->type != MB2_MEMORY_AVAILABLE)
            set_state(paddr_to_pfn(align_down(r->start, PAGE_SIZE)),
                      paddr_to_pfn(align_up(r->start + r->length, PAGE_SIZE)), PAGE_RESERVED);
    }
}

static void print_summary(const struct boot_info *info, const struct exclusions *ex, paddr_t array,
                          uint64_t array_bytes)
{
    const struct pmm_stats *s = &pmm_pool.stats;
    kinfo("Physical memory: %lu KiB usable in the memory map; %lu frames managed, "
          "%lu free (%lu KiB)\n",
          bootinfo_total_of_type(info, MB2_MEMORY_AVAILABLE) / 1024, s->total, s->free,
          s->free * PAGE_SIZE / 1024);
    kinfo("  page array: %lu records of %zu bytes (%lu KiB) at 0x%lx\n", pmm_pool.page_count,
          sizeof(struct page), array_bytes / 1024, array);
    for (size_t i = 0; i < ex->count; i++)
        kinfo("  kept out: 0x%08lx-0x%08lx %s\n", ex->ranges[i].start, ex->ranges[i].end,
              ex->ranges[i].what);
}

void pmm_init(const struct boot_info *info, paddr_t kernel_start, paddr_t kernel_end)
{
    struct exclusions ex = { 0 };
    collect_exclusions(info, kernel_start, kernel_end, &ex);

    pmm_pool.page_count = highest_usable_pfn(info);
    uint64_t array_bytes = align_up(pmm_pool.page_count * sizeof(struct page), PAGE_SIZE);
    paddr_t array = find_room(info, &ex, array_bytes);
    if (array == 0)
        panic("pmm: no room for a %lu-byte page array below 4 GiB", array_bytes);
    pmm_pool.pages = phys_to_virt(array);
    pmm_pages = pmm_pool.pages;
    pmm_page_count = pmm_pool.page_count;
    memset(pmm_pool.pages, 0, array_bytes); /* all PAGE_RESERVED */

    mark_from_memory_map(info);
    exclude(&ex, array, array + array_bytes, "page array");
    for (size_t i = 0; i < ex.count; i++)
        set_state(paddr_to_pfn(ex.ranges[i].start), paddr_to_pfn(ex.ranges[i].end), PAGE_RESERVED);

    for (pfn_t pfn = pmm_pool.page_count; pfn-- > 0;) {
        if (pmm_pool.pages[pfn].state == PAGE_FREE)
            pmm_push_free(&pmm_pool.pages[pfn]);
    }
    pmm_pool.stats.total = pmm_pool.stats.free;
    pmm_pool.boot_stats = pmm_pool.stats;
    print_summary(info, &ex, array, array_bytes);
}
