#!/usr/bin/env bash
# names.sh — the namespace calls (kernel/fs/README.md, "The VFS": names).
# tests/musl/names runs on Linux over a copy of a small staging tree and on vmlab
# over "/" of an ext2 image made from it: every call's result and errno must be
# the same. Then the host judges the image after the power-off: e2fsck -fn finds
# nothing wrong, the blocks and inode of big.bin (unlinked while open, closed at
# the end) are free again, and the tree left is the one Linux left.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/names
fuzzer=$here/build/musl/names_fuzz
work=$(mktemp -d "$logdir/names.XXXXXX")
trap 'rm -rf "$work"' EXIT

make_staging() {
    local s=$1
    mkdir -p "$s/full"
    printf 'file contents\n' >"$s/file"
    printf 'other contents\n' >"$s/other"
    printf 'victim\n' >"$s/victim"
    printf 'inside\n' >"$s/full/inside"
    perl -e 'print map { chr(($_ * 13) % 256) } 0 .. 307199' >"$s/big.bin" # double indirect
    ln -s full "$s/dir-link"
    ln -s nowhere "$s/dangling"
    ln -s file "$s/link-to-file"
}

# The tree under a directory as "path type size", sorted (no lost+found).
tree_of() {
    (cd "$1" && find . -path ./lost+found -prune -o -printf '%p %y %s %l\n' | grep -v '^\. d' |
        awk '$2 == "d" { $3 = "-" } { print }' | sort)
}

names_test() {
    if ! command -v musl-gcc >/dev/null || ! command -v mke2fs >/dev/null; then
        fail names "musl-gcc or mke2fs missing (Debian: musl-tools, e2fsprogs)"
        return
    fi
    make_staging "$work/staging"
    : >"$work/disk.img"
    mke2fs -q -F -t ext2 -b 1024 -d "$work/staging" "$work/disk.img" 4M ||
        { fail names "mke2fs failed"; return; }
    cp -a "$work/staging" "$work/linux"
    "$program" "$work/linux" >"$work/host.out" 2>&1
    local big_ino big_blocks
    big_ino=$(debugfs -R "stat /big.bin" "$work/disk.img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
    big_blocks=$(debugfs -R "blocks /big.bin" "$work/disk.img" 2>/dev/null)
    run_elf --timeout 60 --log "$logdir/names.log" --disk "$work/disk.img" "$program" / vmlab \
        >"$work/vmlab.all"
    local vmlab_status=$status
    sed '/^== vmlab only$/,$d' "$work/vmlab.all" >"$work/vmlab.out"
    sed -n '/^== vmlab only$/,$p' "$work/vmlab.all" >"$work/vmlab.only"
    cp "$work/host.out" "$logdir/names.host"
    cp "$work/vmlab.all" "$logdir/names.vmlab"
    if [ "$vmlab_status" != 0 ]; then
        fail names_matches_linux "exit status $vmlab_status on vmlab" "$logdir/names.log"
    elif ! grep -q "^read after unlink: 307200 bytes" "$work/host.out"; then
        fail names_matches_linux "the host run did not get through" "$logdir/names.host"
    elif ! cmp -s "$work/host.out" "$work/vmlab.out"; then
        fail names_matches_linux "output differs from Linux (- Linux, + vmlab)"
        diff -u "$work/host.out" "$work/vmlab.out" | tail -n +3 | head -n 30 | sed 's/^/    | /'
    else
        pass names_matches_linux
    fi
    expect names_vmlab_only "$work/vmlab.only" 0 0 \
        "renameat2 EXCHANGE file full (ext2 cannot): -1 Invalid argument" \
        "renameat2 WHITEOUT: -1 Invalid argument" \
        "symlink of 1023 bytes: 0" \
        "symlink of 1024 bytes (1 KiB blocks): -1 Filename too long" \
        "unlink l1023: 0" \
        "mkdir /dev/x: -1 Read-only file system" \
        "unlink /dev/null: -1 Read-only file system"
    expect names_memory_comes_back "$logdir/names.log" 0 0 "vmlab: memory check: "
    # the disk after the power-off
    if e2fsck -fn "$work/disk.img" >"$logdir/names.e2fsck" 2>&1; then
        pass names_e2fsck_clean
    else
        fail names_e2fsck_clean "e2fsck -fn found errors" "$logdir/names.e2fsck"
    fi
    local b in_use=0 count=0
    for b in $big_blocks; do
        count=$((count + 1))
        debugfs -R "testb $b" "$work/disk.img" 2>/dev/null | grep -q "marked in use" && in_use=$((in_use + 1))
    done
    if [ "$count" -lt 300 ]; then
        fail names_unlinked_file_is_freed "debugfs listed $count blocks of big.bin"
    elif [ "$in_use" != 0 ] ||
        ! debugfs -R "testi <$big_ino>" "$work/disk.img" 2>&1 | grep -q "not in use"; then
        fail names_unlinked_file_is_freed "$in_use of big.bin's $count blocks, or its inode $big_ino, still in use"
    else
        pass names_unlinked_file_is_freed
    fi
    mkdir "$work/out"
    debugfs -R "rdump / $work/out" "$work/disk.img" >/dev/null 2>&1
    if [ "$(tree_of "$work/linux")" = "$(tree_of "$work/out")" ] && [ -n "$(tree_of "$work/linux")" ]; then
        pass names_tree_matches_linux
    else
        fail names_tree_matches_linux "the image's tree differs from Linux's (- Linux, + image)"
        diff <(tree_of "$work/linux") <(tree_of "$work/out") | head -n 20 | sed 's/^/    | /'
    fi
}

# The fuzzer: random namespace calls (tests/musl/names_fuzz.c), seeds one after
# another in one boot, compared with Linux call by call; then e2fsck -fn on the
# image. NAMES_FUZZ_SEEDS="5-300" runs more by hand. (Linux's run is chrooted:
# this needs root, as the test's rmdir("/dev") does.)
fuzz_test() {
    local seeds=${NAMES_FUZZ_SEEDS:-1 2 3 4}
    mkdir -p "$work/fuzz-staging"
    printf 'seed bytes\n' >"$work/fuzz-staging/seed"
    : >"$work/fuzz.img"
    mke2fs -q -F -t ext2 -b 1024 -N 2048 -d "$work/fuzz-staging" "$work/fuzz.img" 8M ||
        { fail names_fuzz "mke2fs failed"; return; }
    cp -a "$work/fuzz-staging" "$work/fuzz-linux"
    mkdir "$work/fuzz-linux/lost+found" # as mke2fs made on the image: ".." has its link count
    # In a chroot, "/.." is "/" on Linux too (symlinks to ".." chains reach it); the
    # program sits in lost+found, whose contents nobody lists.
    cp "$fuzzer" "$work/fuzz-linux/lost+found/names_fuzz"
    # shellcheck disable=SC2086
    chroot "$work/fuzz-linux" /lost+found/names_fuzz / $seeds >"$work/fuzz.host" 2>&1
    # shellcheck disable=SC2086
    run_elf --timeout 120 --log "$logdir/names_fuzz.log" --disk "$work/fuzz.img" "$fuzzer" / $seeds \
        >"$work/fuzz.vmlab"
    local vmlab_status=$status
    cp "$work/fuzz.host" "$logdir/names_fuzz.host"
    cp "$work/fuzz.vmlab" "$logdir/names_fuzz.vmlab"
    if [ "$vmlab_status" != 0 ]; then
        fail names_fuzz_matches_linux "exit status $vmlab_status on vmlab" "$logdir/names_fuzz.log"
    elif ! grep -q '^== seed' "$work/fuzz.host"; then
        fail names_fuzz_matches_linux "the host run did not do every seed" "$logdir/names_fuzz.host"
    elif ! cmp -s "$work/fuzz.host" "$work/fuzz.vmlab"; then
        fail names_fuzz_matches_linux "seeds $seeds: output differs from Linux (- Linux, + vmlab)"
        diff -u "$work/fuzz.host" "$work/fuzz.vmlab" | tail -n +3 | head -n 20 | sed 's/^/    | /'
    else
        pass names_fuzz_matches_linux
    fi
    expect names_fuzz_memory_comes_back "$logdir/names_fuzz.log" 0 0 "vmlab: memory check: "
    if e2fsck -fn "$work/fuzz.img" >"$logdir/names_fuzz.e2fsck" 2>&1; then
        pass names_fuzz_e2fsck_clean
    else
        fail names_fuzz_e2fsck_clean "e2fsck -fn found errors" "$logdir/names_fuzz.e2fsck"
    fi
}

selected names && names_test
selected names_fuzz && fuzz_test
true
