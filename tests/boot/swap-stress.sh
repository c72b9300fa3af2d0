#!/usr/bin/env bash
# swap-stress.sh — the virtual-memory stress programs (tests/musl/stress/) and the
# thrashing demo (user/thrash.c) on a machine of 16 MiB with a 128 MiB swap disk,
# then vmstat's table (its swap-in row and swap line count what went through swap):
# each program uses more memory than the machine has, checks every value it reads
# back, and must end with "NAME: PASS" and exit status 0; the kernel's memory
# check after each program and at the end must pass too. The programs run one
# after the other under batch_runner (tests/musl/batch_runner.c) in two boots that
# run side by side; each program has its own PASS/FAIL line.
#
# Needs tests/run-elf --swap (a fresh swap disk, enabled at boot): without it the
# programs would only meet the OOM killer, so the script runs nothing.
source "$(dirname "$0")/lib.sh"

musl="$here/build/musl"
MEM=${SWAP_STRESS_MEM:-16M}        # SWAP_STRESS_MEM=256M SWAP_STRESS_SWAP= : the same
SWAP=${SWAP_STRESS_SWAP-128M}      # programs with memory enough and no swap disk
PROGRAM_TIMEOUT=120 # seconds per program: only to end a hang

swap_options=()
if [ -n "$SWAP" ]; then
    "$here/tests/run-elf" --help | grep -q -- '--swap' || exit 0
    swap_options=(--swap "$SWAP")
fi

# The programs and their sizes: each uses more than the 12.6 MiB a 16 MiB machine
# has free (swapverify 2.5 times that), and is small enough that the whole
# test stays within seconds under QEMU: every page over the memory costs a swap
# write and a read per pass. (Their defaults suit 32 MiB, for runs by hand.)
# NAME|WORDS (the program and its arguments; /bin/stress is the musl program)
batch_a=( # each program above the 12.6 MiB a 16 MiB machine leaves free
    "huge|/bin/stress huge 18"
    "matmult|/bin/stress matmult 1300 8"
    "sort|/bin/stress sort 14"
    "ctest|/bin/stress ctest 16"
    "bigfork|/bin/stress bigfork 10 4 2"
)
batch_b=( # swapverify: 32 MiB, 2.5 times what is free
    "parallelvm|/bin/stress parallelvm 4 768"
    "swapverify|/bin/stress swapverify ${SWAP:+--expect-swap} 32"
    # thrash: two workers each larger than what is free, so each must take major
    # faults on its own, whatever the scheduler does. (Was 4 x 1024 pages: 16 MiB
    # only if the workers overlap; forked one after the other, each 13 ms of work,
    # they ran one after the other once on a loaded host, 0 major faults.)
    "thrash|/bin/thrash 2 3328 2"
    # vmstat after them: its swap-in row and swap line show what went through swap
    "vmstat|/bin/vmstat"
)


# judge NAME STATUS OUT LOG: the program's exit status, its verdict line (the
# stress programs) or its last line (thrash, whose swap-ins must count as major
# faults; vmstat, whose table must count them too), and the kernel's memory checks.
judge() {
    local name=$1 status=$2 out=$3 log=$4
    local verdict="$name: PASS"
    [ "$name" = thrash ] && verdict="thrash: 2 of 2 processes finished in"
    [ "$name" = vmstat ] && verdict="swap: [0-9]* KiB of [1-9]"
    [ "$name" = vmstat ] && [ -z "$SWAP" ] && verdict="swap: none"
    if [ "$status" != 0 ]; then
        fail "swap_stress_$name" "exit status ${status:-none: the boot ended}" "$out"
    elif ! grep -q "^$verdict" "$out"; then
        fail "swap_stress_$name" "no \"$verdict\" line" "$out"
    elif [ "$name" = thrash ] && [ -n "$SWAP" ] &&
        ! grep -qE "^thrash: .*, [1-9][0-9]* major faults in all" "$out"; then
        fail "swap_stress_$name" "no major faults counted (getrusage's ru_majflt) under swap" "$out"
    elif [ "$name" = vmstat ] && [ -n "$SWAP" ] && selected swap_stress_thrash &&
        ! grep -qE "^    swap-in +[1-9]" "$out"; then # (thrash ran before it)
        fail "swap_stress_$name" "no swap-in row counting thrash's swap-ins" "$out"
    elif grep -q "^mm check" "$log"; then
        fail "swap_stress_$name" "the kernel's memory check after a reap failed" "$log"
    else
        pass "swap_stress_$name"
    fi
}

# run_batch LABEL ENTRY...: the programs of the batch in one boot, then a line each.
run_batch() {
    local label=$1 log="$logdir/swap-stress-$1.log" out="$logdir/swap-stress-$1.out"
    shift
    local args=(--batch "$PROGRAM_TIMEOUT") entry words
    for entry in "$@"; do
        read -r -a words <<<"${entry#*|}"
        args+=("${#words[@]}" "${words[@]}")
    done
    run_elf --mem "$MEM" "${swap_options[@]}" --timeout $((PROGRAM_TIMEOUT * $# + 30)) --log "$log" \
        --with "$musl/stress" "$musl/batch_runner" "${args[@]}" >"$out"
    local k=0 name status
    for entry in "$@"; do
        name=${entry%%|*}
        status=$(split_output "$out" "$k" "$logdir/swap-stress-$name.out")
        judge "$name" "$status" "$logdir/swap-stress-$name.out" "$log"
        k=$((k + 1))
    done
    if ! grep -q "memory check: .* as before the first program" "$log"; then
        fail "swap_stress_$label" "the memory check at the end did not pass" "$log"
    fi
}

# selected_entries ENTRY...: the entries whose test is wanted.
selected_entries() {
    local entry
    for entry in "$@"; do
        selected "swap_stress_${entry%%|*}" && echo "$entry"
    done
}

[ -x "$musl/stress" ] || { fail swap_stress "build/musl/stress missing (musl-gcc not installed?)"; exit 0; }
mapfile -t wanted_a < <(selected_entries "${batch_a[@]}")
mapfile -t wanted_b < <(selected_entries "${batch_b[@]}")
[ ${#wanted_a[@]} -gt 0 ] && in_parallel run_batch a "${wanted_a[@]}"
[ ${#wanted_b[@]} -gt 0 ] && in_parallel run_batch b "${wanted_b[@]}"
wait_parallel
