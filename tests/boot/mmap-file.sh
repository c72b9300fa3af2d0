#!/usr/bin/env bash
# mmap-file.sh — memory-mapped files (mm/README.md, the page cache and file faults).
# tests/musl/mmap_file runs in a directory holding only a copy of itself on the host's
# Linux and in "/" of an ext2 image made from it on vmlab: every line (mmap's errors,
# what mappings show, SIGBUS past the end as a wait status, ftruncate, msync, mincore,
# madvise, ETXTBSY) must be the same. After vmlab powers off, the host reads the
# image: e2fsck -fn finds nothing to fix and the files the program left (written
# through MAP_SHARED, some never msynced) hold the bytes Linux's copies hold; a fresh
# boot of the image reads them through mappings (major faults: the pages come from
# the disk) as Linux reads its copies. Then, vmlab only: a 28 MiB file read through
# read() and through a MAP_PRIVATE mapping in 24 MiB of memory, every byte checked
# (clean file pages must be dropped and read again: the file is larger than all of
# memory; `make fuzz` reads a 48 MiB one with file_pressure).
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/mmap_file
work=$(mktemp -d "$logdir/mmap-file.XXXXXX")
trap 'rm -rf "$work"' EXIT

have_tools() {
    if ! command -v musl-gcc >/dev/null || ! command -v mke2fs >/dev/null || ! command -v debugfs >/dev/null; then
        fail "$1" "musl-gcc, mke2fs or debugfs missing (Debian: musl-tools, e2fsprogs)"
        return 1
    fi
}

# empty_disk FILE SIZE [BLOCK]: a fresh ext2 file system with nothing in it but
# lost+found, of 1 KiB blocks (or BLOCK bytes).
empty_disk() {
    : >"$1"
    mke2fs -q -F -t ext2 -b "${3:-1024}" "$1" "$2"
}

matches_linux_test() {
    have_tools mmap_file || return
    # the program itself is there as prog: the ETXTBSY part runs a copy of it (a boot
    # module cannot be opened as a file)
    mkdir "$work/staging"
    cp "$program" "$work/staging/prog"
    : >"$work/disk.img"
    mke2fs -q -F -t ext2 -b 1024 -d "$work/staging" "$work/disk.img" 8M || { fail mmap_file "mke2fs failed"; return; }
    cp -a "$work/staging" "$work/linux"
    "$program" "$work/linux" >"$work/host.out" 2>&1
    run_elf --timeout 60 --log "$logdir/mmap_file.log" --disk "$work/disk.img" "$program" / vmlab \
        >"$work/vmlab.all"
    local vmlab_status=$status
    sed '/^== vmlab only$/,$d' "$work/vmlab.all" >"$work/vmlab.out"
    sed -n '/^== vmlab only$/,$p' "$work/vmlab.all" >"$work/vmlab.only"
    # the host's last line, "== done", comes on vmlab after its own part (checked below)
    sed '$ { /^== done$/d }' "$work/host.out" >"$work/host.compared"
    cp "$work/host.out" "$logdir/mmap_file.host"
    cp "$work/vmlab.all" "$logdir/mmap_file.vmlab"
    if [ "$vmlab_status" != 0 ]; then
        fail mmap_file_matches_linux "exit status $vmlab_status on vmlab" "$logdir/mmap_file.log"
    elif ! grep -q "^== done" "$work/host.out"; then
        fail mmap_file_matches_linux "the host run did not finish" "$logdir/mmap_file.host"
    elif ! cmp -s "$work/host.compared" "$work/vmlab.out"; then
        fail mmap_file_matches_linux "output differs from Linux (- Linux, + vmlab)"
        diff -u "$work/host.compared" "$work/vmlab.out" | tail -n +3 | head -n 40 | sed 's/^/    | /'
    else
        pass mmap_file_matches_linux
    fi
    expect mmap_file_vmlab_only "$work/vmlab.only" 0 0 "the console (fd 0): -1 ENODEV" \
        "MADV_REMOVE on MAP_SHARED of an ext2 file: -1 EOPNOTSUPP" "its first byte after: 1" "== done"
    # the kernel's one line for a child killed past the end of its file
    expect mmap_file_sigbus_explained "$logdir/mmap_file.log" 0 0 \
        "killed by SIGBUS: page fault at address" "access beyond the end of the mapped file"
    expect mmap_file_powers_off_cleanly "$logdir/mmap_file.log" "$vmlab_status" 0 \
        "vmlab: memory check: " "Powering off"
    local fsck
    if fsck=$(e2fsck -fn "$work/disk.img" 2>&1); then
        pass mmap_file_e2fsck_clean
    else
        fail mmap_file_e2fsck_clean "e2fsck -fn: $(echo "$fsck" | grep -v '^Pass\|^e2fsck' | head -n 5 | tr '\n' ' ')"
    fi
    # what MAP_SHARED wrote (msync'd or only unmapped) is on the disk, as Linux has it
    mkdir "$work/rdump"
    debugfs -R "rdump / $work/rdump" "$work/disk.img" >/dev/null 2>&1
    local f missing=""
    for f in kept.bin synced.bin tail.bin trunc.bin fork.bin priv.bin sparse.bin \
        moved.bin protected.bin dontneed.bin child.bin; do
        [ -f "$work/rdump/$f" ] || missing="$missing $f"
    done
    if [ -n "$missing" ]; then
        fail mmap_file_bytes_on_disk "not on the image:$missing"
    elif ! (cd "$work" && diff -rq -x lost+found linux rdump) >"$work/diff" 2>&1; then
        fail mmap_file_bytes_on_disk "the image differs from Linux's files: $(head -n 3 "$work/diff" | tr '\n' ' ')"
    else
        pass mmap_file_bytes_on_disk
    fi
    # a fresh boot of the same image: the files through mappings, every page from the disk
    "$program" "$work/linux" sums >"$work/sums.host" 2>&1
    run_elf --timeout 60 --log "$logdir/mmap_file_sums.log" --disk "$work/disk.img" "$program" / sums vmlab \
        >"$work/sums.all"
    local sums_status=$status
    sed '/^== vmlab only$/,$d' "$work/sums.all" >"$work/sums.vmlab"
    { echo "== its output"; cat "$work/sums.all"; } >>"$logdir/mmap_file_sums.log"
    if [ "$sums_status" != 0 ]; then
        fail mmap_file_after_reboot "exit status $sums_status on vmlab" "$logdir/mmap_file_sums.log"
    elif ! cmp -s "$work/sums.host" "$work/sums.vmlab"; then
        fail mmap_file_after_reboot "the files read back differ from Linux's (- Linux, + vmlab)"
        diff -u "$work/sums.host" "$work/sums.vmlab" | tail -n +3 | head -n 20 | sed 's/^/    | /'
    else
        expect mmap_file_after_reboot "$logdir/mmap_file_sums.log" 0 0 "== its output" "== vmlab only" \
            "after a fresh boot, major faults grew: yes"
    fi
}

# vmlab only: a file larger than memory, through read() and through a mapping;
# then stores to the holes of a file the full disk cannot take (the write-backs
# fail, the pages go clean, msync says ENOSPC once: Linux's ext2), and e2fsck
# finds the disk clean after; then a file cut to 0 and grown back while reclaim
# writes its pages back (none of the cut pages may come back).
larger_than_memory_test() {
    have_tools mmap_file_larger_than_memory || return
    # of 4 KiB blocks (a page is one block, and the 28 MiB go to and fro in a quarter
    # of the disk requests); 32 MiB: the file leaves only a few free, which the
    # full-disk step exceeds
    empty_disk "$work/big.img" 32M 4096 || { fail mmap_file_larger_than_memory "mke2fs failed"; return; }
    run_elf --mem 24M --timeout 120 --log "$logdir/mmap_file_big.log" --disk "$work/big.img" \
        "$program" / big 28 >"$work/big.out"
    { echo "== its output"; cat "$work/big.out"; } >>"$logdir/mmap_file_big.log"
    expect mmap_file_larger_than_memory "$logdir/mmap_file_big.log" "$status" 0 "== its output" \
        "written: size 29360128" "read(): 29360128 bytes, 0 bad pieces" "MAP_PRIVATE: 7168 pages, 0 bad" \
        "MAP_SHARED stores: 7168 pages, read() back 29360128 bytes, 0 bad" \
        "pages written back by reclaim: at least the excess over memory" \
        "the hog beside them alive: yes" \
        "full disk: msync ENOSPC, then 0" \
        "full disk: write-backs that failed: at least the pages beyond the free blocks" \
        "full disk: every page reads its store or zeros: yes" \
        "full disk: free space after unlink: as before" \
        "full disk: reclaim wrote pages back and some writes failed: yes" \
        "cut to 0 and grown while written back: 10 cycles, 0 cut pages came back" \
        "pages written back by reclaim meanwhile: some"
    if fsck=$(e2fsck -fn "$work/big.img" 2>&1); then
        pass mmap_file_larger_than_memory_e2fsck_clean
    else
        fail mmap_file_larger_than_memory_e2fsck_clean "e2fsck -fn: $(echo "$fsck" | tail -n 3 | tr '\n' ' ')"
    fi
}

selected mmap_file && in_parallel matches_linux_test
selected mmap_file_larger_than_memory && in_parallel larger_than_memory_test
wait_parallel
true
