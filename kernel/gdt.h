/*
 * gdt.h — segments and the task-state segment.
 *
 * In 64-bit mode segmentation is mostly gone: bases and limits are ignored. The GDT
 * still says which code runs in ring 0 (kernel) or ring 3 (user), and the TSS tells
 * the CPU which stack to switch to when an interrupt arrives from user mode (RSP0)
 * or when an exception needs a known-good stack (the IST, used for double faults).
 */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include <stdint.h>

/* Selectors. The order of the user ones is fixed by the syscall/sysret
 * instructions: user data must directly precede user 64-bit code. */
#define KERNEL_CODE_SELECTOR 0x08
#define KERNEL_DATA_SELECTOR 0x10
#define USER_CODE32_SELECTOR (0x18 | 3) /* an empty slot; keeps the sysret layout */
#define USER_DATA_SELECTOR   (0x20 | 3)
#define USER_CODE_SELECTOR   (0x28 | 3)
#define TSS_SELECTOR         0x30

/* Interrupt-stack-table slots (1..7; 0 means "no IST"). */
#define IST_DOUBLE_FAULT 1

/* Build and load the GDT and TSS; reload every segment register. */
void gdt_init(void);

/* The stack double faults run on (IST slot IST_DOUBLE_FAULT). gdt_init installs a
 * small static one for early boot; kmain replaces it with a guarded one. */
void tss_set_double_fault_stack(uint64_t top);

/* The stack the CPU switches to on an interrupt or exception from ring 3. */
void tss_set_kernel_stack(uint64_t rsp0);

#endif
