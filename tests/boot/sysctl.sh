#!/usr/bin/env bash
# sysctl.sh — writes to the knobs of /proc/sys/vm are read as Linux reads writes
# to its sysctl files (kernel/fs/procfs/sysctl_parse.h): musl/sysctl_writes makes
# the same writes (spaces, junk, NULs, hex and octal, signs, the range's ends,
# 21-character numbers, writes at an offset, 5000 bytes, a bad pointer, 4 MiB,
# a second page that cannot be read) to each
# of vmlab's knobs, and its transcript must be the one Linux 6.1 printed for its
# knobs of the same kind, tests/boot/sysctl/linux.out, made with
#
#   ../shared/linux-ref/run-linux.sh --pvh -c max "build/musl/sysctl_writes \
#       int:/proc/sys/vm/watermark_scale_factor:1:3000 (three times) \
#       int:/proc/sys/vm/swappiness:0:200 \
#       name:/proc/sys/net/ipv4/tcp_congestion_control:reno:cubic"
#
# (its stdout). vmlab's number knobs with a minimum of 1 (ws_tau_ms,
# wsclock_tau_ms, load_control_max_wait_ms) answer as watermark_scale_factor
# (1..3000), load_control (0..1) as swappiness (0..200), page_replacement as
# tcp_congestion_control, but for an unknown name: ENOENT there, EINVAL here.
# The values print as min and max, so the ranges may differ.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/sysctl_writes
knobs=(int:/proc/sys/vm/ws_tau_ms:1:60000
    int:/proc/sys/vm/wsclock_tau_ms:1:60000
    int:/proc/sys/vm/load_control_max_wait_ms:1:3600000
    int:/proc/sys/vm/load_control:0:1
    name:/proc/sys/vm/page_replacement:fifo:clock)

sysctl_test() {
    if [ ! -x "$program" ]; then
        fail sysctl_writes_match_linux "musl-gcc missing: no $program"
        return
    fi
    run_elf --timeout 60 --log "$logdir/sysctl.log" "$program" "${knobs[@]}" >"$logdir/sysctl.out"
    sed 's/ENOENT/EINVAL/' "$here/tests/boot/sysctl/linux.out" >"$logdir/sysctl.expected"
    if [ "$status" != 0 ]; then
        fail sysctl_writes_match_linux "exit status $status" "$logdir/sysctl.log"
    else
        compare_session sysctl_writes_match_linux "$logdir/sysctl.expected" "$logdir/sysctl.out"
    fi
    expect sysctl_writes_memory_check "$logdir/sysctl.log" "$status" 0 \
        "vmlab: memory check: " "as before the first program"
}

selected sysctl_writes_match_linux sysctl_writes_memory_check && in_parallel sysctl_test
wait_parallel
exit 0
