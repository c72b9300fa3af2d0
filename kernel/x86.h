/*
 * x86.h — the one place that knows x86 instructions and registers.
 *
 * Everything that needs an `in`, `out`, a control register or an MSR calls one of
 * these small wrappers, so the rest of the kernel reads as plain C.
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include <stdint.h>

/* Control-register bits the kernel reads or sets. */
#define CR0_WP   (1ull << 16) /* write-protect: ring 0 honours read-only pages too */
#define CR0_PG   (1ull << 31) /* paging */
#define CR4_PAE  (1ull << 5)
#define CR4_PGE  (1ull << 7)  /* global pages: kept in the TLB across CR3 loads */
#define CR4_SMEP (1ull << 20) /* ring 0 may not execute user pages */
#define CR4_SMAP (1ull << 21) /* ring 0 may not touch user pages (unless RFLAGS.AC) */

#define MSR_EFER           0xc0000080
#define MSR_STAR           0xc0000081   /* segment selectors for syscall/sysret */
#define MSR_LSTAR          0xc0000082   /* the syscall entry point */
#define MSR_FMASK          0xc0000084   /* RFLAGS bits cleared on syscall entry */
#define MSR_FS_BASE        0xc0000100   /* the FS base: user TLS (arch_prctl) */
#define MSR_GS_BASE        0xc0000101   /* the GS base now (the kernel's per-CPU data) */
#define MSR_KERNEL_GS_BASE 0xc0000102   /* the other GS base: swapgs exchanges the two */
#define EFER_NXE           (1ull << 11) /* the NX (no-execute) bit in page-table entries */

/* The local APIC (lapic.c). */
#define MSR_APIC_BASE           0x1b          /* its physical address, and its enable bit */
#define MSR_TSC_DEADLINE        0x6e0         /* its timer fires when the TSC reaches this */
#define APIC_BASE_ENABLE        (1ull << 11)  /* MSR_APIC_BASE: the local APIC is on */
#define APIC_BASE_ADDRESS       0xfffff000ull /* MSR_APIC_BASE: its registers' page */
#define CPUID1_EDX_APIC         (1u << 9)     /* there is a local APIC */
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)    /* its timer has the TSC-deadline mode */

/* CPUID feature bits the kernel checks. */
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)

#define RFLAGS_IF (1ull << 9)  /* interrupts enabled */
#define RFLAGS_AC (1ull << 18) /* alignment check; in ring 0, SMAP lifted (stac) */

/* The error code of a page fault (Intel SDM vol. 3, figure 4-12); CR2 holds the
 * address. kernel/trap.c decodes them once into mm/'s struct fault_info. */
#define PF_ERR_PRESENT  (1u << 0) /* 0: page not present; 1: protection violation */
#define PF_ERR_WRITE    (1u << 1) /* the access was a write */
#define PF_ERR_USER     (1u << 2) /* the access came from ring 3 */
#define PF_ERR_RESERVED (1u << 3) /* a reserved bit was set in a paging entry */
#define PF_ERR_FETCH    (1u << 4) /* the access was an instruction fetch */
#define PF_ERR_PKEY     (1u << 5) /* protection-key violation */

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

static inline uint16_t inw(uint16_t port)
{
    uint16_t value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
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

/* Take the interrupts that are pending, then turn interrupts off again: a moment in
 * a long system call for the timer and the devices (sti acts only after the next
 * instruction, hence the nop). */
static inline void interrupt_window(void)
{
    __asm__ volatile("sti\n\tnop\n\tcli" ::: "memory");
}

/* Interrupts off, returning the previous state for irq_restore: brackets the few
 * steps that an interrupt handler must never see half done. (Host unit tests run
 * mm/ code as an ordinary program, where there are no interrupts to hold off.) */
#ifndef VMLAB_HOST_TEST
static inline uint64_t irq_save(void)
{
    uint64_t flags = read_rflags();
    cli();
    return flags;
}

static inline void irq_restore(uint64_t flags)
{
    if (flags & RFLAGS_IF)
        sti();
}
#else
static inline uint64_t irq_save(void)
{
    return 0;
}

static inline void irq_restore(uint64_t flags)
{
    (void)flags;
}
#endif

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

static inline void write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* Loading CR3 switches address space and flushes the TLB (except global pages). */
static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* Drop the TLB entry for one virtual address (global or not). */
static inline void invlpg(uint64_t vaddr)
{
    __asm__ volatile("invlpg (%0)" : : "r"(vaddr) : "memory");
}

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
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

#endif
