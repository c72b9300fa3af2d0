#!/usr/bin/env bash
# poll-console.sh — poll and select on the console (tests/musl/time_poll/console.c):
# stdout is always writable; stdin is not readable while nothing is typed (a 50 ms
# poll times out), a poll and a select without time limit are woken by the line
# typed after each "$ " prompt, and stdin is readable until that line is read.
# The typing waits for each prompt (run-elf --prompt), so the transcript is exact.
source "$(dirname "$0")/lib.sh"

name=poll_console_wakes_on_a_typed_line
selected $name || exit 0
program=$here/build/musl/time_poll
if [ ! -x "$program" ]; then
    fail $name "build/musl/time_poll missing (make; needs musl-gcc)"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%s\n' 'first line' 'second line' >"$work/input"
printf '%s\n' 'poll stdout: 1 revents 0x104' 'poll stdin, nothing typed, 50 ms: 0 revents 0' \
    '$ first line' 'poll stdin without limit: 1 revents 0x41' 'poll stdin again before reading: 1' \
    'read 11 bytes: first line' 'poll stdin after reading the line: 0' \
    '$ second line' 'select stdin without limit: 1, readable: yes' 'read 12 bytes: second line' \
    >"$work/expected"
run_elf --timeout 60 --log "$logdir/poll-console.log" --input "$work/input" --prompt '$ ' \
    "$program" console >"$logdir/poll-console.out"
if [ "$status" != 0 ]; then
    fail $name "exit status $status" "$logdir/poll-console.log"
else
    compare_session $name "$work/expected" "$logdir/poll-console.out"
fi
