#!/usr/bin/env bash
# user-programs.sh — the self-checking programs of user/ under tests/run-elf: each
# must exit 0, the kernel must survive whatever they do (the crash and fuzz
# programs included), and every frame must be free again afterwards.
source "$(dirname "$0")/lib.sh"

bin="$here/build/user"
if [ ! -x "$bin/hello" ]; then
    fail user_programs_built "build/user/ has no programs (make)"
    exit 0
fi
# Every program is on board, so they can execve each other; plus the malformed
# executables (tests/elf/make-malformed) for exectest.
withs=()
for p in "$bin"/* "$bin"/malformed/*; do [ -f "$p" ] && [ -x "$p" ] && withs+=(--with "$p"); done

# run NAME PROGRAM [ARGS...]: run-elf, expecting exit 0 and a clean memory check.
run() {
    local name=$1 program=$2
    shift 2
    local log="$logdir/user-$name.log" out="$logdir/user-$name.out"
    "$here/tests/run-elf" --timeout 60 --log "$log" "${withs[@]}" "$bin/$program" "$@" >"$out"
    local status=$?
    cat "$out" >>"$log"
    if [ $status -ne 0 ]; then
        fail "user_$name" "exit status $status" "$log"
    elif grep -q "^mm check" "$log" || ! grep -q "vmlab: memory check: .* as before the first program" "$log"; then
        fail "user_$name" "memory not returned: $(grep 'memory check' "$log")" "$log"
    else
        pass "user_$name"
    fi
}

run hello_runs hello
for program in proctest exectest timetest sigtest ttytest crashtest syscallfuzz vmstat lazytest \
    cowtest sbrktest mmaptest mprotecttest stacktest forkbomb segv malloctest; do
    [ -x "$bin/$program" ] && run "${program}_passes" "$program"
done

# The kernel's one line per killed process gives the reason in words.
if [ -f "$logdir/user-crashtest_passes.log" ]; then
    expect user_crash_reasons_in_words "$logdir/user-crashtest_passes.log" 0 0 \
        "killed by SIGSEGV: page fault at address 0x0, rip 0x" ": address not mapped" \
        ": write to read-only memory" ": execute of no-execute memory" \
        ": user access to a kernel address" "killed by SIGSEGV: general protection (#GP)" \
        "killed by SIGILL: invalid opcode (#UD)" "killed by SIGFPE: divide error (#DE)" \
        "killed by SIGTRAP: breakpoint (#BP)"
fi
