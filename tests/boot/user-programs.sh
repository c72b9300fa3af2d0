#!/usr/bin/env bash
# user-programs.sh — the `test` programs of user/programs.list under tests/run-elf:
# each must exit 0 and print no "FAILED", the kernel must survive whatever they do
# (the crash and fuzz programs included), and every frame must be free again
# afterwards (the kernel's memory check after each reap and at the end, in the log).
#
# A boot costs about a second of QEMU, SeaBIOS and GRUB, so most programs share
# one: batches of BATCH_SIZE run one after the other under tests/musl/batch_runner
# (pid 1), which delimits each program's output and exit status, as musl-diff.sh
# does. Each test keeps its own PASS/FAIL line; the memory check covers the whole
# batch (if it fails, every test of the batch fails, naming the batch). The
# programs in SOLO_PROGRAMS boot alone (see there why).
source "$(dirname "$0")/lib.sh"

BATCH_SIZE=6
PROGRAM_TIMEOUT=60 # seconds, per program as when each booted alone
# crashtest: user_crash_reasons_in_words reads the kill lines of its log, which
# must be its own; exectest fills memory to the last frames (the runner must not
# be the one the kernel finds no memory for).
SOLO_PROGRAMS=" crashtest exectest "

bin="$here/build/user/stripped" # the programs without debug information: faster boots
programs=$(awk '!/^#/ && $2 == "test" { print $1 }' "$here/user/programs.list")

wanted=()
for program in $programs; do selected "user_${program}_passes" && wanted+=("$program"); done
selected user_sigframe_is_the_readme_sample && [[ " ${wanted[*]-} " != *" sigframe "* ]] && wanted+=(sigframe)
selected user_crash_reasons_in_words && [[ " ${wanted[*]-} " != *" crashtest "* ]] && wanted+=(crashtest)
[ ${#wanted[@]} -gt 0 ] || exit 0
if [ ! -x "$bin/hello" ]; then
    fail user_programs_built "$bin has no programs (make)"
    exit 0
fi
# Every program is on board, so they can execve each other; plus the malformed
# executables (tests/elf/make-malformed) for exectest.
withs=()
for p in "$bin"/* "$here"/build/user/malformed/*; do [ -f "$p" ] && [ -x "$p" ] && withs+=(--with "$p"); done

# memory_verdict LOG: empty if the kernel's checks in LOG all passed, else why.
memory_verdict() {
    if grep -q "^mm check" "$1" || ! grep -q "vmlab: memory check: .* as before the first program" "$1"; then
        echo "memory not returned: $(grep 'memory check' "$1")"
    fi
}

# judge PROGRAM STATUS LOG MEMORY: the verdict on one program, whose output is in
# $logdir/user-PROGRAM.out; MEMORY is memory_verdict's.
judge() {
    local program=$1 status=$2 log=$3 memory=$4 name=user_$1_passes
    local out="$logdir/user-$program.out" why=""
    if [ "$status" != 0 ]; then
        why="exit status $status"
    elif grep -q "FAILED" "$out"; then
        why="a check FAILED"
    elif [ -n "$memory" ]; then
        why=$memory
    fi
    if [ -z "$why" ]; then
        pass "$name"
        return
    fi
    fail "$name" "$why (output: $out)" "$log"
    grep -E 'FAILED' "$out" | head -n 10 | sed 's/^/    | program: /'
}

# run PROGRAM: alone in a boot of its own.
run() {
    local program=$1 log="$logdir/user-$1.log"
    run_elf --timeout "$PROGRAM_TIMEOUT" --log "$log" "${withs[@]}" "$bin/$program" \
        >"$logdir/user-$program.out"
    judge "$program" "$status" "$log" "$(memory_verdict "$log")"
}

# run_batch LABEL PROGRAM...: the programs one after the other in one boot.
run_batch() {
    local label=$1 log="$logdir/user-$1.log" out="$logdir/user-$1.out"
    shift
    local runner_args=(--batch "$PROGRAM_TIMEOUT") program k=0 memory batch_withs=() w
    for program in "$@"; do
        runner_args+=(1 "/bin/$program")
        batch_withs+=(--with "$bin/$program")
    done
    # then the others, as many as fit: the kernel takes 32 boot modules, and the
    # runner and its arguments file are two (the rest run from the root disk's /bin)
    for w in "${withs[@]}"; do
        [ "$w" = --with ] || [[ " $* " == *" $(basename "$w") "* ]] || batch_withs+=(--with "$w")
    done
    batch_withs=("${batch_withs[@]:0:60}")
    run_elf --timeout $((PROGRAM_TIMEOUT * $# + 30)) --log "$log" "${batch_withs[@]}" \
        "$here/build/musl/batch_runner" "${runner_args[@]}" >"$out"
    local boot_status=$status
    memory=$(memory_verdict "$log")
    [ -z "$memory" ] || memory="$memory, in batch $label ($*)"
    for program in "$@"; do
        local program_status
        program_status=$(split_output "$out" "$k" "$logdir/user-$program.out")
        [ -n "$program_status" ] || program_status="none: the batch's boot ended with $boot_status"
        judge "$program" "$program_status" "$log" "$memory"
        k=$((k + 1))
    done
}

solo=() batched=()
for program in "${wanted[@]}"; do
    if [[ "$SOLO_PROGRAMS" == *" $program "* ]]; then solo+=("$program"); else batched+=("$program"); fi
done
if [ ${#batched[@]} -gt 0 ] && [ ! -x "$here/build/musl/batch_runner" ]; then
    fail user_programs_built "no build/musl/batch_runner (musl-gcc is not installed? Debian: musl-tools)"
    exit 0
fi
for program in ${solo[@]+"${solo[@]}"}; do
    in_parallel run "$program"
done
for ((first = 0; first < ${#batched[@]}; first += BATCH_SIZE)); do
    in_parallel run_batch "batch$((first / BATCH_SIZE + 1))" "${batched[@]:first:BATCH_SIZE}"
done
wait_parallel

# The kernel's one line per killed process gives the reason in words.
if selected user_crash_reasons_in_words; then
    expect user_crash_reasons_in_words "$logdir/user-crashtest.log" 0 0 \
        "killed by SIGSEGV: page fault at address 0x0, rip 0x" ": address not mapped" \
        ": write to read-only memory" ": execute of no-execute memory" \
        ": user access to a kernel address" "killed by SIGSEGV: general protection (#GP)" \
        "killed by SIGILL: invalid opcode (#UD)" "killed by SIGFPE: divide error (#DE)" \
        "killed by SIGTRAP: breakpoint (#BP)"
fi

# kernel/README.md's worked example of a signal frame is what sigframe prints: each
# line of the sample, in order, numbers (addresses) free.
if selected user_sigframe_is_the_readme_sample && [ -f "$logdir/user-sigframe.out" ]; then
    sample=$(awk '/tests\/run-elf build\/user\/sigframe/ { on = 1; next }
                  on && /^    / { print substr($0, 5); seen = 1; next } on && seen { exit }' \
        "$here/kernel/README.md")
    pattern_of() {
        perl -pe 's/0x[0-9a-f]+|[0-9]+/\x01/g; s/([][\\.^\$*+?(){}|\/])/\\$1/g; s/\x01/[0-9a-fx]+/g' <<<"$1"
    }
    missing=""
    while IFS= read -r line; do
        grep -qE -- "^$(pattern_of "$line")\$" "$logdir/user-sigframe.out" || missing="$line"
    done <<<"$sample"
    if [ -z "$sample" ]; then
        fail user_sigframe_is_the_readme_sample "kernel/README.md has no sigframe sample"
    elif [ -n "$missing" ]; then
        fail user_sigframe_is_the_readme_sample "sample line not printed: $missing" "$logdir/user-sigframe.out"
    else
        pass user_sigframe_is_the_readme_sample
    fi
fi
