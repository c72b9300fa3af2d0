/*
 * ktest_trap.c — the exception path: a deliberate breakpoint, invalid opcode,
 * page fault and general-protection fault are each caught by the trap handler,
 * reported, and survived through an exception-table fix-up (kernel/extable.h);
 * and the timer interrupt keeps ticking.
 *
 * Each probe below is a faulting instruction followed by two ways on:
 *   - fall through (what happens if the handler just returned): resumed stays 0;
 *   - the fix-up label, listed in .extable for the faulting RIP: resumed = 1.
 * So resumed == 1 proves the handler ran and chose the fix-up.
 */
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

/* int3 is a trap: the CPU reports the RIP *after* the instruction (label 1). */
static int probe_breakpoint(void)
{
    int resumed = 0;
    __asm__ volatile("int3\n"
                     "1: jmp 3f\n"
                     "2: movl $1, %0\n"
                     "3:\n"
                     ".pushsection .extable, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 2b, 0\n" /* EXTABLE_REPORT */
                     ".popsection\n"
                     : "+r"(resumed));
    return resumed;
}

/* ud2 is a fault: the CPU reports the RIP *of* the instruction (label 1). */
static int probe_invalid_opcode(void)
{
    int resumed = 0;
    __asm__ volatile("1: ud2\n"
                     "   jmp 3f\n"
                     "2: movl $1, %0\n"
                     "3:\n"
                     ".pushsection .extable, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 2b, 0\n" /* EXTABLE_REPORT */
                     ".popsection\n"
                     : "+r"(resumed));
    return resumed;
}

KTEST(trap_breakpoint_caught_and_survived)
{
    uint64_t before = trap_count(VEC_BREAKPOINT);
    KEXPECT(probe_breakpoint() == 1, "int3 did not resume at its fix-up");
    KEXPECT_EQ(trap_count(VEC_BREAKPOINT) - before, 1);
}

KTEST(trap_invalid_opcode_caught_and_survived)
{
    uint64_t before = trap_count(VEC_INVALID_OPCODE);
    KEXPECT(probe_invalid_opcode() == 1, "ud2 did not resume at its fix-up");
    KEXPECT_EQ(trap_count(VEC_INVALID_OPCODE) - before, 1);
}

KTEST(trap_page_fault_on_unmapped_read_is_recovered)
{
    /* page 0 has been unmapped since boot/entry64.asm dropped the identity map */
    uint64_t before = trap_count(VEC_PAGE_FAULT), value = 0x1234;
    KEXPECT(!read_u64_nofault(0x1000, &value), "reading 0x1000 did not fault");
    KEXPECT_EQ(value, 0x1234); /* left alone on failure */
    KEXPECT_EQ(trap_count(VEC_PAGE_FAULT) - before, 1);
}

KTEST(trap_non_canonical_read_is_general_protection)
{
    /* bits 63..47 must all be equal; this address breaks that rule, which the
     * CPU reports as #GP, not as a page fault */
    uint64_t before = trap_count(VEC_GENERAL_PROTECTION), value;
    KEXPECT(!read_u64_nofault(0x8000000000000000ull, &value), "non-canonical read succeeded");
    KEXPECT_EQ(trap_count(VEC_GENERAL_PROTECTION) - before, 1);
}

KTEST(trap_nofault_read_of_mapped_memory_succeeds)
{
    static const uint64_t known = 0x1122334455667788ull;
    uint64_t value = 0, before = trap_count(VEC_PAGE_FAULT);
    KEXPECT(read_u64_nofault((uint64_t)&known, &value), "reading a kernel variable faulted");
    KEXPECT_EQ(value, known);
    KEXPECT_EQ(trap_count(VEC_PAGE_FAULT), before);
}

/* Generous bound for "the timer is dead": billions of TSC cycles are seconds. */
#define TIMER_WAIT_TSC_CYCLES 20000000000ull

KTEST(trap_timer_ticks_with_interrupts_on)
{
    KEXPECT(read_rflags() & RFLAGS_IF, "interrupts are off during tests");
    uint64_t start_ticks = timer_ticks(), start_tsc = rdtsc();
    while (timer_ticks() < start_ticks + 3 && rdtsc() - start_tsc < TIMER_WAIT_TSC_CYCLES)
        __asm__ volatile("pause");
    KEXPECT(timer_ticks() >= start_ticks + 3, "only %lu ticks", timer_ticks() - start_ticks);
    KEXPECT(trap_count(IRQ_BASE_VECTOR) >= timer_ticks(), "vector 32 taken %lu times, %lu ticks",
            trap_count(IRQ_BASE_VECTOR), timer_ticks());
}
