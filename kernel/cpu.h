/*
 * cpu.h — per-CPU state, and the CPU features processes need.
 *
 * The entry code finds the running process's kernel stack through the GS segment
 * base: in the kernel, GS points at `struct cpu`; in user mode it holds the user's
 * value, and `swapgs` exchanges the two on every kernel entry and exit (the other
 * value waits in the KERNEL_GS_BASE MSR). There is one CPU.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdint.h>

struct proc;

struct cpu {
    struct cpu *self;     /* gs:0 */
    uint64_t kernel_rsp;  /* gs:8  the current process's kernel stack top (syscall entry) */
    uint64_t user_rsp;    /* gs:16 scratch: the user RSP while switching stacks */
    struct proc *current; /* the process running on this CPU */
};

extern struct cpu the_cpu;

/* GS base, SSE for user programs (CR4.OSFXSR), the initial FPU state. */
void cpu_init(void);

/* The FPU/SSE register image a new process starts with (512 bytes, fxsave format). */
const uint8_t *cpu_initial_fpu_state(void);

static inline struct proc *current_proc(void)
{
    return the_cpu.current;
}

#endif
