#!/usr/bin/env bash
# musl-diff.sh — programs built with a stock toolchain (musl-gcc -static) run on
# the host's Linux and on vmlab (tests/run-elf); stdout and the exit status must
# be identical, byte for byte, and on vmlab every frame's reference count must
# check out after each process and all memory come back at the end.
source "$(dirname "$0")/lib.sh"

dir="$here/build/musl"
if ! command -v musl-gcc >/dev/null; then
    fail musl_toolchain "musl-gcc is not installed (Debian: musl-tools)"
    exit 0
fi

# compare NAME PROGRAM [ARGS...]
compare() {
    local name=$1 program=$dir/$2
    shift 2
    local host_out="$logdir/musl-$name.host" vmlab_out="$logdir/musl-$name.vmlab"
    "$program" "$@" >"$host_out" 2>&1
    local host_status=$?
    "$here/tests/run-elf" --timeout 60 --log "$logdir/musl-$name.log" "$program" "$@" >"$vmlab_out"
    local vmlab_status=$?
    if [ "$host_status" != "$vmlab_status" ]; then
        fail "musl_$name" "exit status: Linux $host_status, vmlab $vmlab_status" "$logdir/musl-$name.log"
    elif ! cmp -s "$host_out" "$vmlab_out"; then
        fail "musl_$name" "output differs from Linux" "$vmlab_out"
        diff "$host_out" "$vmlab_out" | head -n 10 | sed 's/^/    | /'
    elif grep -q "^mm check" "$logdir/musl-$name.log" ||
        ! grep -q "memory check: .* as before the first program" "$logdir/musl-$name.log"; then
        fail "musl_$name" "memory check failed on vmlab" "$logdir/musl-$name.log"
    else
        pass "musl_$name"
    fi
}

for program in "$dir"/*; do
    [ -x "$program" ] || continue
    name=$(basename "$program")
    case "$name" in
        exit_status) for code in 0 1 42 255; do compare "${name}_$code" "$name" "$code"; done ;;
        hello_printf | hello_printf_pie) compare "$name" "$name" one two three ;;
        *) compare "$name" "$name" ;;
    esac
done
