#!/usr/bin/env bash
# fork-cost.sh — what the anonymous reverse map adds to fork, counted in
# instructions: user/vmbench's two fork benchmarks (-q, one round, -o each) under
# QEMU's -icount,
# where the guest's nanoseconds are its instructions, so the numbers are the same on
# every run and every machine. fork_16m (fork + exit + wait of a process with 16 MiB
# written) against fork (almost nothing mapped): 4.5x before the reverse map, 19.8x
# with its records from kmalloc, 8.7x with their own pool (mm/anon_rmap.c). It must
# stay under FORK_16M_MAX_RATIO. It runs in `make fuzz` (--long), not in `make
# test`: QEMU under -icount takes about 20 s to boot and run it.
source "$(dirname "$0")/lib.sh"

[ "${1:-}" = --long ] || exit 0

FORK_16M_MAX_RATIO=12

fork_cost_test() {
    local out="$logdir/fork-cost.out"
    : >"$out"
    tests/boot-kernel --icount --mem 48M --timeout 60 --module "$here/build/user/vmbench" \
        --cmdline "init=/bin/vmbench userout=com2 panic=poweroff -- -q -r 1 -o fork -o fork_16m" \
        --serial2 "$out" --log "$logdir/fork-cost.log"
    local fork fork16
    fork=$(awk '$1 == "metric" && $2 == "fork" { print $3 }' "$out")
    fork16=$(awk '$1 == "metric" && $2 == "fork_16m" { print $3 }' "$out")
    if [ -z "$fork" ] || [ -z "$fork16" ]; then
        fail fork_16m_instructions "vmbench printed no fork metrics" "$out"
    elif awk -v a="$fork16" -v b="$fork" -v max="$FORK_16M_MAX_RATIO" 'BEGIN { exit !(a < max * b) }'; then
        pass fork_16m_instructions
    else
        fail fork_16m_instructions "fork_16m is $fork16 k-instructions, fork $fork: more than ${FORK_16M_MAX_RATIO}x" "$out"
    fi
}

selected fork_16m_instructions && in_parallel fork_cost_test
wait_parallel
exit 0
