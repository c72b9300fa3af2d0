#!/usr/bin/env bash
# block.sh — the virtio disk and the block layer (kernel/dev/), against disk images
# of known contents made here: word j (of 64) of sector i is 0x564d000000000000 |
# i << 8 | j. The kernel's tests (tests/kernel/ktest_block.c) read and check
# sectors, write sectors 36000..36299 with a second pattern and flush; after the
# power-off the image must be exactly the first pattern with those sectors
# replaced. A second boot attaches the disk through QEMU's blkdebug driver, which
# fails every read of sector 777 and every write of 778, plus a second disk (vdb,
# in PCI order).
source "$(dirname "$0")/lib.sh"

SECTORS=40960 # 20 MiB: the 16 MiB read of the throughput test, and room to write
WRITE_START=36000
WRITE_COUNT=300
ERROR_SECTOR=777

# make_image FILE SECTORS [FROM COUNT]: the test pattern; sectors FROM..FROM+COUNT-1
# with the written pattern (0x5752... "WR") instead, as the kernel writes them.
make_image() {
    perl -e 'my ($n, $from, $count) = @ARGV;
        binmode STDOUT;
        for my $i (0 .. $n - 1) {
            my $tag = ($i >= $from && $i < $from + $count) ? 0x5752 : 0x564d;
            print pack("Q<*", map { ($tag << 48) | ($i << 8) | $_ } 0 .. 63);
        }' "$2" "${3:-0}" "${4:-0}" >"$1"
}

work=$(mktemp -d "$logdir/block.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The tests and the boot's counter line; then the bytes on the image.
disk_tests() {
    make_image "$work/disk.img" $SECTORS
    boot block_disk_tests --disk "$work/disk.img" --cmdline "test=disk_ panic=poweroff" --timeout 120
    local log=$logdir/block_disk_tests.log
    if grep -q "no test disk" "$log"; then
        fail block_disk_tests "the kernel did not see the test disk" "$log"
        return
    fi
    # 8 tests each read sector 0 to recognise the disk (8 requests), then:
    # 1 + 300 (2 requests) + 2 + 9 + written 300 (2 + flush + 2) + 2048 (8) + 100 x 8 (100)
    # + 16 MiB (256)
    expect block_disk_tests "$log" "$status" 0 \
        "pci 00:03.0 1af4:1001 storage virtio-blk irq " \
        "vda: virtio-blk at 00:03.0, 40960 sectors (20 MiB), irq " \
        "PASS ktest/disk_read_one_sector_into_a_stack_buffer" \
        "PASS ktest/disk_read_300_sectors_is_two_requests" \
        "PASS ktest/disk_read_the_last_sector" \
        "PASS ktest/disk_read_into_an_unaligned_buffer_across_pages" \
        "PASS ktest/disk_out_of_range_and_empty_requests_are_einval" \
        "PASS ktest/disk_write_flush_and_read_back" \
        "disk: while a process read 2048 sectors (8 requests), another ran " \
        "PASS ktest/disk_sleeping_reader_lets_another_process_run" \
        "PASS ktest/disk_a_hundred_readers_at_once_wait_for_room_in_the_queue" \
        "disk: read 16 MiB in 64 KiB requests in " \
        "PASS ktest/disk_read_throughput" \
        "ktest: 9 passed, 0 failed" \
        "block vda: 383 requests, 36237 sectors read, 300 sectors written, 0 errors, "
    make_image "$work/expected.img" $SECTORS $WRITE_START $WRITE_COUNT
    local diff
    if diff=$(cmp "$work/disk.img" "$work/expected.img" 2>&1); then
        pass block_writes_reach_the_image_file
    else
        fail block_writes_reach_the_image_file "the image is not the pattern with sectors $WRITE_START..$((WRITE_START + WRITE_COUNT - 1)) written: $diff"
    fi
}

# Reads of sector 777 and writes of 778 fail (EIO injected by blkdebug): -EIO, one
# line each, and the kernel goes on.
error_tests() {
    make_image "$work/faulty.img" $SECTORS
    make_image "$work/small.img" 2048
    printf '[inject-error]\nevent = "%s"\nerrno = "5"\nsector = "%d"\n' \
        read_aio $ERROR_SECTOR write_aio $((ERROR_SECTOR + 1)) >"$work/blkdebug.cfg"
    boot_expect block_io_error_is_eio_and_the_kernel_goes_on 0 \
        --blkdebug "$work/blkdebug.cfg:$work/faulty.img" --disk "$work/small.img" \
        --cmdline "test=diskerr_ panic=poweroff" --timeout 60 -- \
        "vda: virtio-blk at 00:03.0, 40960 sectors (20 MiB)" \
        "vdb: virtio-blk at 00:04.0, 2048 sectors (1 MiB)" \
        "vda: read of 1 sectors at sector 777 failed: virtio-blk status 1 (I/O error)" \
        "vda: read of 16 sectors at sector 769 failed: virtio-blk status 1 (I/O error)" \
        "vda: write of 1 sectors at sector 778 failed: virtio-blk status 1 (I/O error)" \
        "PASS ktest/diskerr_read_of_a_failing_sector_is_eio" \
        "ktest: 1 passed, 0 failed" \
        "block vda: 6 requests, 3 sectors read, 0 sectors written, 3 errors, " \
        "block vdb: 0 requests, 0 sectors read, 0 sectors written, 0 errors, "
}

selected block_disk_tests block_writes_reach_the_image_file && in_parallel disk_tests
selected block_io_error_is_eio_and_the_kernel_goes_on && in_parallel error_tests
wait_parallel
