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

# The VM commands, in Python (tools/gdb/vmlab.py and the modules beside it); `help NAME`
# explains each: vmas, pagewalk, ptes, pageinfo, faultinfo, ps, memstat; and for user
# programs, break-user-fault, btpagefault, usersyms.
source tools/gdb/vmlab.py

echo Connected to QEMU, stopped at the reset vector.\n
echo   break kmain / continue: stop in the kernel's first C function\n
echo   break _start: the first kernel instruction (32-bit, paging off); x32 shows its disassembly\n
echo   pagewalk ADDR [PID], ptes START END [PID]: what the page tables say\n
echo   vmas [PID], ps, memstat, pageinfo PFN|PADDR, faultinfo: processes, regions, frames, faults\n
echo   waits: who sleeps on what, with each kernel stack (a hang)\n
echo   swapinfo [SLOT], resident [N [PID]], framemap [FILE]: swap slots, resident sets, the frame map\n
echo   break-user-fault NAME, btpagefault, usersyms: a program's page faults and its stack\n
