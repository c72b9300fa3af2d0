; The first code at the kernel's linked (higher-half) address:
;   1. drop the identity map, so that a stray low pointer such as NULL faults from
;      now on, and point GDTR at the higher-half alias of the boot GDT;
;   2. clear .bss, switch to the kernel's boot stack, call kmain(magic, mbi).

%include "boot/layout.inc"

extern kmain
extern boot_magic, boot_mbi, boot_pml4, boot_gdt_pointer_high
extern __bss_start, __bss_end

section .text
global higher_half_entry
higher_half_entry:
    lgdt [boot_gdt_pointer_high]
    mov rax, boot_pml4 + KERNEL_VMA         ; PML4[0] = 0: no more identity map
    mov qword [rax], 0
    mov rax, cr3                            ; reloading CR3 flushes the TLB
    mov cr3, rax

    mov rdi, __bss_start                    ; clear .bss (8 bytes at a time)
    mov rcx, __bss_end
    sub rcx, rdi
    shr rcx, 3
    xor eax, eax
    rep stosq

    mov rsp, boot_stack_top
    mov edi, [boot_magic + KERNEL_VMA]      ; kmain(magic, mbi physical address)
    mov esi, [boot_mbi + KERNEL_VMA]
    ; kmain never returns, so it is entered as the outermost frame: frame pointer 0
    ; and return address 0, where both our backtraces and gdb's stop.
    xor ebp, ebp
    push 0
    jmp kmain

section .bss
alignb 4096
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    resb BOOT_STACK_SIZE
boot_stack_top:
