/*
 * x86.h — the one place that knows x86 instructions and registers.
 *
 * Everything that needs an `in`, `out`, a control register or an MSR calls one of
 * these small wrappers, so the rest of the kernel reads as plain C.
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include <stdint.h>

/* Where the kernel lives (see linker.ld and boot/layout.inc). */
#define KERNEL_VMA      0xffffffff80000000ull /* virtual = KERNEL_VMA + physical */
#define DIRECT_MAP_BASE 0xffff800000000000ull /* virtual = DIRECT_MAP_BASE + physical */

/* Control-register bits the kernel reads or sets. */
#define CR0_WP (1ull << 16) /* write-protect: ring 0 honours read-only pages */
#define CR0_PG (1ull << 31)

#define RFLAGS_IF (1ull << 9) /* interrupts enabled */

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t value)
{
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/* A write to an unused port: takes about a microsecond, for slow legacy devices. */
static inline void io_wait(void)
{
    outb(0x80, 0);
}

static inline void cli(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline void sti(void)
{
    __asm__ volatile("sti" ::: "memory");
}

/* Enable interrupts and halt until one arrives, with no window between the two
 * (sti delays interrupts by one instruction), so no wake-up can be missed. */
static inline void sti_hlt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

static inline void hlt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

static inline uint64_t read_rflags(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return flags;
}

static inline uint64_t read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Early physical-to-virtual conversion through the direct map. */
static inline void *phys_to_virt(uint64_t paddr)
{
    return (void *)(DIRECT_MAP_BASE + paddr);
}

#endif
