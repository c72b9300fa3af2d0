#!/usr/bin/env bash
# processes.sh — what user programs can do to the kernel's console and memory:
# unknown system calls by the thousand print a bounded number of lines; running
# out of memory kills the largest process (never init), one line each, and every
# frame comes back.
source "$(dirname "$0")/lib.sh"

musl="$here/build/musl"
user="$here/build/user"

# 20,000 unknown system calls (tests/musl/unknown_syscalls.c, which musl-diff.sh
# compares with Linux): a burst of lines, then, after the rate-limit interval,
# one summary line counting the rest.
unknown_syscalls() {
    local name=unknown_syscalls_log_is_rate_limited
    local log="$logdir/$name.log" lines
    run_elf --timeout 60 --log "$log" "$musl/unknown_syscalls" \
        --then-unknown-after-interval >"$logdir/$name.out"
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
}
[ -x "$musl/unknown_syscalls" ] && selected unknown_syscalls_log_is_rate_limited && in_parallel unknown_syscalls

# oomtest (user/oomtest/) at 32 and 64 MiB: its own checks pass (the largest process
# dies, the one that needed memory goes on, init survives); the kernel printed one
# well-formed line per process it killed, never about init; the memory check is clean.
oom_line='^pid [0-9]+ \(.*\): killed by SIGKILL: out of memory: '
oom_reason='(the largest process \(rss [0-9]+ KiB, kernel memory [0-9]+ KiB\), for (pid [0-9]+ \(.*\), which needed (a page at 0x[0-9a-f]+|memory in system call [0-9]+)|its own (page fault at 0x[0-9a-f]+|system call [0-9]+, which needed memory))|shares the memory of pid [0-9]+ \(.*\))$'
# out_of_memory MEM: oomtest in a machine of MEM.
out_of_memory() {
    local mem=$1 name=out_of_memory_kills_the_largest_at_$1
    local log="$logdir/$name.log" out="$logdir/$name.out" killed lines
    run_elf --mem "$mem" --timeout 120 --log "$log" "$user/oomtest" >"$out"
    killed=$(sed -n 's/^oomtest: \([0-9]*\) processes killed by SIGKILL in all$/\1/p' "$out")
    lines=$(grep -cE "$oom_line" "$log")
    if [ $status -ne 0 ]; then
        fail "$name" "exit status $status" "$out"
    elif [ -z "$killed" ] || [ "$lines" -ne "$killed" ]; then
        fail "$name" "oomtest saw ${killed:-?} processes killed, the kernel printed $lines lines" "$log"
    elif grep -E "$oom_line" "$log" | grep -vqE "$oom_line$oom_reason"; then
        fail "$name" "a kill line without its reason: $(grep -E "$oom_line" "$log" | grep -vE "$oom_line$oom_reason" | head -n 1)" "$log"
    elif grep -qE '^pid 1 \(' "$log"; then
        fail "$name" "init was killed: $(grep -E '^pid 1 \(' "$log")" "$log"
    elif grep -q "^mm check" "$log" || ! grep -q "vmlab: memory check: .* as before the first program" "$log"; then
        fail "$name" "memory not returned: $(grep 'memory check' "$log")" "$log"
    else
        pass "$name"
    fi
}
for mem in 32M 64M; do
    [ -x "$user/oomtest" ] && selected "out_of_memory_kills_the_largest_at_$mem" && in_parallel out_of_memory $mem
done
wait_parallel
