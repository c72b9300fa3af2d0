#!/usr/bin/env bash
# memory-sizes.sh — the frame allocator and the kernel page tables for very little
# RAM (16 MiB) and for RAM above 4 GiB (6 GiB: QEMU puts 3 GiB low and the rest
# above the PCI hole), checked by the layout tests and the boot summary.
source "$(dirname "$0")/lib.sh"

boot mem_16m --mem 16M --cmdline "test=layout panic=poweroff"
expect memory_16_mib_boots_with_a_checked_layout "$logdir/mem_16m.log" "$status" 0 \
    "Physical memory: " "Kernel page tables: " "ktest: 6 passed, 0 failed"

boot mem_6g --mem 6G --cmdline "test=layout panic=poweroff" --timeout 60
expect memory_6_gib_direct_map_reaches_above_4_gib "$logdir/mem_6g.log" "$status" 0 \
    "  0x0000000100000000  0x00000001c0000000" "usable" \
    "Physical memory: " "Kernel page tables: " "ktest: 6 passed, 0 failed"
