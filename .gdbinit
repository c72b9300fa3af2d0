# .gdbinit — debugging the kernel in QEMU. `make gdb` starts QEMU halted at the very
# first instruction (the BIOS reset vector, 0xfff0) and starts gdb here, which
# reads this file. To let gdb read it when you run `gdb` yourself in this folder,
# allow it once in ~/.config/gdb/gdbinit (see README.md, "Debugging with gdb"):
#     add-auto-load-safe-path /path/to/this/checkout/.gdbinit

# The whole kernel is one 64-bit ELF file with debug information, including the
# 32-bit boot code. Setting the 64-bit architecture before connecting matters:
# QEMU's stub always reports 64-bit registers, and a gdb that guessed "i386"
# fails with "Remote 'g' packet reply is too long".
set architecture i386:x86-64
file build/kernel.elf
set disassembly-flavor intel
set confirm off
set pagination off
set width 0

# The port: `make gdb GDBPORT=n` passes -iex 'set $gdbport = n'; 1234 otherwise.
if $_isvoid($gdbport)
    set $gdbport = 1234
end
eval "target remote localhost:%d", $gdbport

# x32 [BYTES] — disassemble the boot code at $pc as 32-bit code. gdb decodes
# instructions as 64-bit code (it cannot switch architecture while connected), which
# garbles the 32-bit instructions of boot/entry32.asm; objdump can.
define x32
    if $argc == 0
        set $x32_bytes = 32
    else
        set $x32_bytes = $arg0
    end
    eval "shell objdump -d -M i386,intel --start-address=%lu --stop-address=%lu build/kernel.elf | tail -n +7", $pc, $pc + $x32_bytes
end
document x32
Disassemble BYTES (default 32) bytes at $pc as 32-bit code (for boot/entry32.asm).
end

# vmlab's commands in Python (tools/gdb/vmlab.py and the modules beside it); `help NAME`
# explains each: break-user-fault, btpagefault, usersyms.
source tools/gdb/vmlab.py

# pagewalk ADDR — walk the page tables the CPU is using (CR3) for a virtual
# address, one level at a time, like the kernel's pt_dump (mm/pt.c):
#   0xffffffff8010a000: PML4[511] -> PDPT[510] -> PD[0] -> PT[266] -> frame 0x10a000, flags P A G
# It reads the tables through the kernel's direct map, so it works once paging is
# on with the boot tables (from boot_long_mode_entry on).
define pagewalk
    set $pw_va = (unsigned long)($arg0)
    set $pw_table = $cr3 & 0x000ffffffffff000
    set $pw_level = 4
    printf "0x%016lx: ", $pw_va
    while $pw_level > 0
        set $pw_index = ($pw_va >> (12 + 9 * ($pw_level - 1))) & 511
        set $pw_entry = *(unsigned long *)(0xffff800000000000 + $pw_table + $pw_index * 8)
        if $pw_level == 4
            printf "PML4[%lu]", $pw_index
        end
        if $pw_level == 3
            printf " -> PDPT[%lu]", $pw_index
        end
        if $pw_level == 2
            printf " -> PD[%lu]", $pw_index
        end
        if $pw_level == 1
            printf " -> PT[%lu]", $pw_index
        end
        if ($pw_entry & 1) == 0
            printf " -> not present\n"
            set $pw_level = 0
        else
            if $pw_level == 1 || ($pw_entry & 0x80)
                if $pw_level == 1
                    printf " -> frame 0x%lx, flags P", $pw_entry & 0x000ffffffffff000
                else
                    set $pw_span = 1ul << (12 + 9 * ($pw_level - 1))
                    printf " -> %lu MiB page at 0x%lx, flags P", $pw_span >> 20, $pw_entry & 0x000ffffffffff000 & ~($pw_span - 1)
                end
                if $pw_entry & 2
                    printf " W"
                end
                if $pw_entry & 4
                    printf " U"
                end
                if $pw_entry & (1ul << 63)
                    printf " NX"
                end
                if $pw_entry & 0x20
                    printf " A"
                end
                if $pw_entry & 0x40
                    printf " D"
                end
                if $pw_entry & 0x100
                    printf " G"
                end
                if $pw_level > 1
                    printf " PS"
                end
                printf "\n"
                set $pw_level = 0
            else
                set $pw_table = $pw_entry & 0x000ffffffffff000
                set $pw_level = $pw_level - 1
            end
        end
    end
end
document pagewalk
Walk the current page tables (CR3) for a virtual address: pagewalk ADDR.
end

echo Connected to QEMU, stopped at the reset vector.\n
echo   break kmain / continue: stop in the kernel's first C function\n
echo   break _start: the first kernel instruction (32-bit, paging off); x32 shows its disassembly\n
echo   pagewalk ADDR: how the current page tables translate ADDR\n
