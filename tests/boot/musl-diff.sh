#!/usr/bin/env bash
# musl-diff.sh — programs built with a stock toolchain (musl-gcc -static) run on
# the host's Linux and on vmlab; stdout and the exit status must be identical, byte
# for byte, and on vmlab every frame's reference count must check out after each
# process and all memory come back at the end.
#
# Booting costs about a second of QEMU, SeaBIOS and GRUB, so most programs share
# a boot: batches of BATCH_SIZE run one after the other under batch_runner
# (tests/musl/batch_runner.c, pid 1), which delimits each program's output and
# status; the programs in SOLO_PROGRAMS boot alone (see there why). Each test
# keeps its own PASS/FAIL line. The kernel's memory check after each reap, and at
# the end, covers the whole batch: if it fails, every test of the batch fails.
source "$(dirname "$0")/lib.sh"

dir="$here/build/musl"
BATCH_SIZE=9
PROGRAM_TIMEOUT=60 # seconds, per program as when each booted alone

# Programs that need a machine of their own: fault_signals and vfork_kill reap
# their orphaned grandchildren, which only init (pid 1) gets on vmlab (a subreaper
# on Linux); out_of_memory fills all memory (the kernel's OOM choice could fall on
# the runner); region_limit maps 65530 regions.
SOLO_PROGRAMS=" fault_signals vfork_kill out_of_memory region_limit "

# judge NAME HOST_STATUS VMLAB_STATUS LOG MEMORY_OK: compare the two runs of test
# NAME, whose outputs are in $logdir/musl-NAME.host and .vmlab.
judge() {
    local name=$1 host_status=$2 vmlab_status=$3 log=$4 memory_ok=$5
    local host_out="$logdir/musl-$name.host" vmlab_out="$logdir/musl-$name.vmlab"
    if [ "$host_status" != "$vmlab_status" ]; then
        fail "musl_$name" "exit status: Linux $host_status, vmlab $vmlab_status" "$log"
    elif ! cmp -s "$host_out" "$vmlab_out"; then
        fail "musl_$name" "output differs from Linux (- Linux, + vmlab)"
        diff -u "$host_out" "$vmlab_out" | tail -n +3 | head -n 20 | sed 's/^/    | /'
    elif [ "$memory_ok" != yes ]; then
        fail "musl_$name" "memory check failed on vmlab ($memory_ok)" "$log"
    else
        pass "musl_$name"
    fi
}

# memory_verdict LOG: "yes" if the kernel's checks in LOG all passed, else which.
memory_verdict() {
    if grep -q "^mm check" "$1"; then
        echo "a check after a reap"
    elif ! grep -q "memory check: .* as before the first program" "$1"; then
        echo "the check at the end"
    else
        echo yes
    fi
}

# host_run NAME PROGRAM [ARGS...]: run it on Linux; its status in $host_status.
host_run() {
    local name=$1 program=$dir/$2
    shift 2
    host_status=0
    "$program" "$@" >"$logdir/musl-$name.host" 2>&1 || host_status=$?
}

# compare NAME PROGRAM [ARGS...]: on Linux, then alone in a boot of its own.
compare() {
    local name=$1 log="$logdir/musl-$1.log"
    host_run "$@"
    shift
    run_elf --timeout "$PROGRAM_TIMEOUT" --log "$log" "$dir/$1" "${@:2}" >"$logdir/musl-$name.vmlab"
    judge "$name" "$host_status" "$status" "$log" "$(memory_verdict "$log")"
}

test_names=() test_words=() # test i: its name, and its program and arguments (%q)
solo_tests=() batched_tests=()

# test NAME PROGRAM [ARGS...]: note the test if it is wanted.
test_one() {
    selected "musl_$1" || return 0
    if ! command -v musl-gcc >/dev/null; then
        fail "musl_$1" "musl-gcc is not installed (Debian: musl-tools)"
        return 0
    fi
    local i=${#test_names[@]}
    test_names+=("$1")
    test_words+=("$(shift; printf '%q ' "$@")")
    if [[ "$SOLO_PROGRAMS" == *" $2 "* ]]; then solo_tests+=("$i"); else batched_tests+=("$i"); fi
}

# run_batch LABEL I...: tests I... on Linux, then one after the other in one boot.
run_batch() {
    local label=$1 log="$logdir/musl-$1.log" out="$logdir/musl-$1.out"
    shift
    local runner_args=(--batch "$PROGRAM_TIMEOUT") withs=() i words host_statuses=()
    for i in "$@"; do
        eval "words=(${test_words[$i]})"
        host_run "${test_names[$i]}" "${words[@]}"
        host_statuses+=("$host_status")
        runner_args+=("${#words[@]}" "/bin/${words[0]}" "${words[@]:1}")
        withs+=(--with "$dir/${words[0]}")
    done
    run_elf --timeout $((PROGRAM_TIMEOUT * $# + 30)) --log "$log" "${withs[@]}" \
        "$dir/batch_runner" "${runner_args[@]}" >"$out"
    local boot_status=$status memory_ok k=0
    memory_ok=$(memory_verdict "$log")
    [ "$memory_ok" = yes ] || memory_ok="$memory_ok, in batch $label"
    for i in "$@"; do
        local name=${test_names[$i]} vmlab_status
        vmlab_status=$(split_output "$out" "$k" "$logdir/musl-$name.vmlab")
        [ -n "$vmlab_status" ] || vmlab_status="none: the batch's boot ended with $boot_status"
        judge "$name" "${host_statuses[$k]}" "$vmlab_status" "$log" "$memory_ok"
        k=$((k + 1))
    done
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
        batch_runner) ;; # runs the others (run_batch)
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
        swapcore) ;; # needs swap and 32 MiB: tests/boot/swap-core.sh runs it
        swapsoak) ;; # needs swap and 32 MiB: make fuzz runs it (tests/boot/fuzz.sh --long)
        swap_errors) ;; # needs a failing swap disk: tests/boot/swap-core.sh runs it
        stress) ;; # more memory than the machine: tests/boot/swap-stress.sh runs it with swap
        replay) ;; # vmlab's own calls, traces and swap: tests/boot/replay.sh runs it
        loadctl) ;; # vmlab's own /proc files, swap, 16 MiB: tests/boot/loadctl.sh runs it
        *) test_one "$name" "$name" ;;
    esac
done
for i in "${solo_tests[@]}"; do
    eval "words=(${test_words[$i]})"
    in_parallel compare "${test_names[$i]}" "${words[@]}"
done
for ((first = 0; first < ${#batched_tests[@]}; first += BATCH_SIZE)); do
    in_parallel run_batch "batch$((first / BATCH_SIZE + 1))" "${batched_tests[@]:first:BATCH_SIZE}"
done
wait_parallel
