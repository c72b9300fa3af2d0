#!/usr/bin/env bash
# signals.sh — signal handlers (kernel/README.md, signal delivery).
# tests/musl/signals runs on the host's Linux and on vmlab: every line (handlers for
# kill, raise and tgkill; siginfo; faults with si_addr and the ucontext; a handler
# that mprotects and returns; masks, SA_NODEFER, SA_RESETHAND, pending signals;
# sigaltstack and stack overflows; sigsuspend, pause, EINTR and SA_RESTART; SIGCHLD;
# SIGPIPE; registers kept across a handler; corrupted rt_sigreturn frames) must be
# the same, and vmlab's memory check must pass after it.
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
    elif [ "$vmlab_status" != 0 ]; then
        fail signals_match_linux "exit status $vmlab_status on vmlab" "$logdir/signals.log"
    else
        compare_session signals_match_linux "$work/linux.out" "$work/vmlab.out"
    fi
    expect signals_memory_comes_back "$logdir/signals.log" "$vmlab_status" 0 \
        "memory check: " "as before the first program"
}

selected signals_match_linux signals_memory_comes_back && in_parallel signals_test
wait_parallel
true
