#!/usr/bin/env bash
# fs-fuzz.sh — randomly corrupted ext2 disks booted in the kernel (kernel/fs/README.md,
# "A bad disk"). A small mke2fs image (files, directories, short and long symbolic
# links, a sparse file, files with single and double indirect blocks, a directory of
# several blocks) gets, for each seed, 1 to 6 random corruptions in its metadata: the
# superblock, the group descriptors, the two bitmaps, the inode table, directory blocks
# and indirect blocks (the idea of tests/host/test_ext2_fuzz.c, here on the real kernel
# with its real system calls). Then tests/musl/fs_fuzz_walk lists every directory,
# reads every file and link, changes the tree (create, write, mkdir, rename, unlink,
# truncate, link, symlink, rmdir, sync) and counts the errors. For each seed:
#   - the run ends, on time, with the walker's exit status 0 (no panic, no hang);
#   - the disk is mounted, or refused with a line "ext2 vda: ..." saying why (or,
#     when the magic number was hit, not taken for ext2 at all);
#   - every error the walk met is one a damaged disk may cause (EIO, ENOENT,
#     ENOTDIR, ELOOP, ENAMETOOLONG, EUCLEAN), never EFAULT, ENOMEM or the like; the
#     changes may also meet EROFS, ENOSPC, EEXIST, ENOTEMPTY... (ALLOWED_CHANGE_ERRORS);
#   - the memory check at the end is clean: every frame and every inode came back.
# The uncorrupted image (seed 0) must walk exactly as the same program walks the
# staging directory on the host, which shows the walk really reads the tree; every
# change but the rmdir of a full directory must work there, and e2fsck -fn must
# find the image consistent afterwards.
#
# make test runs the seeds in FS_FUZZ_TEST_SEEDS; by hand, more:
#   FS_FUZZ_SEEDS=1-500 tests/boot/fs-fuzz.sh     (FS_FUZZ_KEEP=1 keeps each image,
#   FS_FUZZ_BLOCK_SIZE=4096 makes the image with 4 KiB blocks instead of 1 KiB)
# A failing seed is named with the corruptions it made; its image stays in
# build/test-logs/fs-fuzz/seed-N.img.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/fs_fuzz_walk
logs=$logdir/fs-fuzz
work=$(mktemp -d "$logdir/fs-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Seeds picked from a run of 400 by hand, one per outcome: 0 is the pristine image;
# 2 a block number outside the disk (EIO) and a lost name (ENOENT); 3 a directory
# entry running past its block; 10 a refused mount (a bitmap outside its group);
# 148 unknown read-only features (mounted read-only); 173 the magic number hit;
# 168 an inode bitmap moved into the inode table: mkdir
# took /dir's inode until ext2_inode_alloc checked the inode is free (ialloc.c).
FS_FUZZ_TEST_SEEDS="0 2 3 10 148 168 173"
BOOT_TIMEOUT=30
SEEDS_PER_BATCH=8
BLOCK_SIZE=${FS_FUZZ_BLOCK_SIZE:-1024} # by hand, 4096 fuzzes an image of 4 KiB blocks
ALLOWED_ERRORS="EIO ENOENT ENOTDIR ELOOP ENAMETOOLONG EUCLEAN"
# Changing a damaged tree may also meet these (EROFS: mounted read-only for unknown
# features). Not EINVAL: seed 168's rename met it when mkdir took over /dir's inode.
ALLOWED_CHANGE_ERRORS="$ALLOWED_ERRORS EROFS ENOSPC EEXIST ENOTEMPTY EISDIR EFBIG EMLINK"

# The tree, made the same way on every run.
make_staging() {
    local s=$1
    mkdir -p "$s/dir/sub/deeper" "$s/many"
    printf 'A page comes from a file when it is first touched.\n' >"$s/text.txt"
    : >"$s/empty"
    perl -e 'print map { chr(($_ * 7 + 3) % 251) } 0 .. 20479' >"$s/single.bin"   # single indirect
    perl -e 'print map { chr(($_ * 13) % 256) } 0 .. 307199' >"$s/double.bin"     # double indirect
    printf 'start' >"$s/sparse"
    printf 'end' | dd of="$s/sparse" bs=1 seek=600000 conv=notrunc status=none
    printf 'deep\n' >"$s/dir/sub/deeper/deep.txt"
    ln "$s/text.txt" "$s/dir/hard"
    ln -s text.txt "$s/link"
    ln -s "$(printf 'long/%.0s' $(seq 1 20))end" "$s/dir/long-link" # over 60 bytes: a block
    for i in $(seq 1 60); do printf '%d\n' "$i" >"$s/many/file-$(printf %02d "$i")-with-a-long-name"; done
}

# targets IMAGE: "offset size area" lines, the metadata a corruption may hit.
targets() {
    local img=$1 bs=$BLOCK_SIZE inode_size groups
    inode_size=$(dumpe2fs -h "$img" 2>/dev/null | awk '/^Inode size:/ { print $3 }')
    groups=$(dumpe2fs "$img" 2>/dev/null | grep -c '^Group ')
    echo "1024 264 superblock"
    # the descriptors follow the superblock's block: block 2 with 1 KiB blocks, else 1
    echo "$(((1024 / bs + 1) * bs)) $((groups * 32)) group-descriptors"
    dumpe2fs "$img" 2>/dev/null | awk -v isz="$inode_size" -v bs="$bs" '
        /Block bitmap at/ { split($4, a, "-"); print a[1] * bs, bs, "block-bitmap" }
        /Inode bitmap at/ { split($4, a, "-"); print a[1] * bs, bs, "inode-bitmap" }
        /Inode table at/  { split($4, a, "-"); print a[1] * bs, 40 * isz, "inode-table" }'
    local d b
    for d in / /dir /dir/sub /many; do
        for b in $(debugfs -R "blocks $d" "$img" 2>/dev/null); do echo "$((b * bs)) $bs directory"; done
    done
    for f in /single.bin /double.bin; do
        debugfs -R "stat $f" "$img" 2>/dev/null | grep -o '(D\{0,1\}IND):[0-9]*' | cut -d: -f2 |
            while read -r b; do echo "$((b * bs)) $bs indirect"; done
    done
}

# corrupt IMAGE SEED TARGETS: 1 to 6 corruptions, each a flipped bit, a random byte,
# or an aligned 16- or 32-bit field set to an edge value (0, 1, all ones, a sign
# bit, a power of two) at a random place in a random target. Prints what it did.
corrupt() {
    perl -e '
        my ($img, $seed, $targets) = @ARGV;
        srand($seed);
        open(my $t, "<", $targets) or die; my @t = map { [split] } <$t>;
        open(my $f, "+<", $img) or die; binmode $f;
        my @edges = (0, 1, 2, 0xffffffff, 0x80000000, 0x7fffffff, 0xffff, 0x10000, 1024, 4096, 12);
        my @did;
        for (1 .. 1 + int(rand(6))) {
            my ($off, $size, $area) = @{ $t[int(rand(@t))] };
            my $at = $off + int(rand($size));
            my $kind = int(rand(4));
            my $bytes;
            if ($kind == 0) {
                seek($f, $at, 0); read($f, $bytes, 1);
                $bytes = chr(ord($bytes) ^ (1 << int(rand(8))));
            } elsif ($kind == 1) {
                $bytes = chr(int(rand(256)));
            } else {
                my $v = rand(3) < 1 ? int(rand(2**32)) : $edges[int(rand(@edges))];
                if ($kind == 2) { $at &= ~1; $bytes = pack("v", $v & 0xffff) }
                else            { $at &= ~3; $bytes = pack("V", $v) }
            }
            seek($f, $at, 0); print $f $bytes;
            push @did, sprintf("%s+%d=%s", $area, $at - $off, unpack("H*", $bytes));
        }
        print join(" ", @did), "\n";' "$1" "$2" "$3"
}

# seed_range "1-5 9": the seeds it names, one per line.
seed_range() {
    local part
    for part in $1; do
        case $part in
            *-*) seq "${part%-*}" "${part#*-}" ;;
            *) echo "$part" ;;
        esac
    done
}

# check_seed SEED: boot the image of SEED and judge the run (one PASS or FAIL line).
check_seed() {
    local seed=$1 img=$logs/seed-$1.img log=$logs/seed-$1.log out=$logs/seed-$1.out did=""
    cp "$work/made.img" "$img"
    [ "$seed" = 0 ] || did=$(corrupt "$img" "$seed" "$work/targets")
    run_elf --timeout "$BOOT_TIMEOUT" --log "$log" --disk "$img" "$program" / change >"$out"
    { echo "== corruptions: ${did:-none}"; echo "== its output"; cat "$out"; } >>"$log"
    local name=fs_fuzz_seed_$seed why
    why=$(judge "$seed" "$status" "$log" "$out" "$img")
    if [ -n "$why" ]; then
        fail "$name" "$why (corruptions: ${did:-none}; image: $img)" "$log"
        return
    fi
    pass "$name"
    [ "${FS_FUZZ_KEEP:-0}" = 1 ] || rm -f "$img"
}

# judge SEED STATUS LOG OUT IMAGE: nothing if the run was right, else why not.
judge() {
    local seed=$1 status=$2 log=$3 out=$4 img=$5 e
    case $status in
        0) ;;
        124) echo "no answer within $BOOT_TIMEOUT s (a hang?)"; return ;;
        125) echo "the kernel failed (panic?)"; return ;;
        *) echo "the walker ended with status $status"; return ;;
    esac
    grep -q '^fs_fuzz_walk: done$' "$out" || { echo "the walker did not finish"; return; }
    # Mounted; or refused with a reason; or not taken for ext2 at all, when the
    # corruption hit the magic number.
    if ! grep -q '^vfs: / is ext2 on vda' "$log"; then
        grep -q '^vfs: no ext2 disk' "$log" || { echo "the disk was neither mounted nor refused"; return; }
        if [ "$(od -An -tx2 -j 1080 -N 2 "$img" | tr -d ' ')" = ef53 ] && ! grep -q '^ext2 vda: ' "$log"; then
            echo "an ext2 disk was refused without a line \"ext2 vda: ...\" saying why"
            return
        fi
    fi
    grep -q '^vmlab: memory check: [0-9]* free frames, as before the first program$' "$log" ||
        { echo "the memory check is not clean: $(grep 'memory check' "$log")"; return; }
    for e in $(sed '/^change: /,$d' "$out" | awk '/^error / { print $2 }'); do
        [[ " $ALLOWED_ERRORS " == *" $e "* ]] || { echo "the walk met $e"; return; }
    done
    grep -qE '^change: [0-9]+ calls' "$out" || { echo "the change step did not run"; return; }
    for e in $(sed -n '/^change: /,$p' "$out" | awk '/^error / { print $2 }'); do
        [[ " $ALLOWED_CHANGE_ERRORS " == *" $e "* ]] || { echo "the change step met $e"; return; }
    done
    [ "$seed" = 0 ] || return 0
    if ! diff -q <(grep '^walk: ' "$out") "$work/host.walk" >/dev/null; then
        echo "the pristine disk walks as \"$(grep '^walk: ' "$out")\", on the host as \"$(cat "$work/host.walk")\""
    elif [ "$(sed -n '/^change: /,/^fs_fuzz_walk: done$/p' "$out" | tr '\n' '|')" != \
        "change: 10 calls, 1 errors|error ENOTEMPTY 1 first from rmdir|fs_fuzz_walk: done|" ]; then
        echo "on the pristine disk every change but rmdir of a full directory must work: $(sed -n '/^change: /,$p' "$out" | tr '\n' ' ')"
    elif ! e2fsck -fn "$img" >"$img.fsck" 2>&1; then
        echo "e2fsck -fn finds the pristine image damaged after the run: $(head -n 3 "$img.fsck" | tr '\n' ' ')"
    fi
}

fuzz_test() {
    if ! command -v musl-gcc >/dev/null || ! command -v mke2fs >/dev/null || ! command -v debugfs >/dev/null; then
        fail fs_fuzz "musl-gcc, mke2fs or debugfs missing (Debian: musl-tools, e2fsprogs)"
        return
    fi
    mkdir -p "$logs"
    make_staging "$work/staging"
    mkdir "$work/staging/lost+found" # as mke2fs makes it, so the host walk sees it too
    : >"$work/made.img"
    mke2fs -q -F -t ext2 -b "$BLOCK_SIZE" -d "$work/staging" "$work/made.img" 2M || { fail fs_fuzz "mke2fs failed"; return; }
    "$program" "$work/staging" | grep '^walk: ' >"$work/host.walk"
    targets "$work/made.img" >"$work/targets"
    if [ "$(awk '{ a[$3] = 1 } END { print length(a) }' "$work/targets")" != 7 ]; then
        fail fs_fuzz "debugfs and dumpe2fs did not name all 7 kinds of metadata" "$work/targets"
        return
    fi
    local seed started=0
    for seed in $(seed_range "${FS_FUZZ_SEEDS:-$FS_FUZZ_TEST_SEEDS}"); do
        in_parallel check_seed "$seed"
        # a batch at a time, so that hundreds of seeds do not all queue for a slot
        [ $((++started % SEEDS_PER_BATCH)) = 0 ] && wait_parallel
    done
    wait_parallel
}

selected fs_fuzz && fuzz_test
true
