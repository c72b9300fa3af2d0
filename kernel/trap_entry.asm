; trap_entry.asm — the first instructions run on every interrupt and exception.
;
; The CPU pushes SS, RSP, RFLAGS, CS, RIP (and, for some exceptions, an error code)
; and jumps to the IDT's handler for the vector. There is one small stub per
; vector: it pushes a zero error code when the CPU did not push one, so that every
; frame has the same shape, pushes its vector number, and jumps to trap_common,
; which saves all general registers and calls trap_dispatch(struct trap_frame *).
; The layout must match struct trap_frame in kernel/trap.h.
;
; Coming from user mode, the GS base still holds the user's value: `swapgs`
; exchanges it with the kernel's (struct cpu) on the way in, and back on the way
; out, so that inside the kernel GS always means the per-CPU data.

%include "kernel/trap_frame.inc"

extern trap_dispatch

section .text
bits 64

; Exceptions for which the CPU pushes an error code (Intel SDM vol. 3, table 6-1).
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%assign vector 0
%rep 256
align 16
trap_stub_ %+ vector:
%if HAS_ERROR_CODE(vector) == 0
    push 0                          ; no error code from the CPU: push a dummy one
%endif
    push vector
    jmp trap_common
%assign vector vector + 1
%endrep

global trap_common
trap_common:
    test qword [rsp + 24], 3        ; the interrupted CS (after vector, error, RIP)
    jz .from_kernel
    swapgs
.from_kernel:
    SAVE_GENERAL_REGISTERS
    ; A frame record (interrupted RIP, interrupted RBP) so that backtraces walk
    ; from the handler through to the function that was interrupted.
    push qword [rsp + 17 * 8]       ; the RIP the CPU saved (after 15 regs + vector + error)
    push rbp
    mov rbp, rsp
    lea rdi, [rsp + 16]             ; struct trap_frame *
    cld                             ; the C ABI expects the direction flag clear
    pushfq                          ; and RFLAGS.AC clear: a program may set it, and
    and qword [rsp], ~(1 << 18)     ; with AC set SMAP lets the kernel touch user
    popfq                           ; memory anywhere (clac needs SMAP; this does not)
    call trap_dispatch
    add rsp, 16                     ; drop the frame record

; Restore a struct trap_frame at RSP and return to where it says (also the way a
; system call returns, and the way a new process first enters user mode).
global trap_return
trap_return:
    cli                             ; no interrupt between swapgs and iretq
    RESTORE_GENERAL_REGISTERS
    add rsp, 16                     ; vector and error code
    test qword [rsp + 8], 3         ; returning to user mode?
    jz .to_kernel
    swapgs
.to_kernel:
    iretq

section .rodata
align 8
global trap_stub_table              ; read by kernel/idt.c
trap_stub_table:
%assign vector 0
%rep 256
    dq trap_stub_ %+ vector
%assign vector vector + 1
%endrep
