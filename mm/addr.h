/*
 * addr.h — physical and virtual addresses, pages and frames.
 *
 * A virtual address (vaddr_t) is what the CPU issues; a physical address (paddr_t)
 * is where the byte lives in RAM. Memory is managed in 4 KiB units: a *page* of
 * virtual memory is backed by a *frame* of physical memory, and a frame is named
 * by its number (pfn_t, "page frame number" = physical address / 4096).
 * Distinct types keep the three from being mixed up.
 */
#ifndef MM_ADDR_H
#define MM_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"

typedef uint64_t paddr_t; /* physical address */
typedef uint64_t vaddr_t; /* virtual address */
typedef uint64_t pfn_t;   /* page frame number */

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1ul << PAGE_SHIFT) /* 4 KiB */
#define LARGE_PAGE_SIZE (1ul << 21)         /* 2 MiB: one PD entry */

static inline pfn_t paddr_to_pfn(paddr_t pa)
{
    return pa >> PAGE_SHIFT;
}

static inline paddr_t pfn_to_paddr(pfn_t pfn)
{
    return pfn << PAGE_SHIFT;
}

static inline uint64_t align_down(uint64_t x, uint64_t alignment)
{
    return x & ~(alignment - 1);
}

static inline uint64_t align_up(uint64_t x, uint64_t alignment)
{
    return (x + alignment - 1) & ~(alignment - 1);
}

static inline bool is_page_aligned(uint64_t x)
{
    return (x & (PAGE_SIZE - 1)) == 0;
}

/* Every physical byte is also visible at DIRECT_MAP_BASE + its address, which is
 * how the kernel reads and writes frames (page tables, zeroing, copies). */
#ifndef VMLAB_HOST_TEST
static inline void *phys_to_virt(paddr_t pa)
{
    return (void *)(DIRECT_MAP_BASE + pa);
}

/* The physical address behind a direct-map or kernel-image address. */
static inline paddr_t virt_to_phys(const void *va)
{
    vaddr_t v = (vaddr_t)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP_BASE;
}
#else
/* Host unit tests back "physical memory" with an ordinary buffer (tests/host/). */
void *phys_to_virt(paddr_t pa);
paddr_t virt_to_phys(const void *va);
#endif

#endif
