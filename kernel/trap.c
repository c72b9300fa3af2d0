/*
 * trap.c — deciding what to do with each interrupt and exception.
 *
 *   hardware interrupt (IRQ)          -> irq.c's handler for that line
 *   exception with an extable fix-up  -> one line on the console, resume at the fix-up
 *   any other exception               -> full report (exception_report.c), then stop
 *
 * exception in user mode               -> the Linux signal it means, for that process
 */
#include "trap.h"

#include "exception_report.h"
#include "cpu.h"
#include "extable.h"
#include "idt.h"
#include "irq.h"
#include "panic.h"
#include "lib/format.h"
#include "printk.h"
#include "mm/fault.h"
#include "oom.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "x86.h"

static uint64_t counts[NUM_VECTORS];
static struct page_fault_record last_page_fault;
static bool idt_installed;

void trap_init(void)
{
    idt_init();
    idt_installed = true;
}

bool trap_idt_installed(void)
{
    return idt_installed;
}

struct page_fault_record trap_last_page_fault(void)
{
    return last_page_fault;
}

uint64_t trap_count(unsigned vector)
{
    return vector < NUM_VECTORS ? counts[vector] : 0;
}

/* A kernel instruction that was allowed to fault did: say so and resume at its fix-up. */
static bool try_fixup(struct trap_frame *frame)
{
    const struct extable_entry *entry = extable_find(frame->rip);
    if (entry == NULL)
        return false;
    frame->rip = entry->fixup_rip;
    if (entry->flags & EXTABLE_QUIET)
        return true;
    kprintf("trap: %s at ", exception_name(frame->vector));
    exception_print_location(entry->fault_rip);
    if (frame->vector == VEC_PAGE_FAULT) {
        char why[160];
        struct fault_info fault = page_fault_decode(frame->error_code, last_page_fault.address);
        kprintf(": %s at %p", mm_describe_fault(&fault, why, sizeof why), (void *)fault.address);
    }
    kprintf(", recovered (fix-up)\n");
    return true;
}

/* The signal Linux sends for an exception in user mode. */
static int exception_signal(uint64_t vector)
{
    switch (vector) {
    case VEC_INVALID_OPCODE: return SIGILL;
    case VEC_DIVIDE_ERROR:
    case VEC_X87_FPU:
    case VEC_SIMD_FPU: return SIGFPE;
    case VEC_BREAKPOINT:
    case VEC_DEBUG: return SIGTRAP;
    case VEC_ALIGNMENT_CHECK: return SIGBUS;
    default: return SIGSEGV; /* page fault, general protection, and the rest */
    }
}

/* A user program caused an exception: it dies with a signal, the kernel goes on. */
static void kill_user_process(const struct trap_frame *frame)
{
    char why[200];
    if (frame->vector == VEC_PAGE_FAULT) {
        snprintf(why, sizeof why, "page fault at address %p, rip %p: %s",
                 (void *)last_page_fault.address, (void *)frame->rip, mm_fault_reason());
    } else {
        snprintf(why, sizeof why, "%s at rip %p", exception_name(frame->vector), (void *)frame->rip);
    }
    proc_kill_for_exception(exception_signal(frame->vector), why);
}

/* A page fault on a user address -- by the program itself, or by the kernel
 * copying to or from user memory -- goes to mm/ first: most are the kernel's own
 * laziness (demand-zero, stack growth) and are resolved. True if it was. */
static bool resolve_user_page_fault(struct trap_frame *frame)
{
    struct proc *p = current_proc();
    bool from_uaccess = !trap_from_user(frame) && extable_find(frame->rip) != NULL;
    if (frame->vector != VEC_PAGE_FAULT || p == NULL || p->as == NULL ||
        !(trap_from_user(frame) || from_uaccess) ||
        (from_uaccess && last_page_fault.address >= USER_SPACE_END))
        return false;
    struct fault_info fault = page_fault_decode(frame->error_code, last_page_fault.address);
    enum fault_result result = mm_handle_fault(p->as, &fault, &p->vm);
    if (result == FAULT_RESOLVED)
        return true;
    if (result == FAULT_OUT_OF_MEMORY) /* retry; or a queued SIGKILL ends the process */
        return oom_handle(p, fault.address) == OOM_RETRY || trap_from_user(frame);
    if (trap_from_user(frame))
        vm_totals.kills++, p->vm.kills++;
    return false;
}

static void handle_exception(struct trap_frame *frame)
{
    if (resolve_user_page_fault(frame))
        return;
    if (trap_from_user(frame))
        kill_user_process(frame);
    if (try_fixup(frame))
        return;
    exception_report(frame);
    panic_stop();
}

void trap_dispatch(struct trap_frame *frame)
{
    uint64_t vector = frame->vector;
    counts[vector]++;
    if (vector == VEC_PAGE_FAULT)
        last_page_fault = (struct page_fault_record){ frame->error_code, read_cr2() };

    if (vector < NUM_EXCEPTIONS)
        handle_exception(frame);
    else if (vector >= IRQ_BASE_VECTOR && vector < IRQ_BASE_VECTOR + NUM_IRQS)
        irq_dispatch((unsigned)(vector - IRQ_BASE_VECTOR), frame);
    else
        kprintf("trap: unexpected interrupt vector %lu ignored\n", vector);
    if (trap_from_user(frame))
        return_to_user_work(); /* a signal to act on, or the end of its turn */
}
