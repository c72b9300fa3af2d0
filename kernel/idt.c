/*
 * idt.c — the interrupt descriptor table.
 *
 * 256 gates, one per vector, each pointing at its stub in trap_entry.asm. All are
 * interrupt gates (the CPU clears IF on entry, so handlers start with interrupts
 * off). The breakpoint gate may be used from ring 3 (an `int3` in a user program);
 * the double-fault gate runs on its own stack (IST), since a double fault often
 * comes from a broken kernel stack.
 */
#include "idt.h"

#include "gdt.h"
#include "trap.h"

#define GATE_INTERRUPT 0xe /* type: 64-bit interrupt gate */
#define GATE_PRESENT   0x80
#define GATE_DPL(ring) ((ring) << 5)

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;       /* interrupt-stack-table slot, 0 = none */
    uint8_t type_attr; /* present, DPL, gate type */
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

struct idt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern const uint64_t trap_stub_table[NUM_VECTORS];

static struct idt_gate idt[NUM_VECTORS];
static bool loaded;

static void set_gate(unsigned vector, uint64_t handler, unsigned dpl, unsigned ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = KERNEL_CODE_SELECTOR,
        .ist = (uint8_t)ist,
        .type_attr = (uint8_t)(GATE_PRESENT | GATE_DPL(dpl) | GATE_INTERRUPT),
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < NUM_VECTORS; v++)
        set_gate(v, trap_stub_table[v], 0, 0);
    set_gate(VEC_BREAKPOINT, trap_stub_table[VEC_BREAKPOINT], 3, 0);
    set_gate(VEC_DOUBLE_FAULT, trap_stub_table[VEC_DOUBLE_FAULT], 0, IST_DOUBLE_FAULT);

    struct idt_pointer pointer = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(pointer));
    loaded = true;
}

bool idt_loaded(void)
{
    return loaded;
}
