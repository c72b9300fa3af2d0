/*
 * exception_report.c — names, error-code decoding and the register dump.
 *
 * The error code means different things for different exceptions (Intel SDM
 * vol. 3, sections 6.13 and 6.15): for a page fault it says what kind of access
 * failed and why; for segment-related faults it names a selector.
 */
#include "exception_report.h"

#include <stddef.h>

#include "backtrace.h"
#include "ksyms.h"
#include "mm/fault.h"
#include "mm/kvmap.h"
#include "mm/pt.h"
#include "printk.h"
#include "x86.h"

static const char *const names[NUM_EXCEPTIONS] = {
    [0] = "divide error (#DE)",
    [1] = "debug (#DB)",
    [2] = "non-maskable interrupt (NMI)",
    [3] = "breakpoint (#BP)",
    [4] = "overflow (#OF)",
    [5] = "bound range exceeded (#BR)",
    [6] = "invalid opcode (#UD)",
    [7] = "device not available (#NM)",
    [8] = "double fault (#DF)",
    [9] = "coprocessor segment overrun",
    [10] = "invalid TSS (#TS)",
    [11] = "segment not present (#NP)",
    [12] = "stack-segment fault (#SS)",
    [13] = "general protection (#GP)",
    [14] = "page fault (#PF)",
    [16] = "x87 floating-point error (#MF)",
    [17] = "alignment check (#AC)",
    [18] = "machine check (#MC)",
    [19] = "SIMD floating-point error (#XM)",
    [20] = "virtualization exception (#VE)",
    [21] = "control protection (#CP)",
    [28] = "hypervisor injection (#HV)",
    [29] = "VMM communication (#VC)",
    [30] = "security exception (#SX)",
};

/* Selector error-code bits (#TS, #NP, #SS, #GP). */
#define SEL_ERR_EXTERNAL (1u << 0) /* caused by an event external to the program */
#define SEL_ERR_IDT      (1u << 1) /* the index refers to the IDT */
#define SEL_ERR_LDT      (1u << 2) /* (when not IDT) the index refers to the LDT */
#define SEL_ERR_INDEX(e) ((e) >> 3)

const char *exception_name(uint64_t vector)
{
    if (vector < NUM_EXCEPTIONS && names[vector] != NULL)
        return names[vector];
    return "reserved exception";
}

void exception_print_location(uint64_t rip)
{
    uint64_t offset;
    const char *name = ksym_lookup(rip, &offset);
    if (name != NULL)
        kprintf("%p <%s+0x%lx>", (void *)rip, name, offset);
    else
        kprintf("%p", (void *)rip);
}

static void describe_page_fault_error(uint64_t error)
{
    static const char *const access_names[] = {
        [FAULT_READ] = "read",
        [FAULT_WRITE] = "write",
        [FAULT_EXECUTE] = "instruction fetch",
    };
    struct fault_info fault = page_fault_decode(error, read_cr2());
    kprintf("  error code 0x%lx: %s %s, %s", error, fault.user_mode ? "user" : "kernel",
            access_names[fault.access],
            fault.present ? "page present but access not allowed (protection violation)"
                          : "page not present");
    if (fault.reserved_bit)
        kprintf(", reserved bit set in a page-table entry");
    if (error & PF_ERR_PKEY)
        kprintf(", protection-key violation");
    kprintf("\n  faulting address (CR2) %p\n", (void *)fault.address);
    char why[160];
    kprintf("  cause: %s\n", mm_describe_fault(&fault, why, sizeof why));
    kprintf("  translation: ");
    pt_dump(pt_current_root(), fault.address);
}

/* A double fault is an exception raised while delivering another. In a kernel
 * that uses guard pages the usual story is a stack overflow: the overflowing push
 * faults, the CPU cannot push the page-fault frame on the same stack, and
 * escalates. CR2 still holds the address of that failed access. */
static void describe_double_fault(void)
{
    char where[120];
    uint64_t cr2 = read_cr2();
    kprintf("  an exception occurred while the CPU was delivering another one\n");
    kprintf("  last page-fault address (CR2) %p, in %s\n", (void *)cr2,
            mm_describe_address(cr2, where, sizeof where));
    if (kvmap_guard_owner(cr2) != NULL)
        kprintf("  cause: kernel stack overflow: the stack ran into its guard page\n");
}

static void describe_selector_error(uint64_t error)
{
    if (error == 0) {
        kprintf("  error code 0 (no selector involved)\n");
        return;
    }
    const char *table = (error & SEL_ERR_IDT) ? "IDT" : (error & SEL_ERR_LDT) ? "LDT" : "GDT";
    kprintf("  error code 0x%lx: %s entry %lu%s\n", error, table, SEL_ERR_INDEX(error),
            (error & SEL_ERR_EXTERNAL) ? ", external event" : "");
}

static void describe_error_code(const struct trap_frame *f)
{
    switch (f->vector) {
    case VEC_PAGE_FAULT: describe_page_fault_error(f->error_code); break;
    case VEC_DOUBLE_FAULT: describe_double_fault(); break;
    case VEC_INVALID_TSS:
    case VEC_SEGMENT_NOT_PRESENT:
    case VEC_STACK_SEGMENT:
    case VEC_GENERAL_PROTECTION: describe_selector_error(f->error_code); break;
    default:
        if (f->error_code != 0)
            kprintf("  error code 0x%lx\n", f->error_code);
    }
}

static void print_registers(const struct trap_frame *f)
{
    kprintf("  RIP %016lx  RSP %016lx  RFLAGS %016lx\n", f->rip, f->rsp, f->rflags);
    kprintf("  CS  %04lx  SS %04lx  CR2 %016lx  CR3 %016lx\n", f->cs, f->ss, read_cr2(),
            read_cr3());
    kprintf("  RAX %016lx  RBX %016lx  RCX %016lx\n", f->rax, f->rbx, f->rcx);
    kprintf("  RDX %016lx  RSI %016lx  RDI %016lx\n", f->rdx, f->rsi, f->rdi);
    kprintf("  RBP %016lx  R8  %016lx  R9  %016lx\n", f->rbp, f->r8, f->r9);
    kprintf("  R10 %016lx  R11 %016lx  R12 %016lx\n", f->r10, f->r11, f->r12);
    kprintf("  R13 %016lx  R14 %016lx  R15 %016lx\n", f->r13, f->r14, f->r15);
}

void exception_report(const struct trap_frame *f)
{
    kprintf("\nEXCEPTION: %s, vector %lu, in %s mode at ", exception_name(f->vector), f->vector,
            trap_from_user(f) ? "user" : "kernel");
    exception_print_location(f->rip);
    kprintf("\n");
    describe_error_code(f);
    print_registers(f);
    backtrace_print_context(f->rip, f->rbp, f->rsp);
}
