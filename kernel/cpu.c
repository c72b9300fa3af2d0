/*
 * cpu.c — per-CPU data and the FPU/SSE set-up.
 *
 * The kernel itself never touches FPU or SSE registers (-mgeneral-regs-only), but
 * user programs do (compilers use SSE for copies and floating point). CR4.OSFXSR
 * tells the CPU the kernel saves that state (with fxsave/fxrstor at each context
 * switch); without it every SSE instruction in user mode would raise #UD.
 */
#include "cpu.h"

#include <stddef.h>

#include "x86.h"

#define CR0_MP         (1ul << 1)  /* monitor coprocessor */
#define CR0_EM         (1ul << 2)  /* emulate: no FPU (must be clear) */
#define CR0_TS         (1ul << 3)  /* task switched */
#define CR0_AM         (1ul << 18) /* alignment mask: a program that sets RFLAGS.AC gets #AC */
#define CR4_OSFXSR     (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)

struct cpu the_cpu;

static uint8_t initial_fpu_state[512] __attribute__((aligned(16)));

_Static_assert(offsetof(struct cpu, kernel_rsp) == 8, "keep kernel/cpu.inc in step");
_Static_assert(offsetof(struct cpu, user_rsp) == 16, "keep kernel/cpu.inc in step");

void cpu_init(void)
{
    the_cpu.self = &the_cpu;
    wrmsr(MSR_GS_BASE, (uint64_t)&the_cpu); /* kernel GS: this struct */
    wrmsr(MSR_KERNEL_GS_BASE, 0);           /* user GS, swapped in on the way out */

    /* CR0.AM as on Linux: alignment checking is then the program's own choice
     * (RFLAGS.AC, which ring 3 may set); it never applies in ring 0. */
    write_cr0((read_cr0() | CR0_MP | CR0_AM) & ~(CR0_EM | CR0_TS));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit\n"
                     "fxsave %0\n"
                     : "=m"(initial_fpu_state));
}

const uint8_t *cpu_initial_fpu_state(void)
{
    return initial_fpu_state;
}
