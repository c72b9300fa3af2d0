/*
 * kernel_pt.h — the kernel's own page tables, replacing the boot ones.
 *
 *   direct map   DIRECT_MAP_BASE + p -> p for all RAM, 2 MiB pages, read/write, no-execute
 *   kernel image KERNEL_VMA + p -> p, 4 KiB pages with per-section permissions:
 *                  .text read + execute, .rodata read-only, .data/.bss read/write
 *   nothing in the lower (user) half: no identity map, nothing at address 0
 * Every kernel mapping is global (G) and supervisor-only (no U bit). W^X: no
 * kernel page is both writable and executable.
 */
#ifndef MM_KERNEL_PT_H
#define MM_KERNEL_PT_H

#include <stdbool.h>

#include "addr.h"
#include "kernel/bootinfo.h"

/* Build the tables, switch CR3 to them, then turn on CR0.WP, global pages, and
 * SMEP/SMAP when the CPU has them. Needs pmm_init first. */
void kernel_pt_init(const struct boot_info *info);

/* The kernel's PML4 (physical). Its upper half is shared by every address space. */
paddr_t kernel_root(void);

/* The kernel-image section va lies in ("kernel text", "kernel read-only data",
 * "kernel data/bss"), or NULL. */
const char *kernel_section_name(vaddr_t va);

/* Map device memory [start, start + size) (e.g. a PCI framebuffer, above RAM)
 * into the direct map with uncached 2 MiB pages, so phys_to_virt works for it
 * too. Returns its kernel address, or NULL if out of memory for the tables. */
void *kernel_map_device(paddr_t start, uint64_t size);

/* Which protections the CPU enforces, for the boot message and the tests. */
struct cpu_protections {
    bool nx, write_protect, global_pages, smep, smap;
};
struct cpu_protections kernel_pt_protections(void);

#endif
