#!/usr/bin/env bash
# malloc-traces.sh — vmlab's malloc on every trace of tests/malloc-traces/ with every
# placement policy, malloc_check() after every operation (malloctrace -c 1), on this
# host: build/user/malloctrace is a static Linux binary, and MALLOC_POLICY reaches it
# from the environment here (tests/run-elf passes none). No QEMU is involved; it lives
# with the boot tests so that `make test` runs it. One line per policy:
# "PASS boot/malloc-traces-<policy>" or "FAIL boot/malloc-traces-<policy>: why";
# "-no-runs" is the default policy with MALLOC_SMALL=0 (every request a tagged block).
# Then the replay's own checks are shown to work: with -x KIND the replay damages a
# block on purpose and must fail, naming what it found.
source "$(dirname "$0")/lib.sh"

prog="$here/build/user/malloctrace"
slot_take # no QEMU here, but as much work for the CPU as a boot
test_started=$(now_ms)
for variant in first next best segregated segregated-no-runs; do
    policy=${variant%-no-runs}
    small=$([ "$variant" = "$policy" ] && echo 1 || echo 0)
    name=malloc-traces-$variant
    selected "$name" || continue
    log="$logdir/$name.log"
    : >"$log"
    if [ ! -x "$prog" ]; then
        fail "$name" "$prog is missing (make)"
        continue
    fi
    why=""
    for t in "$here"/tests/malloc-traces/*.trace; do
        trace=$(basename "$t" .trace)
        status=0
        MALLOC_POLICY=$policy MALLOC_SMALL=$small timeout 60 "$prog" -c 1 -r 1 "$trace" <"$t" >>"$log" 2>&1 || status=$?
        if [ "$status" != 0 ]; then
            why="trace $trace: exit status $status"
            break
        fi
        grep -q "^trace $trace ops " "$log" || { why="trace $trace: no result line"; break; }
    done
    if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why" "$log"; fi
done

# kind:what the replay must say
for pair in "content:block changed while it was live" "realloc:realloc lost the contents" \
    "overlap:two live blocks overlap"; do
    kind=${pair%%:*} said=${pair#*:}
    name=malloc-traces-catches-$kind
    selected "$name" || continue
    log="$logdir/$name.log"
    status=0
    timeout 60 "$prog" -r 1 -x "$kind" random <"$here/tests/malloc-traces/random.trace" >"$log" 2>&1 ||
        status=$?
    if [ "$status" != 1 ]; then
        fail "$name" "exit status $status with -x $kind (1 expected: the damage was not caught)" "$log"
    elif ! grep -q "malloctrace: random: $said" "$log"; then
        fail "$name" "no \"$said\" line" "$log"
    else
        pass "$name"
    fi
done
slot_give
