; syscall_entry.asm — where the `syscall` instruction lands (MSR LSTAR).
;
; `syscall` is a fast way into the kernel: the CPU loads CS/SS from MSR STAR, puts
; the user RIP in RCX and RFLAGS in R11, clears the RFLAGS bits in MSR FMASK
; (interrupts off), and jumps here -- still on the USER stack. So the first steps
; are: swapgs to reach the per-CPU data, save the user RSP there, load the kernel
; stack of the running process. Then we build the same struct trap_frame an
; interrupt would (kernel/trap.h), so that one return path (trap_return, iretq)
; serves both.

%include "kernel/cpu.inc"
%include "kernel/trap_frame.inc"

extern syscall_dispatch
extern trap_return

USER_DATA_SELECTOR equ 0x20 | 3
USER_CODE_SELECTOR equ 0x28 | 3
SYSCALL_VECTOR     equ 0x80             ; a vector no interrupt uses, to mark the frame

section .text
bits 64

global syscall_entry
syscall_entry:
    swapgs
    mov [gs:CPU_USER_RSP], rsp
    mov rsp, [gs:CPU_KERNEL_RSP]
    push USER_DATA_SELECTOR             ; SS
    push qword [gs:CPU_USER_RSP]        ; RSP
    push r11                            ; RFLAGS
    push USER_CODE_SELECTOR             ; CS
    push rcx                            ; RIP
    push 0                              ; error code
    push SYSCALL_VECTOR
    SAVE_GENERAL_REGISTERS              ; RAX holds the system call number
    push rcx                            ; frame record, as in trap_common
    push rbp
    mov rbp, rsp
    lea rdi, [rsp + 16]                 ; struct trap_frame *
    call syscall_dispatch
    add rsp, 16
    jmp trap_return
