#!/usr/bin/env bash
# fs-write.sh — writing files through the VFS onto a real ext2 disk (kernel/fs/README.md,
# "Writing a file"). tests/musl/files_write runs in a copy of a small staging tree on
# Linux and in "/" of an mke2fs image of the same tree on vmlab: its output must be the
# same. After vmlab powers off, the host reads the image: e2fsck -fn finds nothing to
# fix, the files hold exactly the bytes Linux's copies hold (debugfs rdump), their
# modes are the same, the superblock says clean and the free inode count dropped by
# the number of files made. Then a 1 MiB image is filled until ENOSPC: what was
# written before is intact on the host, e2fsck is clean, no block is left free. Last,
# random writes and truncates at 32 MiB of memory, checked the same ways.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/files_write
work=$(mktemp -d "$logdir/fs-write.XXXXXX")
trap 'rm -rf "$work"' EXIT

make_staging() {
    local s=$1
    mkdir -p "$s/subdir"
    perl -e 'print "pre" x 1000' >"$s/pre.txt"
    ln -s made-by-link "$s/dangling"
}

free_count() { # free_count IMAGE "Free inodes" -> the number
    dumpe2fs -h "$1" 2>/dev/null | awk -F: -v k="$2" '$1 == k { gsub(/ /, "", $2); print $2 }'
}

# name, type, permissions and size of everything under a tree (lost+found aside;
# debugfs rdump drops the sticky bit, so msticky's mode is read with debugfs stat)
listing() {
    (cd "$1" && find . -path ./lost+found -prune -o -printf '%p %y %m %s\n' | LC_ALL=C sort |
        sed 's/^\(\S* \S*\) 1\([0-7][0-7][0-7]\)/\1 \2/')
}

write_test() {
    if ! command -v musl-gcc >/dev/null || ! command -v mke2fs >/dev/null || ! command -v debugfs >/dev/null; then
        fail fs_write "musl-gcc, mke2fs or debugfs missing (Debian: musl-tools, e2fsprogs)"
        return 1
    fi
    make_staging "$work/staging"
    : >"$work/disk.img"
    mke2fs -q -F -t ext2 -b 1024 -d "$work/staging" "$work/disk.img" 8M ||
        { fail fs_write "mke2fs failed"; return 1; }
    local inodes_before
    inodes_before=$(free_count "$work/disk.img" "Free inodes")
    cp -a "$work/staging" "$work/linux"
    "$program" "$work/linux" >"$work/host.out" 2>&1
    run_elf --timeout 120 --log "$logdir/fs_write.log" --disk "$work/disk.img" "$program" / vmlab \
        >"$work/vmlab.all"
    local vmlab_status=$status
    sed '/^== vmlab only$/,$d' "$work/vmlab.all" >"$work/vmlab.out"
    sed -n '/^== vmlab only$/,$p' "$work/vmlab.all" >"$work/vmlab.only"
    cp "$work/host.out" "$logdir/fs_write.host"
    cp "$work/vmlab.all" "$logdir/fs_write.vmlab"
    if [ "$vmlab_status" != 0 ]; then
        fail fs_write_matches_linux "exit status $vmlab_status on vmlab" "$logdir/fs_write.log"
    elif ! grep -q "^ftruncate moves mtime: yes" "$work/host.out"; then
        fail fs_write_matches_linux "the host run did not finish" "$logdir/fs_write.host"
    elif ! cmp -s "$work/host.out" "$work/vmlab.out"; then
        fail fs_write_matches_linux "output differs from Linux (- Linux, + vmlab)"
        diff -u "$work/host.out" "$work/vmlab.out" | tail -n +3 | head -n 20 | sed 's/^/    | /'
    else
        pass fs_write_matches_linux
    fi
    expect fs_write_vmlab_only "$work/vmlab.only" 0 0 \
        "pwrite at the largest size: -1 File too large" \
        "pwrite of 2 bytes 1 before it: 1" \
        "ftruncate past it: -1 File too large" \
        "truncate past it: -1 File too large" \
        "lseek to it, then write: -1 File too large" \
        "ftruncate to 3: 0" "fsync of the console: -1 Invalid argument" \
        'huge: size 3 "\x00\x00\x00"'
    expect fs_write_powers_off_cleanly "$logdir/fs_write.log" 0 0 \
        "vfs: / is ext2 on vda (8192 blocks of 1024 bytes)" "vmlab: memory check: " "Powering off"
    local fsck
    if fsck=$(e2fsck -fn "$work/disk.img" 2>&1); then
        pass fs_write_e2fsck_clean
    else
        fail fs_write_e2fsck_clean "e2fsck -fn: $(echo "$fsck" | grep -v '^Pass\|^e2fsck' | head -n 5 | tr '\n' ' ')"
    fi
    # the bytes on the disk are the bytes Linux wrote (huge is vmlab's alone)
    mkdir "$work/rdump"
    debugfs -R "rdump / $work/rdump" "$work/disk.img" >/dev/null 2>&1
    rm -f "$work/rdump/huge"
    # the racing appenders' records interleave as the schedulers please: the program
    # checked every record and printed the size, so only their names are compared here
    : >"$work/rdump/race-own" && : >"$work/rdump/race-shared"
    : >"$work/linux/race-own" && : >"$work/linux/race-shared"
    if [ ! -f "$work/rdump/big.bin" ]; then
        fail fs_write_bytes_on_disk "debugfs found no /big.bin on the image"
    elif ! diff -r --no-dereference -x lost+found "$work/linux" "$work/rdump" >"$work/diff" 2>&1; then
        fail fs_write_bytes_on_disk "the image differs from Linux's files: $(head -n 3 "$work/diff" | tr '\n' ' ')"
    elif ! diff <(listing "$work/linux") <(listing "$work/rdump") >"$work/diff"; then
        fail fs_write_bytes_on_disk "names, modes or sizes differ: $(head -n 4 "$work/diff" | tr '\n' ' ')"
    elif ! debugfs -R 'stat /msticky' "$work/disk.img" 2>/dev/null | grep -q "Mode:  01755"; then
        fail fs_write_bytes_on_disk "debugfs stat /msticky: not mode 01755"
    elif [ "$(debugfs -R 'cat /a.txt' "$work/disk.img" 2>/dev/null)" != "Hello" ]; then
        fail fs_write_bytes_on_disk "debugfs cat /a.txt is not \"Hello\""
    else
        pass fs_write_bytes_on_disk
    fi
    local made inodes_after state
    made=$(($(cd "$work/linux" && find . | wc -l) - $(cd "$work/staging" && find . | wc -l) + 1)) # + huge
    inodes_after=$(free_count "$work/disk.img" "Free inodes")
    state=$(dumpe2fs -h "$work/disk.img" 2>/dev/null | awk -F: '$1 == "Filesystem state" { gsub(/ /, "", $2); print $2 }')
    if [ "$((inodes_before - inodes_after))" != "$made" ]; then
        fail fs_write_counts "free inodes $inodes_before -> $inodes_after, but $made files were made"
    elif [ "$state" != clean ]; then
        fail fs_write_counts "the superblock's state is \"$state\" after a clean power-off"
    else
        pass fs_write_counts
    fi
}

# A 1 MiB disk filled by one file: the write that reaches the end is short, the next
# is ENOSPC; on the host every byte written is there, e2fsck is clean, keep.txt (made
# by mke2fs) is untouched and no block is free.
full_disk_test() {
    mkdir -p "$work/small"
    printf 'kept\n' >"$work/small/keep.txt"
    : >"$work/full.img"
    mke2fs -q -F -t ext2 -b 1024 -d "$work/small" "$work/full.img" 1M || { fail fs_write_full_disk "mke2fs failed"; return; }
    run_elf --timeout 120 --log "$logdir/fs_write_full.log" --disk "$work/full.img" "$program" / fill \
        >"$work/full.out"
    { echo "== its output"; cat "$work/full.out"; } >>"$logdir/fs_write_full.log"
    local total
    total=$(sed -n 's/^fill: \([0-9]*\) bytes written.*/\1/p' "$work/full.out")
    expect fs_write_full_disk "$logdir/fs_write_full.log" "$status" 0 "== its output" \
        "fill: a short write of" "then: -1 No space left on device" \
        "then pwrite into a hole: -1 No space left on device" "fill: $total bytes written, $total read back" \
        "a new empty file: 0" "writing to it: -1 No space left on device"
    [ -n "$total" ] || return
    perl -e 'my $n = shift; print map { $_ < 65536 ? "\0" : chr(($_ * 31 + int($_ / 977)) % 253) } 0 .. $n - 1' \
        "$total" >"$work/fill.want"
    debugfs -R "dump /fill $work/fill.got" "$work/full.img" >/dev/null 2>&1
    local fsck
    if ! fsck=$(e2fsck -fn "$work/full.img" 2>&1); then
        fail fs_write_full_disk_on_host "e2fsck -fn: $(echo "$fsck" | grep -v '^Pass\|^e2fsck' | head -n 5 | tr '\n' ' ')"
    elif ! cmp -s "$work/fill.want" "$work/fill.got"; then
        fail fs_write_full_disk_on_host "the $total bytes of /fill on the image are not those written"
    elif [ "$(debugfs -R 'cat /keep.txt' "$work/full.img" 2>/dev/null)" != kept ]; then
        fail fs_write_full_disk_on_host "keep.txt changed"
    elif [ "$(free_count "$work/full.img" "Free blocks")" != 0 ]; then
        fail fs_write_full_disk_on_host "$(free_count "$work/full.img" "Free blocks") blocks still free after ENOSPC"
    else
        pass fs_write_full_disk_on_host
    fi
}

# Random writes, pwrites, appends, truncates and O_TRUNC opens (seeds 1 and 2), in
# 32 MiB of memory: each file as its model in memory and as on Linux, the same bytes
# on the image afterwards, e2fsck clean.
fuzz_test() {
    local seed=$1 img=$work/fuzz$1.img
    : >"$img"
    mke2fs -q -F -t ext2 -b 1024 "$img" 8M || { fail "fs_write_fuzz_$seed" "mke2fs failed"; return; }
    mkdir -p "$work/fuzz-linux$seed" "$work/fuzz-rdump$seed"
    "$program" "$work/fuzz-linux$seed" fuzz "$seed" >"$work/fuzz-host$seed.out"
    run_elf --mem 32M --timeout 120 --log "$logdir/fs_write_fuzz_$seed.log" --disk "$img" "$program" / fuzz "$seed" \
        >"$work/fuzz-vmlab$seed.out"
    debugfs -R "rdump / $work/fuzz-rdump$seed" "$img" >/dev/null 2>&1
    local fsck
    if [ "$status" != 0 ]; then
        fail "fs_write_fuzz_$seed" "exit status $status" "$logdir/fs_write_fuzz_$seed.log"
    elif grep -q DIFFERENT "$work/fuzz-vmlab$seed.out" || ! cmp -s "$work/fuzz-host$seed.out" "$work/fuzz-vmlab$seed.out"; then
        fail "fs_write_fuzz_$seed" "the files differ from the model or from Linux: $(diff "$work/fuzz-host$seed.out" "$work/fuzz-vmlab$seed.out" | head -n 3 | tr '\n' ' ')"
    elif ! fsck=$(e2fsck -fn "$img" 2>&1); then
        fail "fs_write_fuzz_$seed" "e2fsck -fn: $(echo "$fsck" | grep -v '^Pass\|^e2fsck' | head -n 5 | tr '\n' ' ')"
    elif ! diff -r -x lost+found "$work/fuzz-linux$seed" "$work/fuzz-rdump$seed" >/dev/null; then
        fail "fs_write_fuzz_$seed" "the image's files are not Linux's"
    else
        pass "fs_write_fuzz_$seed"
    fi
}

selected fs_write && write_test && full_disk_test && fuzz_test 1 && fuzz_test 2
true
