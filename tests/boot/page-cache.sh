#!/usr/bin/env bash
# page-cache.sh — the page cache and the disk (mm/page_cache.c, kernel/fs/file_pages.c):
#   page_cache_shared_stores_reach_the_disk
#                         tests/musl/mmap_persist writes two files only through
#                         MAP_SHARED mappings (no msync, no fsync): one munmap'ed,
#                         one still mapped when the program ends. After the clean
#                         power-off the host reads both from the image (debugfs)
#                         byte for byte, e2fsck -fn is clean, and a second boot of
#                         the same image reads them back with read()
#   page_cache_first_touch_is_major
#                         a 40 KiB file put on the image by the host, mapped in a
#                         child: touching its 10 pages is 1 major fault (the disk is
#                         read once, 32 pages of read-ahead) and 9 minor ones; a
#                         second child mapping it again finds them all cached: 0
#                         major faults, 10 minor
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/mmap_persist
image=$here/build/root.img
work=$(mktemp -d "$logdir/page-cache.XXXXXX")
trap 'rm -rf "$work"' EXIT

# byte i of each file: (i * 7 + i / 4096) & 0xff, 3 pages and 123 bytes
expected_bytes() {
    python3 -c 'import sys; sys.stdout.buffer.write(bytes(((i * 7 + i // 4096) & 0xff) for i in range(3 * 4096 + 123)))'
}

persist_test() {
    cp "$image" "$work/persist.img"
    run_elf --timeout 60 --log "$logdir/page_cache_persist_1.log" --disk "$work/persist.img" \
        "$program" write /tmp >"$work/write.out"
    local first=$status
    expected_bytes >"$work/expected"
    local f
    for f in unmapped at-exit; do
        debugfs -R "dump /tmp/$f.dat $work/$f.host" "$work/persist.img" >/dev/null 2>&1
    done
    if [ "$first" != 0 ]; then
        fail page_cache_shared_stores_reach_the_disk "the first boot failed (status $first)" "$work/write.out"
        return
    fi
    for f in unmapped at-exit; do
        if ! cmp -s "$work/expected" "$work/$f.host"; then
            fail page_cache_shared_stores_reach_the_disk "/tmp/$f.dat on the image is not what was stored ($(cmp "$work/expected" "$work/$f.host" 2>&1 | head -n 1))"
            return
        fi
    done
    if ! e2fsck -fn "$work/persist.img" >"$work/e2fsck.log" 2>&1; then
        fail page_cache_shared_stores_reach_the_disk "e2fsck -fn after the first boot" "$work/e2fsck.log"
        return
    fi
    run_elf --timeout 60 --log "$logdir/page_cache_persist_2.log" --disk "$work/persist.img" \
        "$program" check /tmp >"$work/check.out"
    expect page_cache_shared_stores_reach_the_disk "$work/check.out" "$status" 0 \
        "/tmp/unmapped.dat: 12411 bytes read back, 0 wrong" "/tmp/at-exit.dat: 12411 bytes read back, 0 wrong"
}

majflt_test() {
    cp "$image" "$work/majflt.img"
    head -c 40960 /dev/urandom >"$work/forty.bin"
    debugfs -w -R "write $work/forty.bin /home/forty.bin" "$work/majflt.img" >/dev/null 2>&1
    run_elf --timeout 60 --log "$logdir/page_cache_majflt.log" --disk "$work/majflt.img" \
        "$program" majflt /home/forty.bin >"$work/majflt.out"
    expect page_cache_first_touch_is_major "$work/majflt.out" "$status" 0 \
        "first mapping: 10 pages touched, major faults 1, minor faults 9" \
        "second mapping: 10 pages touched, major faults 0, minor faults 10"
}

if [ ! -x "$program" ] || ! command -v debugfs >/dev/null; then
    selected page_cache_shared_stores_reach_the_disk page_cache_first_touch_is_major &&
        fail page_cache "build/musl/mmap_persist or debugfs missing (musl-tools, e2fsprogs)"
    exit 0
fi
selected page_cache_shared_stores_reach_the_disk && in_parallel persist_test
selected page_cache_first_touch_is_major && in_parallel majflt_test
wait_parallel
