#!/usr/bin/env bash
# boot.sh — a normal boot: banner, memory-map table, a ticking timer, and a clean
# power-off from inside the guest (`poweroff=2` on the command line).
source "$(dirname "$0")/lib.sh"

selected boot_banner_memory_map_and_ticks boot_timer_ticks_match_uptime boot_memory_map_usable_total ||
    exit 0
boot normal --cmdline "poweroff=2 panic=poweroff"
boot_started=$test_started finished=$(now_ms) # QEMU ran from the one to the other
expect boot_banner_memory_map_and_ticks "$logdir/normal.log" "$status" 0 \
    "vmlab: a teaching kernel about virtual memory" \
    "Boot loader:  GRUB" \
    "Memory map (" \
    "usable" "  total usable:   " "  total reserved: " \
    "Timer: PIT at 100 Hz" \
    "uptime 0 s" "uptime 1 s" "uptime 2 s" \
    "Powering off (status 0)."

# The tick count must grow by TIMER_HZ per second shown: "uptime N s, T timer ticks"
# with N = T / 100 on every line.
bad=$(grep -E '^uptime [0-9]+ s, [0-9]+ timer ticks$' "$logdir/normal.log" |
      awk '{ if (int($4 / 100) != $2) print }')
lines=$(grep -cE '^uptime [0-9]+ s, [0-9]+ timer ticks$' "$logdir/normal.log")
if [ "$lines" -ge 3 ] && [ -z "$bad" ]; then
    pass boot_timer_ticks_match_uptime
else
    fail boot_timer_ticks_match_uptime "$lines uptime lines; inconsistent: $bad" "$logdir/normal.log"
fi

# The kernel's usable memory must match the map: QEMU -m 128M gives 127.4 MiB.
if grep -qE '^  total usable: +127\.[0-9] MiB  \(13[0-9]{7} bytes\)' "$logdir/normal.log"; then
    pass boot_memory_map_usable_total
else
    fail boot_memory_map_usable_total "usable total not about 127 MiB" "$logdir/normal.log"
fi
# Not a pass/fail criterion (timings depend on the host), but worth seeing: the
# kernel counts 2 s of uptime from its first tick, so the rest is the boot itself.
elapsed_ms=$((finished - boot_started))
echo "  (info) QEMU start to first timer tick: about $((elapsed_ms - 2000)) ms (incl. building the test ISO)"
