#!/usr/bin/env bash
# swapfile.sh — swap files (kernel/swap/README.md, "Swap files"), the usual
# recipe on a copy of the root disk (4 KiB blocks), by busybox:
#   dd if=/dev/zero of=/swapfile bs=1M count=16; mkswap /swapfile;
#   chmod 600 /swapfile; swapon /swapfile; free; swapoff /swapfile
# with tests/musl/swap_file in between: while the file is the area, a second
# swapon is EBUSY, write/truncate/O_TRUNC and a shared writable mmap ETXTBSY,
# unlink/rename EPERM, a store through a shared mapping SIGBUS, and 30 MiB of
# marked pages in 32 MiB of RAM go out to the file and come back
# intact; after swapoff the file is ordinary again; then files swapon refuses
# (no signature, holes, short, tiny) or takes. The transcript must be exactly
# tests/boot/swapfile/expected.out, and swap_file's lines in it (but for the
# pressure's) exactly what Linux 6.1 printed running the same binary on an ext2
# disk, tests/boot/swapfile/linux.out (made by record-linux.sh there). Then, on the host, the image: e2fsck -fn
# finds it clean, the header mkswap wrote is intact, and every page of the disk
# that holds a marked page lies in a block of /swapfile (swap wrote through the
# file's map, nowhere else), at least one does.
# A second boot does the same on a file system of 1 KiB blocks, where a page of
# the file whose four blocks are not contiguous from a page boundary of the disk
# is skipped, as Linux's generic_swapfile_activate does: the area must have
# exactly the pages a walk of the file's blocks (debugfs) finds. A third leaves
# a swap file on at the end of the run.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/swap_file
expected=$here/tests/boot/swapfile/expected.out
busybox=/bin/busybox
work=$(mktemp -d "$logdir/swapfile.XXXXXX")
trap 'rm -rf "$work"' EXIT
# the recipe, the checks while active, swapoff, the checks after it
session='dd if=/dev/zero of=/swapfile bs=1M count=16 2>/dev/null && mkswap /swapfile >/dev/null &&
chmod 600 /swapfile && swapon /swapfile && free | grep Swap: >/tmp/free && cat /proc/swaps &&
/bin/swap_file active /swapfile; swapoff /swapfile; echo "swapoff: $?"; cat /proc/swaps;
/bin/swap_file after /swapfile; /bin/swap_file errors /tmp; cat /tmp/free'
FILE_PAGES=4096 # 16 MiB

# run_session NAME IMAGE: the session on IMAGE (as vda), 32 MiB of RAM.
run_session() {
    run_elf --timeout 120 --mem 32M --log "$logdir/$1.log" --disk "$2" --with "$program" \
        "$busybox" sh -c "$session" >"$logdir/$1.out"
}

# file_blocks IMAGE COUNT: the disk blocks of /swapfile's first COUNT blocks, one
# a line (debugfs's bmap; its `blocks` would list the indirect blocks too). The
# tests run side by side: each image's scratch files are its own (IMAGE.*).
file_blocks() {
    seq 0 $(($2 - 1)) | sed 's|^|bmap /swapfile |' >"$1.bmap-commands"
    debugfs -f "$1.bmap-commands" "$1" 2>/dev/null | grep -v '^debugfs'
}

# The pages of the disk holding a marked page, as block numbers of block_size,
# that are not data blocks of /swapfile on IMAGE; and how many there are in all.
marked_outside_file() {
    local image=$1 block_size=$2
    file_blocks "$image" $((FILE_PAGES * 4096 / block_size)) | LC_ALL=C sort -u >"$image.blocks"
    grep -obUa "swap_file page " "$image" | cut -d: -f1 |
        awk -v bs="$block_size" '$1 % 4096 == 0 { print $1 / bs }' | LC_ALL=C sort -u >"$image.marked"
    echo "$(LC_ALL=C comm -23 "$image.marked" "$image.blocks" | wc -l) of $(wc -l <"$image.marked")"
}

# The slots Linux's generic_swapfile_activate finds in /swapfile on IMAGE (the
# first file_blocks blocks, block_size bytes each, at most FILE_PAGES pages):
# a page is 4096 / block_size blocks, contiguous from a page boundary of the
# disk, else the walk moves on by one block. Page 0 is the header's.
linux_slots() {
    local image=$1 block_size=$2 file_blocks=$3
    file_blocks "$image" "$file_blocks" |
        awk -v per=$((4096 / block_size)) -v n="$file_blocks" -v max="$FILE_PAGES" '
            { b[NR - 1] = $1 }
            END {
                probe = 0; pages = 0
                while (probe + per <= n && pages < max) {
                    ok = b[probe] % per == 0
                    for (i = 1; ok && i < per; i++) ok = b[probe + i] == b[probe] + i
                    if (ok) { pages++; probe += per } else probe++
                }
                print pages - 1
            }'
}

recipe_test() {
    if [ ! -x "$program" ] || [ ! -x "$busybox" ] || ! command -v debugfs >/dev/null; then
        fail swapfile_recipe "build/musl/swap_file, $busybox or debugfs (e2fsprogs) missing"
        return
    fi
    cp --sparse=always "$here/build/root.img" "$work/root.img"
    run_session swapfile_recipe "$work/root.img"
    if [ "$status" != 0 ]; then
        fail swapfile_recipe "exit status $status" "$logdir/swapfile_recipe.log"
    else
        compare_session swapfile_recipe "$expected" "$logdir/swapfile_recipe.out"
    fi
    # swap_file's own lines, but the pressure's (they depend on the memory size)
    grep -v -e '^pressure:' -e '^used in' -e '^marked pages' -e '^pages intact' -e '^Filename' \
        -e '^/swapfile ' -e '^swapoff: ' -e '^Swap:' "$logdir/swapfile_recipe.out" >"$work/calls.out"
    compare_session swapfile_calls_match_linux "$here/tests/boot/swapfile/linux.out" "$work/calls.out"
    expect swapfile_kernel_lines "$logdir/swapfile_recipe.log" "$status" 0 \
        "swap: /swapfile (a file on vda), 4095 pages (16380 KiB), 0 bad" \
        "swap: /tmp/swap_file.1: swapfile has holes" "vmlab: memory check: " \
        "as before the first program"
    local fsck outside header
    fsck=$(e2fsck -fn "$work/root.img" 2>&1) || {
        fail swapfile_fsck "e2fsck -fn found problems:" && echo "$fsck" | sed 's/^/    | /' | head -20
        return
    }
    header=$(debugfs -R "cat /swapfile" "$work/root.img" 2>/dev/null | head -c 4096 | tail -c 10)
    outside=$(marked_outside_file "$work/root.img" 4096)
    if [ "$header" != SWAPSPACE2 ]; then
        fail swapfile_fsck "the header of /swapfile ends with \"$header\", not SWAPSPACE2"
    elif [[ "$outside" != "0 of "* || "$outside" == "0 of 0" ]]; then
        fail swapfile_fsck "marked pages outside /swapfile's blocks: $outside"
    else
        pass swapfile_fsck
    fi
}

small_blocks_test() {
    if [ ! -x "$program" ] || [ ! -x "$busybox" ] || ! command -v mke2fs >/dev/null; then
        fail swapfile_1k_blocks "build/musl/swap_file, $busybox or mke2fs (e2fsprogs) missing"
        return
    fi
    mkdir -p "$work/tree/tmp" "$work/tree/dev" "$work/tree/proc"
    truncate -s 64M "$work/1k.img"
    mke2fs -q -t ext2 -b 1024 -d "$work/tree" "$work/1k.img"
    run_session swapfile_1k "$work/1k.img"
    local slots outside
    slots=$(linux_slots "$work/1k.img" 1024 $((FILE_PAGES * 4)))
    outside=$(marked_outside_file "$work/1k.img" 1024)
    if [ "$status" != 0 ]; then
        fail swapfile_1k_blocks "exit status $status" "$logdir/swapfile_1k.log"
    elif ! grep -q "^swap: /swapfile (a file on vda), $slots pages ($((slots * 4)) KiB), 0 bad" "$logdir/swapfile_1k.log"; then
        fail swapfile_1k_blocks "expected $slots pages (Linux's walk of the file's blocks)" "$logdir/swapfile_1k.log"
    elif ! grep -q "^Swap: *$((slots * 4)) " "$logdir/swapfile_1k.out" ||
        ! grep -q "^pages intact: all" "$logdir/swapfile_1k.out"; then
        fail swapfile_1k_blocks "free or the pages read back differ" "$logdir/swapfile_1k.out"
    elif [[ "$outside" != "0 of "* || "$outside" == "0 of 0" ]]; then
        fail swapfile_1k_blocks "marked pages outside /swapfile's blocks: $outside"
    elif ! e2fsck -fn "$work/1k.img" >/dev/null 2>&1; then
        fail swapfile_1k_blocks "e2fsck -fn found problems"
    else
        pass swapfile_1k_blocks
    fi
}

# A swap file left on at the end of the run: the memory check says it cannot
# count (the area holds the file's inode), and the file system is clean.
left_on_test() {
    cp --sparse=always "$here/build/root.img" "$work/left-on.img"
    run_elf --timeout 60 --mem 32M --log "$logdir/swapfile_left_on.log" --disk "$work/left-on.img" \
        "$busybox" sh -c 'dd if=/dev/zero of=/swapfile bs=1M count=4 2>/dev/null &&
            mkswap /swapfile >/dev/null && swapon /swapfile' >/dev/null
    if ! e2fsck -fn "$work/left-on.img" >/dev/null 2>&1; then
        fail swapfile_left_on "e2fsck -fn found problems"
        return
    fi
    expect swapfile_left_on "$logdir/swapfile_left_on.log" "$status" 0 \
        "swap: /swapfile (a file on vda), 1023 pages (4092 KiB), 0 bad" \
        "vmlab: memory check skipped: a swap file is still on"
}

# A program that is also a swap area (swap_file exec): execve is ETXTBSY while it
# is the active area, as on Linux (its swapon holds the file open for writing);
# it runs before swapon and after swapoff.
exec_test() {
    if [ ! -x "$program" ]; then
        fail swapfile_exec "build/musl/swap_file missing"
        return
    fi
    cp --sparse=always "$here/build/root.img" "$work/exec.img"
    run_elf --timeout 60 --mem 32M --log "$logdir/swapfile_exec.log" --disk "$work/exec.img" \
        "$program" exec /tmp >"$logdir/swapfile_exec.out"
    if ! e2fsck -fn "$work/exec.img" >/dev/null 2>&1; then
        fail swapfile_exec "e2fsck -fn found problems"
        return
    fi
    cat "$logdir/swapfile_exec.out" >>"$logdir/swapfile_exec.log"
    expect swapfile_exec "$logdir/swapfile_exec.log" "$status" 0 \
        "swap: /tmp/swap_file.elf (a file on vda), 3 pages (12 KiB), 0 bad" \
        "vmlab: memory check: " "as before the first program" \
        "run before swapon: exit status 42" "swapon of the program: 0" \
        "run while it is the area: execve ETXTBSY" "swapoff: 0" "run after swapoff: exit status 42"
}

selected swapfile_exec && in_parallel exec_test
selected swapfile_left_on && in_parallel left_on_test
selected swapfile_1k_blocks && in_parallel small_blocks_test
selected swapfile_recipe swapfile_calls_match_linux swapfile_kernel_lines swapfile_fsck &&
    in_parallel recipe_test
wait_parallel
exit 0
