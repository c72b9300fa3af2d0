; context_switch.asm — switching from one kernel stack to another.
;
; void context_switch(uint64_t *save_rsp, uint64_t load_rsp)
;
; Called by schedule() in the process giving up the CPU. The C calling convention
; says only RBX, RBP and R12-R15 must survive a call, so those are all we save: we
; push them on the current kernel stack, store RSP in *save_rsp, load the other
; process's RSP and pop its registers. The `ret` then returns into *its* call of
; context_switch: from the caller's point of view, the call simply took a while.
; A new process starts with a stack prepared to "return" into proc_first_return.

extern trap_return
extern clone_first_run

section .text
bits 64

global context_switch
context_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; The first time a process runs: its stack holds only its user registers (a
; struct trap_frame), which trap_return restores before `iretq` to user mode.
; First, in its own memory, what clone asked of the child (kernel/clone.h); the
; frame's size is a multiple of 16, so RSP is aligned for the call.
global proc_first_return
proc_first_return:
    call clone_first_run
    jmp trap_return

; The first time a kernel thread runs (kernel/kthread.c): its body is in R12.
; It never returns; if it did, ud2 stops the kernel at once.
global kthread_entry
kthread_entry:
    call r12
    ud2
