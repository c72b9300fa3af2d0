/*
 * irq.c — programming the 8259 PIC pair and dispatching its interrupts.
 *
 * At power-on the master PIC delivers IRQs 0..7 as vectors 8..15, which collide
 * with CPU exceptions (IRQ 0 would look like a double fault). The initialisation
 * sequence ICW1..ICW4 moves them to 32..39 (master) and 40..47 (slave, chained
 * on the master's line 2).
 */
#include "irq.h"

#include <stddef.h>

#include "panic.h"
#include "printk.h"
#include "x86.h"

#define PIC1_COMMAND 0x20
#define PIC1_DATA    0x21
#define PIC2_COMMAND 0xa0
#define PIC2_DATA    0xa1

#define ICW1_INIT_WITH_ICW4 0x11
#define ICW4_8086           0x01
#define PIC_CASCADE_LINE    2    /* the slave is wired to the master's IRQ 2 */
#define PIC_EOI             0x20 /* end of interrupt */
#define PIC_READ_ISR        0x0b /* next read of the command port returns the ISR */
#define PIC_SPURIOUS_LINE   7    /* a spurious interrupt shows as the lowest priority line */

static irq_handler_fn handlers[NUM_IRQS];

void irq_init(void)
{
    outb(PIC1_COMMAND, ICW1_INIT_WITH_ICW4);
    io_wait();
    outb(PIC2_COMMAND, ICW1_INIT_WITH_ICW4);
    io_wait();
    outb(PIC1_DATA, IRQ_BASE_VECTOR);
    io_wait(); /* ICW2: vector offset */
    outb(PIC2_DATA, IRQ_BASE_VECTOR + 8);
    io_wait();
    outb(PIC1_DATA, 1 << PIC_CASCADE_LINE);
    io_wait(); /* ICW3: slave on line 2 */
    outb(PIC2_DATA, PIC_CASCADE_LINE);
    io_wait(); /*       slave's identity */
    outb(PIC1_DATA, ICW4_8086);
    io_wait();
    outb(PIC2_DATA, ICW4_8086);
    io_wait();

    /* mask everything except the cascade line, which the slave needs */
    outb(PIC1_DATA, (uint8_t) ~(1 << PIC_CASCADE_LINE));
    outb(PIC2_DATA, 0xff);
}

static void set_masked(unsigned irq, bool masked)
{
    uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
    uint8_t bit = (uint8_t)(1u << (irq % 8));
    uint8_t mask = inb(port);
    outb(port, masked ? (mask | bit) : (mask & ~bit));
}

void irq_register(unsigned irq, irq_handler_fn handler)
{
    assert(irq < NUM_IRQS, "irq_register: irq %u out of range", irq);
    assert(handlers[irq] == NULL, "irq_register: irq %u already has a handler", irq);
    handlers[irq] = handler;
    set_masked(irq, false);
}

static void send_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2_COMMAND, PIC_EOI);
    outb(PIC1_COMMAND, PIC_EOI);
}

/* A spurious IRQ 7/15 is one the PIC raised and then withdrew: its in-service
 * bit is clear, and it must not be acknowledged (except the master's cascade). */
static bool is_spurious(unsigned irq)
{
    if (irq % 8 != PIC_SPURIOUS_LINE)
        return false;
    uint16_t command = irq < 8 ? PIC1_COMMAND : PIC2_COMMAND;
    outb(command, PIC_READ_ISR);
    if (inb(command) & (1 << PIC_SPURIOUS_LINE))
        return false;
    if (irq >= 8)
        outb(PIC1_COMMAND, PIC_EOI); /* the master did see the cascade interrupt */
    return true;
}

static int handler_depth; /* handlers running now (a handler never switches processes) */

bool irq_in_handler(void)
{
    return handler_depth > 0;
}

void irq_dispatch(unsigned irq, struct trap_frame *frame)
{
    if (is_spurious(irq))
        return; /* nothing to acknowledge: the PIC withdrew it */
    handler_depth++;
    if (handlers[irq] != NULL)
        handlers[irq](frame);
    handler_depth--;
    if (handlers[irq] == NULL)
        kprintf("irq: unexpected IRQ %u (no handler)\n", irq);
    send_eoi(irq);
}
