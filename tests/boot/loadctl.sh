#!/usr/bin/env bash
# loadctl.sh — working sets (mm/workingset.h) and load control (kernel/loadctl.h),
# in one boot: tests/musl/loadctl as the first process on 16 MiB of RAM with a
# 64 MiB swap disk. Its lines must be tests/boot/loadctl/expected.out: the
# /proc/sys/vm knobs and the values they refuse; VmWSS of a process using 1200
# pages, then 100 of them, and of a child that only sleeps; pages used in a window
# still counted after mprotect (a local set of 32 frames filled: Clock took their
# A bits), and Referenced in smaps after a sample; four children of 1200
# pages each, of which load control suspends the two newest and lets them go on
# one by one as the others end; a suspended process killed by SIGKILL; load
# control turned off resuming everyone; two children that never fit together,
# with a short longest hold, both going on (taking turns); a child asleep not
# holding a newer one back. The kernel's memory check must pass, and
# the sample in mm/README.md ("Working sets and load control") must be lines of
# the session.
source "$(dirname "$0")/lib.sh"

selected loadctl_session loadctl_memory_check loadctl_readme_sample || exit 0
program=$here/build/musl/loadctl
if [ ! -x "$program" ]; then
    fail loadctl_session "musl-gcc missing: no $program"
    exit 0
fi
"$here/tests/run-elf" --help | grep -q -- '--swap' || exit 0

run_elf --timeout 120 --mem 16M --swap 64M --log "$logdir/loadctl.log" "$program" \
    >"$logdir/loadctl.out"
if [ "$status" != 0 ]; then
    fail loadctl_session "exit status $status" "$logdir/loadctl.out"
else
    compare_session loadctl_session "$here/tests/boot/loadctl/expected.out" "$logdir/loadctl.out"
fi
expect loadctl_memory_check "$logdir/loadctl.log" "$status" 0 \
    "vmlab: memory check: " "free frames, as before the first program"

# The README's sample: the indented lines after "checked output:", each a line of
# the session.
sample=$(awk '/checked output:/ { on = 1; next } on && /^    / { print substr($0, 5); next } on && NF { exit }' \
    "$here/mm/README.md")
missing=""
while IFS= read -r line; do
    grep -qxF "$line" "$logdir/loadctl.out" || missing="$missing$line; "
done <<<"$sample"
if [ -z "$sample" ] || [ -n "$missing" ]; then
    fail loadctl_readme_sample "mm/README.md's sample is not the session's: ${missing:-no sample}"
else
    pass loadctl_readme_sample
fi
