/*
 * gdt.c — building the global descriptor table and the TSS.
 */
#include "gdt.h"

#include "lib/string.h"
#include "panic.h"

/* Access-byte and flag bits of a segment descriptor (Intel SDM vol. 3, 3.4.5). */
#define SEG_PRESENT    (1u << 7)
#define SEG_DPL(ring)  ((uint32_t)(ring) << 5)
#define SEG_CODE_DATA  (1u << 4) /* S=1: code or data, not a system segment */
#define SEG_EXECUTABLE (1u << 3)
#define SEG_RW         (1u << 1) /* readable code / writable data */
#define SEG_TSS_64     0x9u      /* system type: available 64-bit TSS */
#define FLAG_LONG      (1u << 1) /* L: 64-bit code segment */
#define FLAG_32BIT     (1u << 2) /* D/B: 32-bit segment */
#define FLAG_4K        (1u << 3) /* G: limit counted in 4 KiB units */

#define DOUBLE_FAULT_STACK_SIZE 4096 /* for early boot only */

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3]; /* stack for an interrupt arriving from ring 0..2 (we use rsp[0]) */
    uint64_t reserved1;
    uint64_t ist[7]; /* interrupt stack table, slots 1..7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* >= sizeof(struct tss): no I/O permission bitmap */
} __attribute__((packed));

struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

enum { GDT_ENTRIES = 8 }; /* null, 5 segments, and the TSS taking two slots */

static uint64_t gdt[GDT_ENTRIES];
static struct tss tss;
static uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));

static uint64_t segment(uint32_t access, uint32_t flags)
{
    /* base 0 and limit 0xfffff; only the access byte and flags matter in 64-bit mode */
    return 0xffffull | ((uint64_t)access << 40) | (0xfull << 48) | ((uint64_t)flags << 52);
}

/* A TSS descriptor is 16 bytes: a system-segment descriptor plus the upper base. */
static void set_tss_descriptor(int index, uint64_t base, uint32_t limit)
{
    gdt[index] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                 ((uint64_t)(SEG_PRESENT | SEG_TSS_64) << 40) |
                 ((uint64_t)((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[index + 1] = base >> 32;
}

static void load_gdt_and_segments(void)
{
    struct gdt_pointer pointer = { sizeof gdt - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0\n"
                     /* CS can only be reloaded by a far jump/return: push the new
                      * CS and the address of the next instruction, then lretq */
                     "pushq %1\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1:\n"
                     "movw %w2, %%ds\n"
                     "movw %w2, %%es\n"
                     "movw %w2, %%ss\n"
                     "ltr %w3\n"
                     :
                     : "m"(pointer), "i"(KERNEL_CODE_SELECTOR), "r"(KERNEL_DATA_SELECTOR),
                       "r"(TSS_SELECTOR)
                     : "rax", "memory");
}

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[KERNEL_CODE_SELECTOR / 8] =
        segment(SEG_PRESENT | SEG_CODE_DATA | SEG_EXECUTABLE | SEG_RW, FLAG_LONG | FLAG_4K);
    gdt[KERNEL_DATA_SELECTOR / 8] =
        segment(SEG_PRESENT | SEG_CODE_DATA | SEG_RW, FLAG_32BIT | FLAG_4K);
    /* No 32-bit user code segment: sysret's layout keeps its slot, but it stays empty
     * (not present). With one, a program could far-jump into 32-bit compatibility
     * mode and `syscall` there, which jumps to MSR CSTAR: there is no such entry,
     * so the kernel ran at address 0 and hung. Now the far jump itself faults and
     * the program gets SIGSEGV, as it does on Linux after such a call. */
    gdt[USER_CODE32_SELECTOR / 8] = 0;
    gdt[USER_DATA_SELECTOR / 8] =
        segment(SEG_PRESENT | SEG_DPL(3) | SEG_CODE_DATA | SEG_RW, FLAG_32BIT | FLAG_4K);
    gdt[USER_CODE_SELECTOR / 8] = segment(
        SEG_PRESENT | SEG_DPL(3) | SEG_CODE_DATA | SEG_EXECUTABLE | SEG_RW, FLAG_LONG | FLAG_4K);

    memset(&tss, 0, sizeof tss);
    tss.iomap_base = sizeof tss;
    /* a double fault often means the current stack is unusable: give it its own */
    tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(double_fault_stack + sizeof double_fault_stack);
    set_tss_descriptor(TSS_SELECTOR / 8, (uint64_t)&tss, sizeof tss - 1);
    assert(TSS_SELECTOR / 8 + 1 < GDT_ENTRIES, "TSS slot %d outside the GDT", TSS_SELECTOR / 8);

    load_gdt_and_segments();
}

void tss_set_double_fault_stack(uint64_t top)
{
    tss.ist[IST_DOUBLE_FAULT - 1] = top;
}

void tss_set_kernel_stack(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}
