/*
 * mm.h — bringing up memory management at boot.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include "kernel/bootinfo.h"

/* Frame allocator from the memory map, then the kernel's own page tables.
 * After this, pmm_alloc, the page-table functions, kvmap and kmalloc work. */
void mm_init(const struct boot_info *info);

#endif
