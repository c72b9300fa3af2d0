; 32-bit entry: from GRUB's protected mode to 64-bit long mode.
;
; GRUB jumps to _start with paging off, interrupts off, flat 4 GiB segments and
;   EAX = multiboot2 magic (0x36d76289), EBX = physical address of the boot info.
; Steps, in order:
;   1. check the magic (were we booted by multiboot2?) and that the CPU can run
;      64-bit code with NX; otherwise print why on COM1 and VGA, and halt;
;   2. build temporary 4-level page tables (boot_page_tables below);
;   3. CR4.PAE, CR3, EFER.LME + EFER.NXE, CR0.PG: long mode is now active,
;      still running 32-bit "compatibility mode" code;
;   4. load a GDT with a 64-bit code segment and far-jump into it (entry64.asm).
; No C runs before kmain, so everything here is plain assembly.

%include "boot/layout.inc"

CPUID_EXT_MAX       equ 0x80000000
CPUID_EXT_FEATURES  equ 0x80000001
CPUID_EXT_LM_BIT    equ 29                  ; EDX: long mode
CPUID_EXT_NX_BIT    equ 20                  ; EDX: no-execute pages
EFLAGS_ID           equ 1 << 21             ; writable only if CPUID exists

CR0_PG              equ 1 << 31
CR4_PAE             equ 1 << 5
MSR_EFER            equ 0xc0000080
EFER_LME            equ 1 << 8
EFER_NXE            equ 1 << 11

PTE_PRESENT         equ 1 << 0
PTE_WRITABLE        equ 1 << 1
PTE_HUGE            equ 1 << 7              ; in a PD entry: maps a 2 MiB page
EARLY_MAP_GIB       equ 4                   ; the first 4 GiB are mapped at boot

COM1                equ 0x3f8
VGA_TEXT            equ 0xb8000
VGA_RED_ON_WHITE    equ 0x4f                ; attribute: white text, red background

extern boot_long_mode_entry                 ; entry64.asm

section .boot.text progbits alloc exec nowrite align=16
bits 32

global _start
_start:
    cli
    mov esp, boot_stack32_top
    mov [boot_magic], eax                   ; kept for kmain
    mov [boot_mbi], ebx

    call serial_init32
    cmp eax, MB2_BOOT_MAGIC
    jne .wrong_magic
    call check_long_mode                    ; returns only if the CPU is fit
    call build_page_tables
    call enable_long_mode
    lgdt [boot_gdt_pointer]
    jmp BOOT_CODE64_SEL:boot_long_mode_entry

.wrong_magic:
    mov esi, msg_magic_1
    call print32
    mov eax, [boot_magic]
    call print_hex32
    mov esi, msg_magic_2
    call print32
    jmp halt32

; check_long_mode: CPUID must exist and report long mode and NX; returns if so,
; otherwise prints which is missing and halts. (Setting EFER.NXE on a CPU without
; NX would raise #GP, which with no IDT becomes a silent triple fault.)
check_long_mode:
    pushfd                                  ; CPUID exists iff EFLAGS.ID can flip
    pop eax
    mov ecx, eax
    xor eax, EFLAGS_ID
    push eax
    popfd
    pushfd
    pop eax
    push ecx                                ; restore the original flags
    popfd
    cmp eax, ecx
    je .no_cpuid

    mov eax, CPUID_EXT_MAX                  ; are the extended leaves there at all?
    cpuid
    cmp eax, CPUID_EXT_FEATURES
    jb .no_long_mode

    mov eax, CPUID_EXT_FEATURES
    cpuid
    bt edx, CPUID_EXT_LM_BIT
    jnc .no_long_mode
    bt edx, CPUID_EXT_NX_BIT
    jnc .no_nx
    ret
.no_cpuid:
    mov esi, msg_no_cpuid
    jmp .fail
.no_long_mode:
    mov esi, msg_no_long_mode
    jmp .fail
.no_nx:
    mov esi, msg_no_nx
.fail:
    call print32
    jmp halt32

; build_page_tables: the temporary tables the kernel runs on until mm/ builds its own.
;   the first 4 GiB of physical memory, with 2 MiB pages, appear three times:
;     PML4[0]   -> identity map (the code running right now needs it; dropped in entry64)
;     PML4[256] -> DIRECT_MAP_BASE + phys      (0xffff800000000000)
;     PML4[511] -> KERNEL_VMA + phys, first GiB (0xffffffff80000000, PDPT[510])
build_page_tables:
    mov edi, boot_pml4                      ; start from all-zero (not present) tables
    mov ecx, (boot_page_tables_end - boot_pml4) / 4
    xor eax, eax
    rep stosd
    mov eax, boot_pdpt_low + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pml4 + 0 * 8], eax
    mov [boot_pml4 + 256 * 8], eax
    mov eax, boot_pdpt_high + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pml4 + 511 * 8], eax

    mov ecx, 0                              ; PDPT_low[i] -> PD i (i = 0..3)
.pdpt_loop:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pds + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pdpt_low + ecx * 8], eax
    inc ecx
    cmp ecx, EARLY_MAP_GIB
    jne .pdpt_loop

    mov eax, boot_pds + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pdpt_high + 510 * 8], eax     ; -2 GiB -> physical 0..1 GiB

    mov ecx, 0                              ; PD entry n maps n * 2 MiB
.pd_loop:
    mov eax, ecx
    shl eax, 21                             ; low 32 bits of n * 2 MiB
    or eax, PTE_PRESENT + PTE_WRITABLE + PTE_HUGE
    mov edx, ecx
    shr edx, 11                             ; high 32 bits (n * 2 MiB >= 4 GiB)
    mov [boot_pds + ecx * 8], eax
    mov [boot_pds + ecx * 8 + 4], edx
    inc ecx
    cmp ecx, EARLY_MAP_GIB * 512
    jne .pd_loop
    ret

; enable_long_mode: PAE paging with our tables, long mode and NX enabled.
enable_long_mode:
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME | EFER_NXE
    wrmsr
    mov eax, cr0
    or eax, CR0_PG                          ; paging on: long mode is now active
    mov cr0, eax
    ret

; ---- early output, usable before anything else works ----

serial_init32:                              ; COM1: 115200 baud, 8N1, FIFO on
    push eax
    push edx
    mov dx, COM1 + 1
    mov al, 0
    out dx, al                              ; no interrupts
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al                              ; divisor latch access
    mov dx, COM1 + 0
    mov al, 1
    out dx, al                              ; divisor 1 = 115200 baud
    mov dx, COM1 + 1
    mov al, 0
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x03
    out dx, al                              ; 8 bits, no parity, 1 stop bit
    mov dx, COM1 + 2
    mov al, 0xc7
    out dx, al                              ; FIFO enabled and cleared
    pop edx
    pop eax
    ret

; putc32: AL to COM1 (waiting for the transmitter) and to the VGA cursor.
putc32:
    push edx
    push eax
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20                           ; line status: transmit holding empty
    jz .wait
    pop eax
    mov dx, COM1
    out dx, al
    cmp al, 10
    je .done                                ; VGA: newline is not drawn
    mov edx, [vga_cursor32]
    mov [edx], al
    mov byte [edx + 1], VGA_RED_ON_WHITE
    add dword [vga_cursor32], 2
.done:
    pop edx
    ret

print32:                                    ; ESI = zero-terminated string
    push eax
.next:
    lodsb
    test al, al
    jz .end
    call putc32
    jmp .next
.end:
    pop eax
    ret

print_hex32:                                ; EAX as 0x + 8 hex digits
    push ecx
    push ebx
    mov ebx, eax
    mov al, '0'
    call putc32
    mov al, 'x'
    call putc32
    mov ecx, 8
.digit:
    rol ebx, 4
    mov al, bl
    and al, 0x0f
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '0' - 10
.out:
    call putc32
    loop .digit
    pop ebx
    pop ecx
    ret

halt32:
    cli
    hlt
    jmp halt32

section .boot.data progbits alloc noexec write align=16
msg_magic_1:
    db 10, "boot: not started by a multiboot2 boot loader: EAX = ", 0
msg_magic_2:
    db ", expected 0x36d76289.", 10
    db "boot: use `multiboot2` (not `multiboot`) in grub.cfg. Halted.", 10, 0
msg_no_cpuid:
    db 10, "boot: this CPU has no CPUID instruction; a 64-bit x86 CPU is needed. Halted.", 10, 0
msg_no_long_mode:
    db 10, "boot: this CPU does not support 64-bit long mode (CPUID 0x80000001 EDX bit 29).", 10
    db "boot: run QEMU with -cpu max (or qemu64). Halted.", 10, 0
msg_no_nx:
    db 10, "boot: this CPU lacks the NX (no-execute) page bit (CPUID 0x80000001 EDX bit 20).", 10
    db "boot: run QEMU with -cpu max. Halted.", 10, 0

align 4
vga_cursor32:   dd VGA_TEXT

global boot_magic, boot_mbi
boot_magic:     dd 0
boot_mbi:       dd 0

; The boot GDT: null, 64-bit kernel code, kernel data. kernel/gdt.c replaces it.
align 16
global boot_gdt
boot_gdt:
    dq 0
    dq 0x00af9a000000ffff                   ; code: present, ring 0, executable, L=1
    dq 0x00cf92000000ffff                   ; data: present, ring 0, writable
boot_gdt_end:
boot_gdt_pointer:                           ; for lgdt in 32-bit mode (physical base)
    dw boot_gdt_end - boot_gdt - 1
    dd boot_gdt
global boot_gdt_pointer_high
boot_gdt_pointer_high:                      ; the same GDT through the higher half
    dw boot_gdt_end - boot_gdt - 1
    dq boot_gdt + KERNEL_VMA

section .boot.bss nobits alloc noexec write align=4096
alignb 4096
global boot_pml4
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096
boot_pdpt_high: resb 4096
boot_pds:       resb 4096 * EARLY_MAP_GIB
boot_page_tables_end:
boot_stack32:   resb 4096
boot_stack32_top:
