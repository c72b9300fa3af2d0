; crt0.asm — where every user program starts: _start, then main, then exit_group.
;
; The kernel (ours or Linux) enters _start with nothing but a stack. Following the
; System V x86-64 ABI, rsp points at argc, and above it lie the arguments and the
; environment as arrays of pointers, each ending with a NULL pointer:
;
;     high addresses
;         ... the strings themselves ("/bin/hello\0", "X=1\0", ...)
;         auxiliary vector: (type, value) pairs, ending with type 0 (AT_NULL)
;         NULL
;         envp[n-1] ... envp[0]
;         NULL                        <- argv[argc]
;         argv[argc-1] ... argv[0]    <- argv = rsp + 8
;         argc                        <- rsp (16-byte aligned)
;     low addresses
;
; We hand argc, argv and envp to main(argc, argv, envp) in rdi, rsi and rdx, and
; pass main's return value to exit_group (system call 231), which ends the process.

        bits 64
        default rel

        section .text
        global _start
        extern main
        extern environ

_start:
        xor ebp, ebp                    ; the outermost frame: backtraces stop at rbp = 0
        mov rdi, [rsp]                  ; argc
        lea rsi, [rsp + 8]              ; argv
        lea rdx, [rsi + rdi*8 + 8]      ; envp = argv + argc + 1 (skip argv's NULL)
        mov [environ], rdx              ; for getenv()
        and rsp, -16                    ; calls need a 16-byte aligned stack (SSE)
        call main
        mov edi, eax                    ; main's return value is the exit status
        mov eax, 231                    ; exit_group
        syscall
        ud2                             ; exit_group does not return

; This object needs no executable stack (tells the linker so).
        section .note.GNU-stack noalloc noexec nowrite progbits
