#!/usr/bin/env bash
# fs-walk.sh — the VFS over a real ext2 disk (kernel/fs/README.md, "The VFS").
# A staging directory (text, an empty file, a sparse file, files needing single and
# double indirect blocks, a hard link, symbolic links (short, long, to a directory,
# a loop, dangling), a nested directory, 150 entries in one
# directory) becomes an ext2 image with mke2fs -d. tests/musl/fs_walk walks the
# staging directory on Linux and "/" of the image on vmlab (--disk): names, types,
# sizes, modes, link counts, checksums, and the errors of lookup and I/O must be
# the same. Then its vmlab-only part (/dev inside "/") is checked line by line, and
# the image must be byte for byte what mke2fs made but for the superblock.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/fs_walk
work=$(mktemp -d "$logdir/fs-walk.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The tree, made the same way on every run.
make_staging() {
    local s=$1
    mkdir -p "$s/dir/a/b" "$s/many" "$s/empty-dir"
    printf 'Pages come from files when first touched.\n' >"$s/text.txt"
    : >"$s/empty"
    perl -e 'print map { chr(($_ * 7 + 3) % 251) } 0 .. 12287' >"$s/twelve-k.bin"  # 12 direct blocks
    perl -e 'print map { chr(($_ * 13) % 256) } 0 .. 307199' >"$s/big.bin"         # double indirect
    printf 'start' >"$s/sparse"
    printf 'end' | dd of="$s/sparse" bs=1 seek=1000000 conv=notrunc status=none # a hole between
    printf 'deep\n' >"$s/dir/a/b/deep.txt"
    chmod 0600 "$s/dir/a/b/deep.txt"
    ln "$s/text.txt" "$s/dir/hard"
    ln -s text.txt "$s/link-to-text"
    ln -s ../text.txt "$s/dir/up"
    ln -s dir "$s/dir-link"
    ln -s loop "$s/loop"
    ln -s no-such-file "$s/dangling"
    ln -s "$(printf 'long/%.0s' $(seq 1 30))target" "$s/slow-link" # over 60 bytes: in a block
    for i in $(seq 1 150); do printf '%d\n' "$i" >"$s/many/entry-$(printf %03d "$i")-with-a-longer-name"; done
}

# The image with its superblock (bytes 1024..2047) zeroed.
superblock_blanked() {
    head -c 1024 "$1"
    head -c 1024 /dev/zero
    tail -c +2049 "$1"
}

walk_test() {
    if ! command -v musl-gcc >/dev/null || ! command -v mke2fs >/dev/null; then
        fail fs_walk "musl-gcc or mke2fs missing (Debian: musl-tools, e2fsprogs)"
        return
    fi
    make_staging "$work/staging"
    : >"$work/disk.img" # (mke2fs says "Creating regular file" otherwise)
    mke2fs -q -F -t ext2 -b 1024 -d "$work/staging" "$work/disk.img" 4M ||
        { fail fs_walk "mke2fs failed"; return; }
    cp "$work/disk.img" "$work/made.img"
    "$program" "$work/staging" >"$work/host.out" 2>&1
    run_elf --timeout 60 --log "$logdir/fs_walk.log" --disk "$work/disk.img" "$program" / vmlab \
        >"$work/vmlab.all"
    local vmlab_status=$status
    sed '/^== vmlab only$/,$d' "$work/vmlab.all" >"$work/vmlab.out"
    sed -n '/^== vmlab only$/,$p' "$work/vmlab.all" >"$work/vmlab.only"
    cp "$work/host.out" "$logdir/fs_walk.host"
    cp "$work/vmlab.all" "$logdir/fs_walk.vmlab"
    if [ "$vmlab_status" != 0 ]; then
        fail fs_walk_matches_linux "exit status $vmlab_status on vmlab" "$logdir/fs_walk.log"
    elif ! grep -q "^./many/entry-150-with-a-longer-name f" "$work/host.out"; then
        fail fs_walk_matches_linux "the host walk did not see the tree" "$logdir/fs_walk.host"
    elif ! cmp -s "$work/host.out" "$work/vmlab.out"; then
        fail fs_walk_matches_linux "output differs from Linux (- Linux, + vmlab)"
        diff -u "$work/host.out" "$work/vmlab.out" | tail -n +3 | head -n 20 | sed 's/^/    | /'
    else
        pass fs_walk_matches_linux
    fi
    # stat's numbers, as debugfs reads them from the image
    local f want=()
    for f in /big.bin /sparse /dir /dir/a/b/deep.txt; do
        want+=("$(debugfs -R "stat $f" "$work/made.img" 2>/dev/null | perl -ne '
            $ino = $1 if /^Inode: (\d+)/; $blocks = $1 if /Blockcount: (\d+)/;
            $mtime = $1 if /^ mtime: (0x[0-9a-f]+)/; ($uid, $gid) = ($1, $2) if /User:\s+(\d+)\s+Group:\s+(\d+)/;
            END { printf "stat %s: ino %d blocks %d blksize 1024 mtime 0x%x uid %d gid %d dev 0xfe00", "'"$f"'", $ino, $blocks, hex($mtime), $uid, $gid }')")
    done
    expect fs_walk_vmlab_only "$work/vmlab.only" 0 0 \
        "access text.txt W_OK: 0" "access /dev/null W_OK: 0" \
        "/dev/null: char device, rdev 0x103" \
        "/dev/.. is /: yes" \
        "/.. is /: yes" \
        "/dev/zero: read 8, zeros" \
        "chdir /dev: 0" \
        "in /dev: cwd ./dev" \
        "/dev: console null tty vda zero" \
        "open ../text.txt from /dev: 0" \
        "open /dev/nothing: -1 No such file or directory" "${want[@]}"
    expect fs_walk_mounts_the_disk "$logdir/fs_walk.log" 0 0 \
        "vfs: / is ext2 on vda (4096 blocks of 1024 bytes)" \
        "vmlab: memory check: " # frames, and every inode back (kernel/proc.c)
    # a walk only reads: at power-off the unmount rewrites the superblock (mount
    # count, times, clean state) and nothing else
    if cmp -s <(superblock_blanked "$work/disk.img") <(superblock_blanked "$work/made.img"); then
        pass fs_walk_leaves_the_image_unchanged
    else
        fail fs_walk_leaves_the_image_unchanged "the kernel wrote more than the superblock to a disk it only reads"
    fi
}

# A disk whose superblock is damaged (s_log_block_size 7: 128 KiB blocks) is not
# mounted: one line says why, "/" is the empty directory and /dev works as before.
bad_disk_test() {
    [ -f "$work/made.img" ] || return 0
    cp "$work/made.img" "$work/bad.img"
    printf '\x07' | dd of="$work/bad.img" bs=1 seek=$((1024 + 24)) conv=notrunc status=none
    run_elf --timeout 60 --log "$logdir/fs_walk_bad_disk.log" --disk "$work/bad.img" "$program" / \
        >"$work/bad.out"
    { echo "== its output"; cat "$work/bad.out"; } >>"$logdir/fs_walk_bad_disk.log"
    expect fs_walk_refuses_a_damaged_disk "$logdir/fs_walk_bad_disk.log" "$status" 0 \
        "ext2 vda: " "vfs: no ext2 disk: / holds only /dev" "vmlab: memory check: " \
        "== its output" "./dev d 0755 nlink 2" "./dev/null ? 0666 nlink 1" "open missing: -1 No such file or directory"
}

# Damage inside a mountable disk: /dir's directory block filled with 0xff (entries
# that run past their block) and big.bin's single indirect block pointing far past
# the disk. Those calls are EIO with a line "ext2 vda: ..."; the rest of the walk
# goes on, nothing panics, and every frame and inode comes back. (musl's readdir
# ends a directory quietly on EIO: "./dir: 0 entries".)
damaged_tree_test() {
    [ -f "$work/made.img" ] || return 0
    cp "$work/made.img" "$work/damaged.img"
    local dir_block indirect
    dir_block=$(debugfs -R "blocks /dir" "$work/made.img" 2>/dev/null | awk '{print $1}')
    indirect=$(debugfs -R "stat /big.bin" "$work/made.img" 2>/dev/null | grep -o '(IND):[0-9]*' | head -n 1 | cut -d: -f2)
    if [ -z "$dir_block" ] || [ -z "$indirect" ]; then
        fail fs_walk_survives_a_damaged_tree "debugfs did not name /dir's block or big.bin's indirect block"
        return
    fi
    perl -e 'print "\xff" x 1024' | dd of="$work/damaged.img" bs=1024 seek="$dir_block" conv=notrunc status=none
    perl -e 'print pack("V*", (0x7fffff00) x 256)' |
        dd of="$work/damaged.img" bs=1024 seek="$indirect" conv=notrunc status=none
    run_elf --timeout 60 --log "$logdir/fs_walk_damaged.log" --disk "$work/damaged.img" "$program" / nofuzz \
        >"$work/damaged.out"
    { echo "== its output"; cat "$work/damaged.out"; } >>"$logdir/fs_walk_damaged.log"
    expect fs_walk_survives_a_damaged_tree "$logdir/fs_walk_damaged.log" "$status" 0 \
        "vfs: / is ext2 on vda" "ext2 vda: " "vmlab: memory check: " "== its output" \
        "./big.bin f 0644 nlink 1 size 307200" "  read 12288 bytes (error)" \
        "./dir: 0 entries" "./text.txt f 0644 nlink 2 size 42" \
        "  read 42 bytes (eof), fnv f4bd6ffe59656e04"
}

selected fs_walk && walk_test && bad_disk_test && damaged_tree_test
true
