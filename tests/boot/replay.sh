#!/usr/bin/env bash
# replay.sh — page-replacement policies in the kernel against tools/pagesim, in one
# boot. tests/musl/replay replays traces in a region limited to N frames (local
# replacement: vmlab_resident_limit, mm/resident_limit.h) under --swap, switching
# the policy through /proc/sys/vm/page_replacement, and prints the faults of each
# run; for FIFO and Clock each count must equal pagesim's, computed here on the
# same trace (exact equality: both follow the design's "Exact Clock" step for
# step). Aging and WSClock are printed next to pagesim's in $logdir/replay.table,
# not compared: the kernel ages at each choice and WSClock's time is real time.
# The traces are tests/pagesim/traces/*.txt (their first N references for the
# long ones, to keep the boot short), made binary with pagesim's gen and written
# into a copy of the root disk at /pagesim/ by tools/pagesim/replay-prep (which
# tests/bench/run-bench-replace uses too). Before the replays, `replay --checks`
# reads and writes the knobs (busybox's echo too) and calls the system calls
# wrongly; its lines must be tests/boot/replay/checks.out.
source "$(dirname "$0")/lib.sh"

selected replay_checks replay_fifo_clock_match_pagesim || exit 0
program=$here/build/musl/replay
work=$(mktemp -d "$logdir/replay.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PATH="$PATH:/usr/sbin:/sbin" # mkswap

# NAME:KEEP:FRAMES: the trace, the references kept (0: all), the frame counts
runs=(belady:0:3,4 textbook:0:3,4 lackey-sort:1000:8,16 hot-scan:400:8,16)
policies=fifo,clock,aging,wsclock

if [ ! -e "$program" ]; then
    fail replay_fifo_clock_match_pagesim "$program is missing (make builds it)"
    exit 0
fi
# The traces on a copy of the root disk, and pagesim's answers for them.
if ! "$here/tools/pagesim/replay-prep" --policy "$policies" "$work" "${runs[@]}" 2>"$work/prep.err"; then
    fail replay_fifo_clock_match_pagesim "$(cat "$work/prep.err")"
    exit 0
fi
mapfile -t args <"$work/replay.args"

run_elf --timeout 90 --disk "$work/root.img" --swap 16M --log "$logdir/replay.log" \
    "$program" --checks /dev/vdb "$policies" 1 "${args[@]}" >"$logdir/replay.out"
if [ "$status" != 0 ]; then
    fail replay_checks "exit status $status" "$logdir/replay.log"
    fail replay_fifo_clock_match_pagesim "exit status $status" "$logdir/replay.log"
    exit 0
fi
grep -v '^trace ' "$logdir/replay.out" >"$work/checks.out"
compare_session replay_checks "$here/tests/boot/replay/checks.out" "$work/checks.out"

grep '^trace ' "$logdir/replay.out" >"$work/kernel.out"
paste -d' ' "$work/kernel.out" <(awk '{ print "pagesim", $NF }' "$work/pagesim.out") >"$logdir/replay.table"
if [ ! -s "$work/kernel.out" ]; then
    fail replay_fifo_clock_match_pagesim "no trace lines" "$logdir/replay.log"
else
    grep -E ' (fifo|clock) ' "$work/pagesim.out" >"$work/want"
    grep -E ' (fifo|clock) ' "$work/kernel.out" >"$work/got"
    compare_session replay_fifo_clock_match_pagesim "$work/want" "$work/got"
fi
exit 0
