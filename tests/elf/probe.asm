; probe.asm — the program inside every ELF file that tests/elf/elfgen makes.
;
; It reports on fd 1 what execve built for it, so that the same file run on
; Linux and on vmlab can be compared byte for byte (tests/boot/elf-fuzz.sh):
;
;   run                                       it started
;   aux phdr=... phent=... phnum=... entry=...  from the auxiliary vector (hex;
;                                             addresses minus the load bias)
;   p03 0000000000408000 r 00112233...eeff w  probe 3 (its address): its 16
;   p04 0000000000409000 - -                  bytes, readable, writable; probe 4:
;                                             neither
;   brk +                                     brk() grew the heap by two pages
;   fork +                                    a forked child exited with 0 (the
;                                             kernel checks its memory when it
;                                             reaps the child, with us alive)
;
; then exits with the status the generator chose. Whether a probe address is
; readable or writable is asked of the kernel, so that a bad address gives an
; error instead of a crash:
;   readable:  rt_sigprocmask(SIG_BLOCK, address, NULL) reads 8 bytes there
;              (-EFAULT if it cannot); the mask is cleared again right after,
;              and only then are the 16 bytes loaded and printed;
;   writable:  rt_sigprocmask(SIG_BLOCK, NULL, address) stores the old mask
;              (8 zero bytes) there, or fails with -EFAULT.
;
; The generator appends a table right after this code (the label `table`):
;   u64  the link-time address of the table (the load bias is where the table
;        really is minus this: 0 for ET_EXEC files)
;   u64  the exit status
;   u64  the number of probes, then one u64 link-time address per probe
; Assembled with `nasm -f bin`: every reference is RIP-relative, so the code
; runs wherever the generator places it.
bits 64
default rel

SYS_WRITE          equ 1
SYS_BRK            equ 12
SYS_RT_SIGPROCMASK equ 14
SYS_FORK           equ 57
SYS_WAIT4          equ 61
SYS_EXIT_GROUP     equ 231
SIG_BLOCK          equ 0
SIG_SETMASK        equ 2
SIGSET_BYTES       equ 8
EFAULT             equ 14
PROBE_BYTES        equ 16
BRK_GROWTH         equ 0x2000
LINE_BUFFER        equ 256
STDOUT             equ 1
AT_NULL            equ 0
AT_PHDR            equ 3
AT_PHENT           equ 4
AT_PHNUM           equ 5
AT_ENTRY           equ 9
TABLE_LINK_ADDRESS equ 0
TABLE_EXIT_STATUS  equ 8
TABLE_PROBE_COUNT  equ 16
TABLE_PROBES       equ 24

; Registers kept for the whole run:
;   rbx  the table            r14  the load bias
;   rbp  the line buffer      r13  the end of the line so far
;   r15  the initial stack pointer (argc, argv, envp, auxv)

start:
    mov r15, rsp
    sub rsp, LINE_BUFFER
    mov rbp, rsp
    mov r13, rbp
    lea rbx, [table]
    mov r14, rbx
    sub r14, [rbx + TABLE_LINK_ADDRESS]

    lea rsi, [text_run]
    call emit_string
    call flush
    call report_auxv

    xor r12d, r12d
.next_probe:
    cmp r12, [rbx + TABLE_PROBE_COUNT]
    jae .probes_done
    mov rdi, r12
    mov rsi, [rbx + TABLE_PROBES + 8 * r12]
    add rsi, r14
    call probe
    inc r12
    jmp .next_probe
.probes_done:
    call report_brk
    call report_fork
    mov rdi, [rbx + TABLE_EXIT_STATUS]
    mov eax, SYS_EXIT_GROUP
    syscall
    ud2

; ---- the auxiliary vector: "aux phdr=... phent=... phnum=... entry=..." ----
report_auxv:
    mov rsi, r15
    mov rax, [rsi]              ; argc
    lea rsi, [rsi + 8 * rax + 16] ; past argc, argv[] and its NULL
.skip_env:
    lodsq                       ; envp[i], up to and including its NULL
    test rax, rax
    jnz .skip_env
    xor r8d, r8d                ; AT_PHDR
    xor r9d, r9d                ; AT_PHENT
    xor r10d, r10d              ; AT_PHNUM
    xor r11d, r11d              ; AT_ENTRY
.next_entry:
    lodsq                       ; the type
    mov rdx, rax
    lodsq                       ; the value
    cmp rdx, AT_NULL
    je .emit
    cmp rdx, AT_PHDR
    cmove r8, rax
    cmp rdx, AT_PHENT
    cmove r9, rax
    cmp rdx, AT_PHNUM
    cmove r10, rax
    cmp rdx, AT_ENTRY
    cmove r11, rax
    jmp .next_entry
.emit:
    push r11
    push r10
    push r9
    push r8
    lea rsi, [text_phdr]
    call emit_string
    pop rax
    sub rax, r14
    call emit_hex64
    lea rsi, [text_phent]
    call emit_string
    pop rax
    call emit_hex64
    lea rsi, [text_phnum]
    call emit_string
    pop rax
    call emit_hex64
    lea rsi, [text_entry]
    call emit_string
    pop rax
    sub rax, r14
    call emit_hex64
    jmp flush

; ---- one probe: rdi = its number, rsi = its address ----
probe:
    push r12
    mov r12, rsi
    mov al, 'p'
    call emit_char
    mov rax, rdi
    call emit_hex8
    mov al, ' '
    call emit_char
    mov rax, r12
    sub rax, r14
    call emit_hex64
    mov al, ' '
    call emit_char

    mov eax, SYS_RT_SIGPROCMASK ; readable? the kernel reads the set from there
    mov edi, SIG_BLOCK
    mov rsi, r12
    xor edx, edx
    mov r10d, SIGSET_BYTES
    syscall
    push rax
    call clear_signal_mask
    pop rax
    test rax, rax
    jnz .not_readable
    mov al, 'r'
    call emit_char
    mov al, ' '
    call emit_char
    xor ecx, ecx
.next_byte:
    mov al, [r12 + rcx]
    push rcx
    call emit_hex8
    pop rcx
    inc ecx
    cmp ecx, PROBE_BYTES
    jb .next_byte
    jmp .writable
.not_readable:
    call emit_error_mark

.writable:
    mov al, ' '
    call emit_char
    mov eax, SYS_RT_SIGPROCMASK ; writable? the kernel stores the old set there
    mov edi, SIG_BLOCK
    xor esi, esi
    mov rdx, r12
    mov r10d, SIGSET_BYTES
    syscall
    test rax, rax
    jnz .not_writable
    mov al, 'w'
    call emit_char
    jmp .done
.not_writable:
    call emit_error_mark
.done:
    pop r12
    jmp flush

; '-' for -EFAULT, '?' for any other failure (rax = the result).
emit_error_mark:
    cmp rax, -EFAULT
    mov al, '-'
    je emit_char
    mov al, '?'
    jmp emit_char

; rt_sigprocmask(SIG_SETMASK, {0}, NULL): nothing blocked again.
clear_signal_mask:
    push 0
    mov eax, SYS_RT_SIGPROCMASK
    mov edi, SIG_SETMASK
    mov rsi, rsp
    xor edx, edx
    mov r10d, SIGSET_BYTES
    syscall
    pop rax
    ret

; ---- the heap: "brk +" if brk(current + BRK_GROWTH) moved the break ----
report_brk:
    lea rsi, [text_brk]
    call emit_string
    mov eax, SYS_BRK
    xor edi, edi
    syscall
    lea rdi, [rax + BRK_GROWTH]
    push rdi
    mov eax, SYS_BRK
    syscall
    pop rdi
    cmp rax, rdi
    mov al, '+'
    je .emit
    mov al, '-'
.emit:
    call emit_char
    jmp flush

; ---- fork: "fork +" if a child was made and exited with status 0 ----
report_fork:
    lea rsi, [text_fork]
    call emit_string
    mov eax, SYS_FORK
    syscall
    test rax, rax
    jnz .parent
    xor edi, edi                ; the child ends at once
    mov eax, SYS_EXIT_GROUP
    syscall
.parent:
    js .failed
    push 0                      ; the wait status (an int: the upper half stays 0)
    mov rdi, rax
    mov rsi, rsp
    xor edx, edx
    xor r10d, r10d
    mov eax, SYS_WAIT4
    syscall
    pop rdx
    cmp rax, 0
    jle .failed
    test rdx, rdx
    jnz .failed
    mov al, '+'
    jmp .emit
.failed:
    mov al, '-'
.emit:
    call emit_char
    jmp flush

; ---- the line buffer ----
emit_char:                      ; al
    mov [r13], al
    inc r13
    ret

emit_string:                    ; rsi: a NUL-terminated string
    lodsb
    test al, al
    jz .end
    call emit_char
    jmp emit_string
.end:
    ret

emit_hex8:                      ; al, as two hex digits
    push rax
    shr al, 4
    call emit_digit
    pop rax
    jmp emit_digit

emit_hex64:                     ; rax, as sixteen hex digits
    mov ecx, 16
.next:
    rol rax, 4
    push rax
    push rcx
    call emit_digit
    pop rcx
    pop rax
    dec ecx
    jnz .next
    ret

emit_digit:                     ; the low four bits of al
    and al, 0xf
    add al, '0'
    cmp al, '9'
    jbe emit_char
    add al, 'a' - '9' - 1
    jmp emit_char

flush:                          ; end the line and write it out
    mov al, 10
    call emit_char
    mov eax, SYS_WRITE
    mov edi, STDOUT
    mov rsi, rbp
    mov rdx, r13
    sub rdx, rbp
    syscall
    mov r13, rbp
    ret

text_run:   db "run", 0
text_phdr:  db "aux phdr=", 0
text_phent: db " phent=", 0
text_phnum: db " phnum=", 0
text_entry: db " entry=", 0
text_brk:   db "brk ", 0
text_fork:  db "fork ", 0

align 8, db 0
table:
