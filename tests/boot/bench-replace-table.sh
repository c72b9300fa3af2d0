#!/usr/bin/env bash
# bench-replace-table.sh — the table of tests/bench/run-bench-replace (`make
# bench-replace`), made from canned lines, no QEMU: tests/bench/replace-table.in
# holds the lines of a real run (a few traces), and the table must be
# tests/bench/replace-table.out, exit status 0. The same lines with one Clock count
# of the kernel's changed must give exit status 1 and a last line naming that run:
# the bench's check that FIFO and Clock equal pagesim's.
source "$(dirname "$0")/lib.sh"

selected bench_replace_table || exit 0
bench=$here/tests/bench/run-bench-replace
canned=$here/tests/bench/replace-table.in
work=$(mktemp -d "$logdir/bench-replace-table.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$bench" --table "$canned" >"$work/table" 2>&1
status=$?
sed 's/^\(vmlab trace textbook frames 4 clock faults\) 9$/\1 10/' "$canned" >"$work/changed.in"
"$bench" --table "$work/changed.in" >"$work/changed" 2>&1
changed_status=$?
wanted="FIFO and Clock: the kernel DIFFERS from pagesim in clock:textbook 4"
if [ "$status" != 0 ]; then
    fail bench_replace_table "exit status $status on the canned lines" "$work/table"
elif [ "$changed_status" != 1 ] || [ "$(tail -n 1 "$work/changed")" != "$wanted" ]; then
    fail bench_replace_table "a kernel Clock count unlike pagesim's: status $changed_status (want 1), last line not \"$wanted\"" "$work/changed"
else
    compare_session bench_replace_table "$here/tests/bench/replace-table.out" "$work/table"
fi
exit 0
