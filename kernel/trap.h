/*
 * trap.h — interrupts and exceptions: what the CPU saved, and who handles it.
 *
 * Vectors 0..31 are CPU exceptions (divide error, page fault, ...), 32..47 the
 * hardware interrupts of the two legacy PICs (timer = 32, keyboard = 33, COM1 = 36).
 * Every one arrives in trap_dispatch() with a struct trap_frame describing the
 * interrupted context, which the handler may change (e.g. RIP) before it resumes.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/fault.h"

enum exception_vector {
    VEC_DIVIDE_ERROR = 0,
    VEC_DEBUG = 1,
    VEC_NMI = 2,
    VEC_BREAKPOINT = 3,
    VEC_OVERFLOW = 4,
    VEC_BOUND_RANGE = 5,
    VEC_INVALID_OPCODE = 6,
    VEC_DEVICE_NOT_AVAILABLE = 7,
    VEC_DOUBLE_FAULT = 8,
    VEC_INVALID_TSS = 10,
    VEC_SEGMENT_NOT_PRESENT = 11,
    VEC_STACK_SEGMENT = 12,
    VEC_GENERAL_PROTECTION = 13,
    VEC_PAGE_FAULT = 14,
    VEC_X87_FPU = 16,
    VEC_ALIGNMENT_CHECK = 17,
    VEC_MACHINE_CHECK = 18,
    VEC_SIMD_FPU = 19,
    NUM_EXCEPTIONS = 32,
};

#define IRQ_BASE_VECTOR 32 /* IRQ n arrives as vector IRQ_BASE_VECTOR + n */
#define NUM_IRQS        16
#define NUM_VECTORS     256

/* The saved state, lowest address first; built by kernel/trap_entry.asm. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code; /* 0 when the exception has none */
    /* pushed by the CPU */
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Build and load the IDT: every vector goes to trap_dispatch. */
void trap_init(void);

/* The C entry point for all vectors (called from trap_entry.asm). */
void trap_dispatch(struct trap_frame *frame);

/* How many times a vector has been taken since boot. */
uint64_t trap_count(unsigned vector);

/* A page fault's error code (PF_ERR_* in x86.h) and address (CR2), decoded into
 * the record mm/ works with. */
struct fault_info page_fault_decode(uint64_t error, vaddr_t address);

/* True if the trap interrupted ring 3 (user mode). */
static inline bool trap_from_user(const struct trap_frame *frame)
{
    return (frame->cs & 3) == 3;
}

#endif
