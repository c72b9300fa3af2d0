; vfork.asm — sys_vfork(), which cannot be written in C.
;
; After vfork the child runs on the parent's stack while the parent waits. When the
; child returns from sys_vfork, `ret` pops the return address off that shared stack;
; the child's next call (execve) pushes its own return address into the very same
; slot. When the parent later resumes and returns from sys_vfork, that slot no longer
; holds its return address. So, as C libraries do, we take the return address off
; the stack into a register BEFORE the system call: registers are per process, the
; kernel saves and restores each one's own. Both then push it back and return.
;
; rdx is free to use: it is not an argument of vfork, the ABI lets a function destroy
; it, and `syscall` preserves it (only rcx and r11 are overwritten).

        bits 64

        section .text
        global sys_vfork

sys_vfork:
        pop rdx                         ; our return address, safe in a register
        mov eax, 58                     ; vfork
        syscall                         ; rax = child's pid (parent), 0 (child) or -errno
        push rdx
        ret

        section .note.GNU-stack noalloc noexec nowrite progbits
