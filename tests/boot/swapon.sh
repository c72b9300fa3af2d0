#!/usr/bin/env bash
# swapon.sh — the device side of swap (kernel/swap/README.md) in one boot:
# tests/run-elf --swap 16M attaches a fresh mkswap'ed disk (vdc, after the root
# disk vda and a corrupt copy vdb whose signature dd overwrote) and puts swap=vdc
# on the command line; tests/musl/swapon_calls then checks swapon/swapoff and
# their errors (EBUSY, EPERM, EINVAL, ENOENT, EISDIR, EFAULT), /proc/swaps,
# meminfo's and sysinfo's swap, the disk nodes under /dev (stat, read, writes:
# EBUSY while in use, ENOSPC at the end), busybox's swapon, free and swapoff, and
# busybox's mkswap mending the corrupt disk; last, 30 MiB of marked pages in 32 MiB
# of RAM: the pages reclaim wrote out lie on the disk at page boundaries past the
# header (slot N at byte 4096 N, the header intact), come back intact, and swapoff
# brings them in. Its transcript must be exactly tests/boot/swapon/expected.out
# (the errno values are Linux's, listed in kernel/swap/swapon.c); the kernel log
# must name the area and say why the corrupt disk was refused. A second, short
# boot gives swap= a blank disk: refused with one line, the boot goes on. The calls that need
# no disk must answer as Linux 6.1 did in tests/boot/swapon/linux-errors.out
# (linux-ref: ../shared/linux-ref/run-linux.sh --pvh -c max "build/musl/swapon_calls
# errors"); a regular file with no swap signature is EINVAL on both (swap files
# themselves: tests/boot/swapfile.sh). A third boot: busybox swapon and swapoff
# of a 1 GiB area, then swapon of a 512 KiB one, left on: the memory check still
# finds every frame.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/swapon_calls
expected=$here/tests/boot/swapon/expected.out
work=$(mktemp -d "$logdir/swapon.XXXXXX")
trap 'rm -rf "$work"' EXIT

swapon_test() {
    if ! PATH="$PATH:/usr/sbin:/sbin" command -v mkswap >/dev/null || [ ! -x "$program" ]; then
        fail swapon_calls_match "mkswap (util-linux) or musl-gcc missing"
        return
    fi
    # a swap disk like the real one, then its signature (the last 10 bytes of the
    # first page) overwritten
    truncate -s 1M "$work/corrupt.img"
    PATH="$PATH:/usr/sbin:/sbin" mkswap -q "$work/corrupt.img" >/dev/null
    printf 'XXXXXXXXXX' | dd of="$work/corrupt.img" bs=1 seek=4086 conv=notrunc status=none
    run_elf --timeout 60 --mem 32M --log "$logdir/swapon.log" --extra-disk "$work/corrupt.img" --swap 16M \
        "$program" /dev/vdc /dev/vdb >"$logdir/swapon.out"
    if [ "$status" != 0 ]; then
        fail swapon_calls_match "exit status $status" "$logdir/swapon.log"
    else
        compare_session swapon_calls_match "$expected" "$logdir/swapon.out"
    fi
    sed -n '/^swapon of a missing path/,/^swapoff of a missing path/p' "$logdir/swapon.out" >"$work/errors.out"
    compare_session swapon_errors_match_linux "$here/tests/boot/swapon/linux-errors.out" "$work/errors.out"
    expect swapon_kernel_lines "$logdir/swapon.log" "$status" 0 \
        "swap: vdc, 4095 pages (16380 KiB), 0 bad" \
        "swap: vdb: no swap signature (SWAPSPACE2 at byte 4086)" \
        "vmlab: memory check: "
}

# swap= naming a disk that is no swap area, or no disk: one line each, and the boot
# goes on without swap (here to "no /bin/init", then the idle power-off).
bad_option_test() {
    truncate -s 1M "$work/blank.img"
    boot swapon_bad_option --disk "$work/blank.img" --cmdline "swap=/dev/vda panic=poweroff poweroff=1 quiet"
    expect swapon_bad_option "$logdir/swapon_bad_option.log" "$status" 0 \
        "swap: vda: no swap signature (SWAPSPACE2 at byte 4086)" "swap=/dev/vda: no swap (error -22)" \
        "init: no /bin/init"
}

# Kernel memory that swapon takes, left in use at the end, is no leak: busybox
# swapons a 1 GiB area (a 2 MiB slot array: the kernel's large blocks reach past
# the page tables made so far, and those stay) and swapoffs it, then swapons a
# 512 KiB one (128 slots, arrays of 1 KiB and 128 bytes) and leaves it on. The
# end-of-run memory check must find every frame "as before the first program"
# (was: FAILED, 2 frames short for the kernel page tables, 2 for the small area's
# arrays, which sat in fresh slab frames nobody counted).
small_area_test() {
    truncate -s 512K "$work/small.img"
    truncate -s 1G "$work/big.img"
    PATH="$PATH:/usr/sbin:/sbin" mkswap -q "$work/small.img" >/dev/null
    PATH="$PATH:/usr/sbin:/sbin" mkswap -q "$work/big.img" >/dev/null
    run_elf --timeout 30 --mem 32M --log "$logdir/swapon_small.log" --extra-disk "$work/big.img" \
        --extra-disk "$work/small.img" /bin/busybox sh -c \
        "swapon /dev/vdb && swapoff /dev/vdb && swapon /dev/vdc" >"$logdir/swapon_small.out"
    expect swapon_area_memory_check "$logdir/swapon_small.log" "$status" 0 \
        "swap: vdb, 262143 pages" "swap: vdc, 127 pages (508 KiB), 0 bad" \
        "vmlab: memory check: " "as before the first program"
    rm -f "$work/big.img"
}

# the boots side by side
selected swapon_bad_option && in_parallel bad_option_test
selected swapon_area_memory_check && in_parallel small_area_test
selected swapon_calls_match swapon_errors_match_linux swapon_kernel_lines && in_parallel swapon_test
wait_parallel
exit 0
