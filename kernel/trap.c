/*
 * trap.c — deciding what to do with each interrupt and exception.
 *
 *   hardware interrupt (IRQ)            -> irq.c's handler for that line
 *   page fault (user mode, or the kernel -> mm/ resolves it; if it cannot, fault_actions
 *     copying user memory)                  below says what happens: a signal, the
 *                                           out-of-memory killer, -EFAULT, or a panic
 *   other exception in user mode        -> the Linux signal it means, for that process
 *   exception with an extable fix-up    -> one line on the console, resume at the fix-up
 *   any other exception                 -> full report (exception_report.c), then stop
 *
 * A signal for a user process is queued (signal_force) and acts when the process
 * returns to user mode, at the end of trap_dispatch.
 */
#include "trap.h"

#include "exception_report.h"
#include "cpu.h"
#include "extable.h"
#include "idt.h"
#include "irq.h"
#include "lapic.h"
#include "timer.h"
#include "panic.h"
#include "lib/format.h"
#include "printk.h"
#include "mm/fault.h"
#include "mm/kernel_pt.h"
#include "oom.h"
#include "proc.h"
#include "signal.h"
#include "signal_delivery.h"
#include "syscall.h"
#include "x86.h"

static uint64_t counts[NUM_VECTORS];

void trap_init(void)
{
    idt_init();
}

uint64_t trap_count(unsigned vector)
{
    return vector < NUM_VECTORS ? counts[vector] : 0;
}

struct fault_info page_fault_decode(uint64_t error, vaddr_t address)
{
    return (struct fault_info){
        .address = address,
        .access = (error & PF_ERR_FETCH)   ? FAULT_EXECUTE
                  : (error & PF_ERR_WRITE) ? FAULT_WRITE
                                           : FAULT_READ,
        .user_mode = error & PF_ERR_USER,
        .present = error & PF_ERR_PRESENT,
        .reserved_bit = error & PF_ERR_RESERVED,
    };
}

/* A kernel instruction that was allowed to fault did: say so and resume at its
 * fix-up. fault is the decoded page fault, or NULL for other exceptions. */
static bool try_fixup(struct trap_frame *frame, const struct fault_info *fault)
{
    const struct extable_entry *entry = extable_find(frame->rip);
    if (entry == NULL)
        return false;
    frame->rip = entry->fixup_rip;
    if (entry->flags & EXTABLE_ERROR_IN_RAX)
        frame->rax = frame->error_code; /* for probes that want to know how it failed */
    if (entry->flags & EXTABLE_QUIET)
        return true;
    kprintf("trap: %s at ", exception_name(frame->vector));
    exception_print_location(entry->fault_rip);
    if (fault != NULL) {
        char why[160];
        kprintf(": %s at %p", mm_describe_fault(fault, why, sizeof why), (void *)fault->address);
    }
    kprintf(", recovered (fix-up)\n");
    return true;
}

/* A kernel bug showed itself: the full report, then stop. */
static void kernel_bug(const struct trap_frame *frame)
{
    exception_report(frame);
    panic_stop();
}

/* ---- exceptions in user mode: the signal Linux sends ---- */

static const struct {
    int signal, code;
} exception_signals[NUM_EXCEPTIONS] = {
    [VEC_DIVIDE_ERROR] = { SIGFPE, FPE_INTDIV },    [VEC_X87_FPU] = { SIGFPE, SI_KERNEL },
    [VEC_SIMD_FPU] = { SIGFPE, SI_KERNEL },         [VEC_INVALID_OPCODE] = { SIGILL, ILL_ILLOPN },
    [VEC_BREAKPOINT] = { SIGTRAP, SI_KERNEL },      [VEC_DEBUG] = { SIGTRAP, TRAP_TRACE },
    [VEC_ALIGNMENT_CHECK] = { SIGBUS, BUS_ADRALN },
    /* every other one (general protection, ...): SIGSEGV, SI_KERNEL */
};

/* A user program caused an exception other than a page fault: its signal is
 * queued, and acts as the process returns to user mode. */
static void user_exception(const struct trap_frame *frame)
{
    struct forced_signal forced = { SIGSEGV, SI_KERNEL, 0, "" };
    if (exception_signals[frame->vector].signal != 0) {
        forced.signal = exception_signals[frame->vector].signal;
        forced.code = exception_signals[frame->vector].code;
    }
    /* si_addr: the faulting instruction for #DE and #UD, nothing otherwise (Linux) */
    if (frame->vector == VEC_DIVIDE_ERROR || frame->vector == VEC_INVALID_OPCODE ||
        frame->vector == VEC_DEBUG) /* (#DB from user mode: a single step, RFLAGS.TF) */
        forced.address = frame->rip;
    snprintf(forced.reason, sizeof forced.reason, "%s at rip %p", exception_name(frame->vector),
             (void *)frame->rip);
    signal_force(&forced);
}

/* ---- page faults: mm/ resolves, this table says what its answer means ---- */

enum fault_action {
    RESUME,        /* the page is there: the instruction runs again */
    SEND_SIGNAL,   /* the program's mistake: the signal, with its si_code */
    OUT_OF_MEMORY, /* the out-of-memory killer (oom.c) ends the largest process with
                      SIGKILL, then the instruction runs again -- or this process
                      was the one chosen, and dies */
    KERNEL_BUG,    /* the kernel's own tables are wrong: report and stop */
};

static const struct {
    enum fault_action action;
    int signal, code;
} fault_actions[] = {
    [FAULT_RESOLVED] = { RESUME, 0, 0 },
    [FAULT_NO_REGION] = { SEND_SIGNAL, SIGSEGV, SEGV_MAPERR },
    [FAULT_NOT_ALLOWED] = { SEND_SIGNAL, SIGSEGV, SEGV_ACCERR },
    [FAULT_OUT_OF_MEMORY] = { OUT_OF_MEMORY, SIGKILL, SI_KERNEL }, /* via the killer */
    [FAULT_BAD_ENTRY] = { KERNEL_BUG, 0, 0 },
    [FAULT_BEYOND_END] = { SEND_SIGNAL, SIGBUS, BUS_ADRERR },
    [FAULT_IO_ERROR] = { SEND_SIGNAL, SIGBUS, BUS_ADRERR },
};

/* The fault's signal for the current process, with the reason in words. */
static void force_fault_signal(struct trap_frame *frame, const struct fault_info *fault,
                               struct fault_outcome outcome)
{
    struct forced_signal forced = { fault_actions[outcome.result].signal,
                                    fault_actions[outcome.result].code, fault->address, "" };
    if (fault->address >= USER_SPACE_END) {
        /* Linux tells a program nothing about the kernel's half: "no mapping", with
         * the protection bit set in the error code whether a page is there or not */
        forced.code = SEGV_MAPERR;
        frame->error_code |= PF_ERR_PRESENT;
    }
    snprintf(forced.reason, sizeof forced.reason, "page fault at address %p, rip %p: %s",
             (void *)fault->address, (void *)frame->rip, outcome.reason);
    signal_force(&forced);
}

/* SMAP forbids this access to a user page whatever the page's entry says, so
 * "resolving" the fault would only repeat it, forever. Linux checks the same:
 *   - the kernel touched user memory outside stac/clac (RFLAGS.AC clear), e.g. an
 *     exception report reading a stack pointer that points into user space;
 *   - a program was running, yet the CPU reports the access as the kernel's (U/S
 *     clear in the error code): an implicit supervisor access, such as QEMU's
 *     reads of the stack in a far return (lret) or iretq the program executes.
 *     SMAP applies to those whatever AC says. */
static bool smap_forbids(const struct trap_frame *frame, const struct fault_info *fault)
{
    if (fault->user_mode || !kernel_pt_protections().smap)
        return false;
    return trap_from_user(frame) || !(frame->rflags & RFLAGS_AC);
}

/* A page fault in user mode: mm/ answers, the table turns the answer into what
 * happens to the process. Nothing here is noreturn: a signal is queued and acts
 * on the way back to user mode. */
static void user_page_fault(struct trap_frame *frame, const struct fault_info *fault)
{
    struct proc *p = current_proc();
    assert(p != NULL && p->as != NULL, "user page fault at %p with no process",
           (void *)fault->address);
    struct fault_outcome outcome =
        smap_forbids(frame, fault)
            ? (struct fault_outcome){ FAULT_NOT_ALLOWED,
                                      "supervisor-mode access to user memory (SMAP)" }
            : mm_handle_fault(p->as, fault, &p->vm);
    switch (fault_actions[outcome.result].action) {
    case RESUME: return;
    case SEND_SIGNAL:
        vm_totals.kills++;
        p->vm.kills++;
        force_fault_signal(frame, fault, outcome);
        return;
    case OUT_OF_MEMORY:
        /* either memory was freed and the instruction retries, or this process is
         * the victim and its pending SIGKILL ends it on the way out */
        oom_handle(p, fault->address);
        return;
    case KERNEL_BUG:
        kprintf("trap: %s at %p\n", outcome.reason, (void *)fault->address);
        kernel_bug(frame);
    }
}

/* The kernel copying to or from user memory (an instruction with a fix-up, on a
 * user address) meets the same laziness a program does: mm/ resolves it. Out of
 * memory, the killer frees some and the copy retries; if nothing helps, the
 * fix-up makes the copy fail with -EFAULT. True if the copy should retry. */
static bool resolve_uaccess_fault(const struct trap_frame *frame, const struct fault_info *fault)
{
    struct proc *p = current_proc();
    if (p == NULL || p->as == NULL || fault->address >= USER_SPACE_END ||
        extable_find(frame->rip) == NULL || smap_forbids(frame, fault))
        return false;
    struct fault_outcome outcome = mm_handle_fault(p->as, fault, &p->vm);
    if (fault_actions[outcome.result].action == OUT_OF_MEMORY)
        return oom_handle(p, fault->address) == OOM_RETRY;
    return fault_actions[outcome.result].action == RESUME;
}

static void page_fault(struct trap_frame *frame)
{
    struct fault_info fault = page_fault_decode(frame->error_code, read_cr2());
    if (trap_from_user(frame))
        user_page_fault(frame, &fault);
    else if (!resolve_uaccess_fault(frame, &fault) && !try_fixup(frame, &fault))
        kernel_bug(frame);
}

static void handle_exception(struct trap_frame *frame)
{
    if (frame->vector == VEC_PAGE_FAULT)
        page_fault(frame);
    else if (trap_from_user(frame))
        user_exception(frame);
    else if (!try_fixup(frame, NULL))
        kernel_bug(frame);
}

void trap_dispatch(struct trap_frame *frame)
{
    uint64_t vector = frame->vector;
    counts[vector]++;
    if (trap_from_user(frame))
        proc_leave_user(current_proc());
    /* trap_entry.asm cleared AC, whatever the interrupted code had: in ring 0 an
     * AC left set would lift SMAP for the whole handler. */
    assert(!(read_rflags() & RFLAGS_AC), "trap %lu entered with RFLAGS.AC set (rflags %#lx)",
           vector, read_rflags());

    if (vector < NUM_EXCEPTIONS)
        handle_exception(frame);
    else if (vector >= IRQ_BASE_VECTOR && vector < IRQ_BASE_VECTOR + NUM_IRQS)
        irq_dispatch((unsigned)(vector - IRQ_BASE_VECTOR), frame);
    else if (vector == LAPIC_TIMER_VECTOR)
        timer_deadline_interrupt(frame);
    else if (vector == LAPIC_SPURIOUS_VECTOR)
        ; /* the APIC withdrew it: nothing to do, not even an end of interrupt */
    else
        kprintf("trap: unexpected interrupt vector %lu ignored\n", vector);
    if (trap_from_user(frame))
        return_to_user_work(frame); /* a signal to act on, or the end of its turn */
}
