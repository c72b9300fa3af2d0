#!/usr/bin/env bash
# user-programs.sh — the `test` programs of user/programs.list under tests/run-elf,
# one boot each: each must exit 0 and print no "FAILED", the kernel must survive
# whatever they do (the crash and fuzz programs included), and every frame must be
# free again afterwards (the kernel's memory check after the program, in its log).
source "$(dirname "$0")/lib.sh"

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

# run PROGRAM: run-elf, expecting exit 0, no FAILED and a clean memory check.
run() {
    local program=$1 name=user_$1_passes
    local log="$logdir/user-$program.log" out="$logdir/user-$program.out"
    run_elf --timeout 60 --log "$log" "${withs[@]}" "$bin/$program" >"$out"
    local why=""
    if [ "$status" -ne 0 ]; then
        why="exit status $status"
    elif grep -q "FAILED" "$out"; then
        why="a check FAILED"
    elif grep -q "^mm check" "$log" || ! grep -q "vmlab: memory check: .* as before the first program" "$log"; then
        why="memory not returned: $(grep 'memory check' "$log")"
    fi
    if [ -z "$why" ]; then
        pass "$name"
        return
    fi
    fail "$name" "$why (output: $out)" "$log"
    grep -E 'FAILED' "$out" | head -n 10 | sed 's/^/    | program: /'
}

for program in "${wanted[@]}"; do
    in_parallel run "$program"
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
