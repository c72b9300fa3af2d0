#!/usr/bin/env bash
# processes.sh — what user programs can do to the kernel's console and memory:
# unknown system calls by the thousand print a bounded number of lines.
source "$(dirname "$0")/lib.sh"

musl="$here/build/musl"

# 20,000 unknown system calls (tests/musl/unknown_syscalls.c, which musl-diff.sh
# compares with Linux): a burst of lines, then, after the rate-limit interval,
# one summary line counting the rest.
if [ -x "$musl/unknown_syscalls" ]; then
    name=unknown_syscalls_log_is_rate_limited
    log="$logdir/$name.log"
    "$here/tests/run-elf" --timeout 60 --log "$log" "$musl/unknown_syscalls" \
        --then-unknown-after-interval >"$logdir/$name.out"
    status=$?
    lines=$(grep -c "called unknown system call" "$log")
    if [ $status -ne 0 ]; then
        fail "$name" "exit status $status" "$log"
    elif grep -q "took under .*: no" "$logdir/$name.out"; then
        fail "$name" "the calls were slow" "$logdir/$name.out"
    elif [ "$lines" -gt 11 ]; then
        fail "$name" "$lines lines about unknown system calls (at most 10 + 1 expected)" "$log"
    elif ! grep -q "^syscall: 1999[0-9] messages suppressed$" "$log"; then
        fail "$name" "no line counting the suppressed messages" "$log"
    else
        pass "$name"
    fi
fi
