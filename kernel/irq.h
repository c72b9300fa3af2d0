/*
 * irq.h — hardware interrupts through the two legacy 8259 PICs.
 *
 * IRQ 0 timer, 1 keyboard, 4 COM1, ... arrive as vectors 32 + irq. A line stays
 * masked until a driver registers a handler for it.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "trap.h"

#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_COM1     4

typedef void (*irq_handler_fn)(struct trap_frame *frame);

/* Remap the PICs to vectors 32..47 (away from the CPU exceptions), all masked. */
void irq_init(void);

/* Route irq to handler and unmask the line. */
void irq_register(unsigned irq, irq_handler_fn handler);

/* Called by trap_dispatch: run the handler, then acknowledge (EOI). */
void irq_dispatch(unsigned irq, struct trap_frame *frame);

/* Is an interrupt handler running (the code that runs is not a process's)? */
bool irq_in_handler(void);

#endif
