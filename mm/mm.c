/*
 * mm.c — the order in which memory management comes up.
 */
#include "mm.h"

#include "fault.h"
#include "kernel_pt.h"
#include "pmm.h"

extern char __kernel_phys_start[], __kernel_phys_end[];

void mm_init(const struct boot_info *info)
{
    /* the linker's __kernel_phys_* symbols are physical addresses in disguise */
    pmm_init(info, (paddr_t)__kernel_phys_start, (paddr_t)__kernel_phys_end);
    kernel_pt_init(info);
    zero_page_init();
}
