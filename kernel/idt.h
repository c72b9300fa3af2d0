/*
 * idt.h — the interrupt descriptor table: which code runs for which vector.
 */
#ifndef KERNEL_IDT_H
#define KERNEL_IDT_H

/* Fill all 256 gates with the stubs of trap_entry.asm and load the IDT. */
void idt_init(void);

#endif
