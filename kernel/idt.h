/*
 * idt.h — the interrupt descriptor table: which code runs for which vector.
 */
#ifndef KERNEL_IDT_H
#define KERNEL_IDT_H

#include <stdbool.h>

/* Fill all 256 gates with the stubs of trap_entry.asm and load the IDT. */
void idt_init(void);

/* True once the IDT is loaded: from then on a faulting read can be recovered
 * (extable.h), which the backtrace relies on. */
bool idt_loaded(void);

#endif
