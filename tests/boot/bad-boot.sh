#!/usr/bin/env bash
# bad-boot.sh — boot/entry32.asm refuses what it cannot run on, with a message on
# the serial port and a halt (never a silent triple fault):
#   - started by a loader that is not multiboot2 (GRUB's `multiboot` command);
#   - a CPU without 64-bit long mode (QEMU's qemu32 model);
#   - a 64-bit CPU without the NX bit.
# A halted machine cannot power itself off, so QEMU is stopped once the message
# has appeared (--until).
source "$(dirname "$0")/lib.sh"

check_boot boot_wrong_magic_reported_and_halted 3 --loader multiboot --until "Halted." --timeout 20 -- \
    "boot: not started by a multiboot2 boot loader: EAX = 0x2badb002, expected 0x36d76289." \
    "boot: use \`multiboot2\` (not \`multiboot\`) in grub.cfg. Halted."
check_boot boot_no_long_mode_reported_and_halted 3 --cpu qemu32 --until "Halted." --timeout 20 -- \
    "boot: this CPU does not support 64-bit long mode" "Halted."
check_boot boot_no_nx_reported_and_halted 3 --cpu qemu64,nx=off --until "Halted." --timeout 20 -- \
    "boot: this CPU lacks the NX (no-execute) page bit" "Halted."
wait_parallel
