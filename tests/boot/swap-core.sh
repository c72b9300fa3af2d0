#!/usr/bin/env bash
# swap-core.sh — the swap core (mm/reclaim.c, mm/swap_in.c, mm/swap_slots.c) under
# pressure, in one boot: tests/musl/swapcore with 32 MiB of RAM and a 128 MiB swap
# disk, pushing pages out with 40 MiB of other memory. It checks one page's journey
# (written, swapped out, read back with one major fault), a region's pages leaving
# and coming back byte for byte, mlock keeping pages in, copy-on-write of swapped
# pages across fork, munmap and mremap carrying slots (VmSwap exact), PROT_NONE,
# mincore of swapped pages (resident only in the swap cache, never through a file),
# madvise(MADV_PAGEOUT) sending a region's pages out at once,
# a local resident set (vmlab call 502) shared by fork, the cmdline of a process
# whose argument pages are swapped out, MADV_REMOVE freeing the slots of shared
# anonymous pages that are out, and swapoff bringing every page back. The
# invariant check runs after every reaped process and at the end (the log must say
# the memory check passed, and never "mm check"). The journey's
# three lines must be the worked example of mm/README.md, word for word. A second
# boot, beside it, runs swap_errors on a disk that fails some reads and writes.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/swapcore

swapcore_test() {
    if [ ! -x "$program" ]; then
        fail swap_core_passes "musl-gcc missing: no $program"
        return
    fi
    run_elf --timeout 150 --mem 32M --swap 128M --log "$logdir/swapcore.log" \
        "$program" run 40 /dev/vdb >"$logdir/swapcore.out"
    expect swap_core_passes "$logdir/swapcore.out" "$status" 0 "swapcore: PASS"
    if grep -q "mm check" "$logdir/swapcore.log"; then # the check after a reap, mid-run
        fail swap_core_memory_check "$(grep -m1 "mm check" "$logdir/swapcore.log")" \
            "$logdir/swapcore.log"
    else
        expect swap_core_memory_check "$logdir/swapcore.log" "$status" 0 \
            "vmlab: memory check: " "free frames, as before the first program"
    fi
    local missing=""
    while IFS= read -r line; do
        grep -qxF "    $line" "$here/mm/README.md" || missing="$missing$line; "
    done < <(grep '^journey: ' "$logdir/swapcore.out")
    if [ -n "$missing" ] || ! grep -q '^journey: ' "$logdir/swapcore.out"; then
        fail swap_core_journey_is_the_readme_sample "mm/README.md lacks: ${missing:-the journey}"
    else
        pass swap_core_journey_is_the_readme_sample
    fi
}

# A failing swap disk: tests/musl/swap_errors on a fresh mkswap'd disk behind QEMU's
# blkdebug, every read of slot 500 (sector 4000) and every write of slot 1000
# (sector 8000) failing. The failed write loses nothing; the failed read loses
# exactly its page (one SIGBUS, which the program catches); swapoff then succeeds,
# as on Linux 6.1, leaving that page lost (SIGBUS when touched, also in a child
# forked afterwards and after mremap; mincore 0; mlock ENOMEM) and every other page intact; every frame
# comes back. Then, swapped on again, shared anonymous memory on the same disk:
# only the page in slot 500 lost, and slot 1000, whose write failed, retired (was:
# freed, to fail again at each reuse, with the whole run of pages around it);
# swapoff with that page still out succeeds (was: EIO), the object marking it lost:
# SIGBUS when touched, with the kernel's line, until MADV_REMOVE makes it a hole.
swap_errors_test() {
    local work
    work=$(mktemp -d "$logdir/swap-errors.XXXXXX")
    truncate -s 64M "$work/swap.img"
    if ! PATH="$PATH:/usr/sbin:/sbin" mkswap -q "$work/swap.img" >/dev/null; then
        fail swap_errors_lose_one_page "mkswap (util-linux) missing"
        return
    fi
    printf '[inject-error]\nevent = "read_aio"\niotype = "read"\nerrno = "5"\nsector = "4000"\n\n' >"$work/errors.conf"
    printf '[inject-error]\nevent = "write_aio"\niotype = "write"\nerrno = "5"\nsector = "8000"\n' >>"$work/errors.conf"
    run_elf --timeout 150 --mem 32M --blkdebug "$work/errors.conf:$work/swap.img" \
        --log "$logdir/swap-errors.log" "$here/build/musl/swap_errors" /dev/vda 48 >"$logdir/swap-errors.out"
    expect swap_errors_lose_one_page "$logdir/swap-errors.out" "$status" 0 "swapon: 0" \
        "pages: 12288, SIGBUS pages: 1, wrong pages: 0" "child: exit 0"
    expect swap_errors_swapoff_keeps_it_lost "$logdir/swap-errors.out" "$status" 0 "swapoff: 0" \
        "after swapoff: SIGBUS pages: 1 (the same page), wrong pages: 0" "VmSwap: 0 kB" \
        "mincore of the lost page: 0" "mlock over the lost page: ENOMEM" \
        "forked child touching the lost page: signal 7" "lost page moved by mremap: SIGBUS"
    expect swap_errors_shared_retires_the_slot "$logdir/swap-errors.out" "$status" 0 \
        "shared: swapon: 0" "shared: pages: 12288, SIGBUS pages: 1, wrong pages: 0, slots retired: 1" \
        "shared: swapoff: 0"
    # the second "page lost" line: the child killed by the shared page (the first: the private one)
    if [ "$(grep -c "page lost: swapoff could not read it back from swap" "$logdir/swap-errors.log")" -lt 2 ]; then
        fail swap_errors_shared_swapoff_marks_it_lost "no kernel line for the child the lost shared page killed" \
            "$logdir/swap-errors.log"
    else
        expect swap_errors_shared_swapoff_marks_it_lost "$logdir/swap-errors.out" "$status" 0 \
            "shared: swapoff: 0" "shared: after swapoff: SIGBUS pages: 1 (the same page), wrong pages: 0" \
            "shared: a child touching the lost page: signal 7" "shared: the lost page after MADV_REMOVE: reads 0"
    fi
    expect swap_errors_memory_check "$logdir/swap-errors.log" "$status" 0 \
        "vda: write of 8 sectors at sector 8000 failed" \
        "page lost: swapoff could not read it back from swap" "vmlab: memory check: " \
        "free frames, as before the first program"
    rm -rf "$work"
}

selected swap_core_passes swap_core_memory_check swap_core_journey_is_the_readme_sample &&
    in_parallel swapcore_test
selected swap_errors_lose_one_page swap_errors_swapoff_keeps_it_lost \
    swap_errors_shared_retires_the_slot swap_errors_shared_swapoff_marks_it_lost swap_errors_memory_check &&
    in_parallel swap_errors_test
wait_parallel
exit 0
