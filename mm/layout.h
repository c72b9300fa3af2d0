/*
 * layout.h — the map of the virtual address space (see ../shared/DESIGN.md).
 *
 *   0x0000000000000000 - 0x00000000003fffff  never mapped: NULL and small offsets fault
 *   0x0000000000400000 - 0x00007fffffffffff  user space (programs, heap, mmap, stack)
 *           ... non-canonical hole: bits 63..47 must all be equal ...
 *   0xffff800000000000 -                     direct map: all physical memory
 *   0xffffff8000000000 - +1 GiB              kernel virtual area: kernel stacks with
 *                                            guard pages, large kmalloc blocks
 *   0xffffffff80000000 -                     the kernel image (text, rodata, data, bss)
 *
 * The top half (bit 47 set) is the kernel's and is the same in every address space.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#define USER_MIN_ADDRESS     0x0000000000400000ul /* nothing user below 4 MiB */
#define USER_STACK_TOP       0x00007ffffffff000ul /* the initial stack grows down from here */
#define USER_STACK_LIMIT     (8ul << 20)          /* 8 MiB, Linux's default RLIMIT_STACK */
#define USER_STACK_GUARD_GAP (1ul << 20)          /* kept free below the stack, as on Linux */
#define USER_MAP_END         0x00007ffffffff000ul /* nothing is mapped above (as on Linux) */
#define MMAP_TOP             (USER_STACK_TOP - (128ul << 20)) /* mmap fills down from here */
#define USER_SPACE_END       0x0000800000000000ul             /* first non-canonical address */
#define KERNEL_SPACE_BASE    0xffff800000000000ul             /* lowest kernel-half address */
#define DIRECT_MAP_BASE      0xffff800000000000ul /* virtual = DIRECT_MAP_BASE + physical */
#define KVMAP_BASE           0xffffff8000000000ul /* kernel virtual area (mm/kvmap.c) */
#define KVMAP_SIZE           0x0000000040000000ul /* 1 GiB */
#define KERNEL_VMA           0xffffffff80000000ul /* virtual = KERNEL_VMA + physical (image) */

#endif
