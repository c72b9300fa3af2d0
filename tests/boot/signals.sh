#!/usr/bin/env bash
# signals.sh — signal handlers (kernel/README.md, signal delivery).
# tests/musl/signals runs on the host's Linux and on vmlab: every line (handlers for
# kill, raise and tgkill; siginfo; faults with si_addr and the ucontext; a handler
# that mprotects and returns; masks, SA_NODEFER, SA_RESETHAND, pending signals;
# sigaltstack and stack overflows; sigsuspend, pause, EINTR and SA_RESTART; SIGCHLD;
# SIGPIPE; registers kept across a handler; corrupted rt_sigreturn frames) must be
# the same, and vmlab's memory check must pass after it.
# tests/musl/signal_storm all (processes sending each other thousands of signals with
# handlers that nest, block and fault; bad pointers to every signal call; handlers,
# restorers and alternate stacks where nothing can run; rt_sigreturn on 300 random
# frames) must print what Linux prints, and vmlab must neither panic nor lose memory.
# user/wbarrier (the write-barrier demo) must print exactly the transcript below, on
# the host's Linux and on vmlab.
source "$(dirname "$0")/lib.sh"

program=$here/build/musl/signals
work=$(mktemp -d "$logdir/signals.XXXXXX")
trap 'rm -rf "$work"' EXIT

signals_test() {
    if ! command -v musl-gcc >/dev/null; then
        fail signals_match_linux "musl-gcc is not installed (Debian: musl-tools)"
        return
    fi
    (cd "$work" && "$program") >"$work/linux.out" 2>&1
    run_elf --timeout 60 --log "$logdir/signals.log" "$program" >"$work/vmlab.out"
    local vmlab_status=$status
    cp "$work/linux.out" "$logdir/signals.linux"
    cp "$work/vmlab.out" "$logdir/signals.vmlab"
    if ! grep -q "^== done" "$work/linux.out"; then
        fail signals_match_linux "the host run did not finish" "$logdir/signals.linux"
    elif [ "$vmlab_status" != 0 ] && cmp -s "$work/linux.out" "$work/vmlab.out"; then
        fail signals_match_linux "exit status $vmlab_status on vmlab" "$logdir/signals.log"
    else
        compare_session signals_match_linux "$work/linux.out" "$work/vmlab.out"
    fi
    [ "$vmlab_status" = 125 ] || [ "$vmlab_status" = 124 ] || vmlab_status=0 # the kernel's books, not the program's
    expect signals_memory_comes_back "$logdir/signals.log" "$vmlab_status" 0 \
        "memory check: " "as before the first program"
}

# What wbarrier prints with 8 pages (user/README.md explains it).
wbarrier_expected() {
    cat <<'END'
== round 1: 8 pages read-only
store to page 2: faults so far 1
store to page 5: faults so far 2
store to page 2: faults so far 2
store to page 7: faults so far 3
100 more stores to page 5: faults so far 3
reads of all 8 pages: 0 faults, sum as stored
written pages: 2 5 7
first writes caught: 3, faults taken: 3
checkpoint copies 3 of 8 pages
== round 2: armed again
reads of all 8 pages: 0 faults, sum as stored
written pages: 0 3 6
first writes caught: 3, faults taken: 3
checkpoint copies 3 of 8 pages
END
}

wbarrier_test() {
    wbarrier_expected >"$work/wbarrier.expected"
    "$here/build/user/wbarrier" >"$work/wbarrier.linux" 2>&1
    compare_session wbarrier_on_linux "$work/wbarrier.expected" "$work/wbarrier.linux"
    run_elf --timeout 30 --log "$logdir/wbarrier.log" "$here/build/user/wbarrier" >"$logdir/wbarrier.out"
    if [ "$status" != 0 ]; then
        fail wbarrier_counts_first_writes "exit status $status on vmlab" "$logdir/wbarrier.log"
    else
        compare_session wbarrier_counts_first_writes "$work/wbarrier.expected" "$logdir/wbarrier.out"
    fi
}

storm_test() {
    "$here/build/musl/signal_storm" all >"$work/storm.linux" 2>&1
    run_elf --timeout 90 --log "$logdir/signal_storm.log" "$here/build/musl/signal_storm" all \
        >"$logdir/signal_storm.vmlab"
    local vmlab_status=$status
    cp "$work/storm.linux" "$logdir/signal_storm.linux"
    if ! grep -q "^sigreturn garbage: 300 seeds, killed by a signal 300" "$work/storm.linux"; then
        fail signal_storm_matches_linux "the host run did not get through" "$logdir/signal_storm.linux"
    elif [ "$vmlab_status" != 0 ] && cmp -s "$work/storm.linux" "$logdir/signal_storm.vmlab"; then
        fail signal_storm_matches_linux "exit status $vmlab_status on vmlab" "$logdir/signal_storm.log"
    else
        compare_session signal_storm_matches_linux "$work/storm.linux" "$logdir/signal_storm.vmlab"
    fi
    if grep -q "mm check FAILED" "$logdir/signal_storm.log"; then
        fail signal_storm_memory_comes_back "the memory check failed" "$logdir/signal_storm.log"
    else
        # (whatever the program's exit status, unless QEMU or the kernel failed)
        [ "$vmlab_status" = 125 ] || [ "$vmlab_status" = 124 ] || vmlab_status=0
        expect signal_storm_memory_comes_back "$logdir/signal_storm.log" "$vmlab_status" 0 \
            "memory check: " "as before the first program"
    fi
}

selected signal_storm_matches_linux signal_storm_memory_comes_back && in_parallel storm_test
selected wbarrier_on_linux wbarrier_counts_first_writes && in_parallel wbarrier_test
selected signals_match_linux signals_memory_comes_back && in_parallel signals_test
wait_parallel
true
