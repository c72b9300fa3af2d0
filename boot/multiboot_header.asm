; The multiboot2 header: how GRUB recognises this file as a kernel it may boot.
;
; GRUB scans the first 32 KiB of the file for the magic number below, checks that
; magic + architecture + length + checksum add up to 0 (mod 2^32), then loads the
; ELF segments at their physical addresses and jumps to _start in 32-bit protected
; mode with EAX = 0x36d76289 and EBX = the physical address of the boot information.
;
; A second, multiboot1 header follows. We do not support multiboot1: it is here so
; that a grub.cfg that says `multiboot` instead of `multiboot2` (a common mistake)
; still reaches _start, which then reports the wrong magic instead of GRUB failing
; with "no multiboot header found". tests/boot/wrong-magic.sh boots it that way.

MB2_MAGIC        equ 0xe85250d6
MB2_ARCH_I386    equ 0              ; 32-bit protected mode entry
MB2_TAG_END      equ 0

MB1_MAGIC        equ 0x1badb002
MB1_FLAGS        equ 0

section .multiboot progbits alloc noexec nowrite align=8
align 8
mb2_header:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    ; tags would go here (each 8-byte aligned); we need none
align 8
    dw MB2_TAG_END                  ; type
    dw 0                            ; flags
    dd 8                            ; size of this tag
mb2_header_end:

align 4
mb1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)
