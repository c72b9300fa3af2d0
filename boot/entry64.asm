; 64-bit entry, still at the low (identity-mapped) address where GRUB loaded us:
; load the data segments and jump to the higher half (boot/higher_half.asm).
; (Each boot file holds code in one section only: gdb cannot follow NASM's line
; information for a file whose code spans two sections.)

%include "boot/layout.inc"

extern higher_half_entry

section .boot.text progbits alloc exec nowrite align=16
bits 64

global boot_long_mode_entry
boot_long_mode_entry:
    mov ax, BOOT_DATA_SEL
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rax, higher_half_entry              ; a 64-bit absolute address
    jmp rax

