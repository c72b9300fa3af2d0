#!/usr/bin/env bash
# memory-sizes.sh — the frame allocator and the kernel page tables for very little
# RAM (16 MiB) and for RAM above 4 GiB (6 GiB: QEMU puts 3 GiB low and the rest
# above the PCI hole), checked by the layout tests and the boot summary.
source "$(dirname "$0")/lib.sh"

check_boot memory_16_mib_boots_with_a_checked_layout 0 --mem 16M --cmdline "test=layout panic=poweroff" -- \
    "Physical memory: " "Kernel page tables: " "ktest: 6 passed, 0 failed"
check_boot memory_6_gib_direct_map_reaches_above_4_gib 0 --mem 6G --cmdline "test=layout panic=poweroff" --timeout 60 -- \
    "  0x0000000100000000  0x00000001c0000000" "usable" \
    "Physical memory: " "Kernel page tables: " "ktest: 6 passed, 0 failed"
wait_parallel
