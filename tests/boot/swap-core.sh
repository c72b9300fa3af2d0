#!/usr/bin/env bash
# swap-core.sh — the swap core (mm/reclaim.c, mm/swap_in.c, mm/swap_slots.c) under
# pressure, in one boot: tests/musl/swapcore with 32 MiB of RAM and a 128 MiB swap
# disk, pushing pages out with 40 MiB of other memory. It checks one page's journey
# (written, swapped out, read back with one major fault), a region's pages leaving
# and coming back byte for byte, mlock keeping pages in, copy-on-write of swapped
# pages across fork, munmap and mremap carrying slots (VmSwap exact), PROT_NONE,
# and swapoff bringing every page back. The invariant check runs after every reaped
# process and at the end (the log must say the memory check passed). The journey's
# three lines must be the worked example of mm/README.md, word for word.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/swapcore

swapcore_test() {
    if [ ! -x "$program" ]; then
        fail swap_core_passes "musl-gcc missing: no $program"
        return
    fi
    run_elf --timeout 150 --mem 32M --swap 128M --log "$logdir/swapcore.log" \
        "$program" run 40 /dev/vdb >"$logdir/swapcore.out"
    expect swap_core_passes "$logdir/swapcore.out" "$status" 0 "swapcore: PASS"
    expect swap_core_memory_check "$logdir/swapcore.log" "$status" 0 \
        "vmlab: memory check: " "free frames, as before the first program"
    local missing=""
    while IFS= read -r line; do
        grep -qxF "    $line" "$here/mm/README.md" || missing="$missing$line; "
    done < <(grep '^journey: ' "$logdir/swapcore.out")
    if [ -n "$missing" ] || ! grep -q '^journey: ' "$logdir/swapcore.out"; then
        fail swap_core_journey_is_the_readme_sample "mm/README.md lacks: ${missing:-the journey}"
    else
        pass swap_core_journey_is_the_readme_sample
    fi
}

selected swap_core_passes swap_core_memory_check swap_core_journey_is_the_readme_sample &&
    swapcore_test
exit 0
