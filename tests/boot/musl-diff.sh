#!/usr/bin/env bash
# musl-diff.sh — programs built with a stock toolchain (musl-gcc -static) run on
# the host's Linux and on vmlab (tests/run-elf); stdout and the exit status must
# be identical, byte for byte, and on vmlab every frame's reference count must
# check out after each process and all memory come back at the end.
source "$(dirname "$0")/lib.sh"

dir="$here/build/musl"

# compare NAME PROGRAM [ARGS...]
compare() {
    local name=$1 program=$dir/$2
    shift 2
    local host_out="$logdir/musl-$name.host" vmlab_out="$logdir/musl-$name.vmlab"
    "$program" "$@" >"$host_out" 2>&1
    local host_status=$?
    run_elf --timeout 60 --log "$logdir/musl-$name.log" "$program" "$@" >"$vmlab_out"
    local vmlab_status=$status
    if [ "$host_status" != "$vmlab_status" ]; then
        fail "musl_$name" "exit status: Linux $host_status, vmlab $vmlab_status" "$logdir/musl-$name.log"
    elif ! cmp -s "$host_out" "$vmlab_out"; then
        fail "musl_$name" "output differs from Linux (- Linux, + vmlab)"
        diff -u "$host_out" "$vmlab_out" | tail -n +3 | head -n 20 | sed 's/^/    | /'
    elif grep -q "^mm check" "$logdir/musl-$name.log" ||
        ! grep -q "memory check: .* as before the first program" "$logdir/musl-$name.log"; then
        fail "musl_$name" "memory check failed on vmlab" "$logdir/musl-$name.log"
    else
        pass "musl_$name"
    fi
}

# test NAME PROGRAM [ARGS...]: compare, in the background, if the test is wanted.
test_one() {
    selected "musl_$1" || return 0
    if ! command -v musl-gcc >/dev/null; then
        fail "musl_$1" "musl-gcc is not installed (Debian: musl-tools)"
        return 0
    fi
    in_parallel compare "$@"
}

for program in "$dir"/*; do
    [ -x "$program" ] || continue
    name=$(basename "$program")
    case "$name" in
        exit_status) for code in 0 1 42 255; do test_one "${name}_$code" "$name" "$code"; done ;;
        hello_printf_pie) test_one "$name" "$name" one two three ;;
        hello_printf)
            test_one "$name" "$name" one two three
            # Arguments reach the program byte for byte (run-elf passes them in a boot
            # file), even those the kernel would take for its own options, and those
            # GRUB's command line could not carry: empty ones, quotes, spaces.
            test_one hello_printf_odd_arguments "$name" test init=/bin/x -- "a b" "" '"' "it's" \
                'back\slash' '$HOME' "tab	x" " lead" "trail " quiet=1
            ;;
        filesoak) test_one "$name" "$name" --steps 150 1-3 ;; # short: make fuzz runs 40 seeds of 2000
        fs_stress) ;; # needs a disk: tests/boot/fuzz.sh runs it (e2fsck after)
        poweroff_busy) ;; # powers vmlab off: root-disk.sh runs it
        reboot_rules) ;; # the host may lack CAP_SYS_BOOT (EPERM first): root-disk.sh runs it
        fs_walk) ;; # needs a disk image: tests/boot/fs-walk.sh runs it (with Linux's walk)
        exec_paths) ;; # needs a prepared tree: tests/boot/root-disk.sh runs it
        tty_modes) ;; # needs typed input: tests/boot/busybox.sh runs it
        busybox_lines) ;; # needs busybox: tests/boot/busybox.sh runs it
        persist) ;;    # needs arguments and a disk: tests/boot/root-disk.sh runs it
        names) ;; # needs a disk image: tests/boot/names.sh runs it (with Linux's run)
        names_fuzz) ;; # likewise
        files_write) ;; # needs a disk image: tests/boot/fs-write.sh runs it (and on Linux)
        fs_fuzz_walk) ;; # needs a disk image: tests/boot/fs-fuzz.sh runs it over corrupted ones
        mmap_file) ;; # needs a disk image: tests/boot/mmap-file.sh runs it (and on Linux)
        mmap_persist) ;; # needs arguments and a disk: tests/boot/page-cache.sh runs it
        signals) ;; # tests/boot/signals.sh runs it (with Linux's run)
        signal_storm) ;; # likewise, with the argument "all"
        *) test_one "$name" "$name" ;;
    esac
done
wait_parallel
