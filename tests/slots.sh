# slots.sh — at most N QEMU runs at once (sourced by tests/boot-kernel and tests/boot/lib.sh).
#
# tests/run-tests runs the test scripts side by side. So that they do not start a
# dozen QEMUs on a two-core machine, it makes a FIFO holding N one-byte tokens, the
# slots, and exports its path as VMLAB_SLOTS. Whoever is about to boot takes a token
# and puts it back when the boot is over; with no token left, it waits. A process
# that holds a slot exports VMLAB_SLOT_HELD=1, so that the boot-kernel it runs does
# not wait for a second one (two holders each waiting for another token would wait
# for ever). Without VMLAB_SLOTS (a script run by hand) a boot does not wait; a
# script that starts boots side by side (in_parallel, tests/boot/lib.sh) makes a
# pool of its own first. JOBS=N sets the size (default: one more than the CPUs,
# because a quarter of a boot's time the guest sleeps -- timers, the disk -- and
# the extra QEMU keeps the CPUs busy meanwhile; measured: make test took 3m08 with
# one slot per CPU and 2m49 with one more, on 2 CPUs).
# With VMLAB_SLOT_LOG set (run-tests sets it), each holder adds a line "MS LABEL"
# to it when it gives its slot back: where the time of a run goes.

SLOT_WAIT_MAX=900 # seconds; a lost token must not hang the tests, only slow them

slot_fd="" slot_since=0
slots_made="" slots_made_fd=""

# slots_count: how many QEMUs may run at once.
slots_count() {
    echo "${JOBS:-$(($(nproc 2>/dev/null || echo 2) + 1))}"
}

# slots_create: make a pool of slots_count slots for this process and the ones it
# starts (exported as VMLAB_SLOTS). The FIFO stays open here, which keeps the
# tokens in it, until slots_remove.
slots_create() {
    slots_made=$(mktemp -u "${TMPDIR:-/tmp}/vmlab-slots.XXXXXX")
    mkfifo "$slots_made"
    exec {slots_made_fd}<>"$slots_made"
    local i
    for ((i = 0; i < $(slots_count); i++)); do printf 's' >&"$slots_made_fd"; done
    export VMLAB_SLOTS=$slots_made
}

# slots_remove: undo slots_create (nothing if this process made no pool).
slots_remove() {
    [ -n "$slots_made" ] || return 0
    rm -f "$slots_made"
    exec {slots_made_fd}>&-
    slots_made=""
    unset VMLAB_SLOTS
}

# slot_take: wait for a free slot (if there is a pool and we hold none).
slot_take() {
    [ -n "${VMLAB_SLOTS:-}" ] && [ -z "${VMLAB_SLOT_HELD:-}" ] && [ -p "$VMLAB_SLOTS" ] || return 0
    exec {slot_fd}<>"$VMLAB_SLOTS"
    if ! read -r -n 1 -t "$SLOT_WAIT_MAX" -u "$slot_fd" _; then
        echo "slots: no QEMU slot free after $SLOT_WAIT_MAX s; going ahead anyway" >&2
        exec {slot_fd}>&-
        slot_fd=""
        return 0
    fi
    export VMLAB_SLOT_HELD=1
    slot_since=${EPOCHREALTIME/[.,]/}
}

# slot_give: put back the slot slot_take took (nothing if it took none).
slot_give() {
    [ -n "$slot_fd" ] || return 0
    printf 's' >&"$slot_fd"
    exec {slot_fd}>&-
    [ -z "${VMLAB_SLOT_LOG:-}" ] ||
        echo "$(((${EPOCHREALTIME/[.,]/} - slot_since) / 1000)) ${SLOT_LABEL:-$(basename "$0")}" >>"$VMLAB_SLOT_LOG"
    slot_fd=""
    unset VMLAB_SLOT_HELD
}
