#!/usr/bin/env bash
# malloc-traces.sh — vmlab's malloc on every trace of tests/malloc-traces/ with every
# placement policy, malloc_check() after every operation (malloctrace -c 1), on this
# host: build/user/malloctrace is a static Linux binary, and MALLOC_POLICY reaches it
# from the environment here (tests/run-elf passes none). No QEMU is involved; it lives
# with the boot tests so that `make test` runs it. One line per policy:
# "PASS boot/malloc-traces-<policy>" or "FAIL boot/malloc-traces-<policy>: why".
source "$(dirname "$0")/lib.sh"

prog="$here/build/user/malloctrace"
for policy in first next best segregated; do
    name=malloc-traces-$policy
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
        MALLOC_POLICY=$policy timeout 60 "$prog" -c 1 -r 1 "$trace" <"$t" >>"$log" 2>&1 || status=$?
        if [ "$status" != 0 ]; then
            why="trace $trace: exit status $status"
            break
        fi
        grep -q "^trace $trace ops " "$log" || { why="trace $trace: no result line"; break; }
    done
    if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why" "$log"; fi
done
