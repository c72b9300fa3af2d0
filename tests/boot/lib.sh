# lib.sh — helpers shared by the boot tests (sourced by tests/boot/*.sh).
#
# A boot test boots the kernel with tests/boot-kernel (or runs a program with
# tests/run-elf), then checks the exit status and the output, and prints one line:
# "PASS boot/<name>" or "FAIL boot/<name>: why" followed by the end of the log
# (boots made `quiet` keep only the kernel's reasons there, not its boot report,
# so that is what a failure shows). A test that took SLOW_SECONDS or more says how long
# ("PASS boot/<name> (4.2 s)"); waiting for a QEMU slot is not counted.
#
#   selected NAME...          true if `make test T=PATTERN` wants one of these tests;
#                             guard each boot with it, so unwanted ones cost nothing
#   boot NAME [OPTIONS]       tests/boot-kernel, log in $logdir/NAME.log, status in $status
#   run_elf [OPTIONS] ELF...  tests/run-elf (same arguments), status in $status
#   expect NAME LOG STATUS WANTED TEXT...   the usual check (below)
#   check_boot NAME WANTED [OPTIONS] -- TEXT...
#                             if NAME is selected: boot NAME OPTIONS and expect
#                             WANTED and the TEXTs, in the background
#   pass NAME / fail NAME WHY [LOG]
#   in_parallel COMMAND...    run a test (a function) in the background, its output
#   wait_parallel             kept, and printed in the order they were started

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
boot_kernel="$here/tests/boot-kernel"
logdir="$here/build/test-logs"
mkdir -p "$logdir"
source "$here/tests/slots.sh"

SLOW_SECONDS=${SLOW_SECONDS:-2}
CONTEXT_LINES=25 # lines of a log shown under a failure

# Milliseconds since 1970 (bash's clock, as date +%N is GNU's only).
now_ms() {
    local us=${EPOCHREALTIME/[.,]/}
    echo $((us / 1000))
}

# The clock of the test being run: reset when its boot starts and after each result.
test_started=$(now_ms)

# selected NAME...: is one of these tests wanted? VMLAB_TESTS (set from T=) is an
# extended regular expression matched against "boot/NAME".
selected() {
    [ -n "${VMLAB_TESTS:-}" ] || return 0
    local name
    for name in "$@"; do
        grep -qE -- "$VMLAB_TESTS" <<<"boot/$name" && return 0
    done
    return 1
}

# " (4.2 s)" if the current test has taken SLOW_SECONDS or more, else nothing.
duration_note() {
    local ms=$(($(now_ms) - test_started))
    [ $ms -ge $((SLOW_SECONDS * 1000)) ] && printf ' (%d.%d s)' $((ms / 1000)) $((ms % 1000 / 100))
    return 0
}

pass() {
    echo "PASS boot/$1$(duration_note)"
    test_started=$(now_ms)
}

# fail NAME WHY [LOG]
fail() {
    echo "FAIL boot/$1$(duration_note): $2"
    [ -n "${3:-}" ] && [ -f "$3" ] && tail -n "$CONTEXT_LINES" "$3" | sed 's/^/    | /'
    test_started=$(now_ms)
    return 0
}

status_meaning() {
    case $1 in
        0) echo "powered off normally" ;; 1) echo "tests failed" ;; 2) echo "kernel panic" ;;
        3) echo "stopped once the expected text appeared" ;; 124) echo "timed out" ;;
        *) echo "QEMU ended otherwise (triple fault?)" ;;
    esac
}

# compare_session NAME WANTED GOT: pass if the two files (a transcript expected and
# the one a boot produced) are equal, else fail showing the difference.
compare_session() {
    if cmp -s "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "the session differs from $2 (- expected, + got):"
        diff -u "$2" "$3" | tail -n +3 | head -n 30 | sed 's/^/    | /'
    fi
}

# expect NAME LOG STATUS WANTED_STATUS TEXT... — the run must have ended with
# WANTED_STATUS and its output must contain every TEXT (fixed strings, in order).
expect() {
    local name=$1 log=$2 status=$3 wanted=$4
    shift 4
    if [ "$status" != "$wanted" ]; then
        fail "$name" "exit status $status ($(status_meaning "$status")), expected $wanted ($(status_meaning "$wanted"))" "$log"
        return
    fi
    local rest
    rest=$(cat "$log")
    for text in "$@"; do
        if [[ "$rest" != *"$text"* ]]; then
            fail "$name" "expected \"$text\" in the output (after the previous expected lines)" "$log"
            return
        fi
        rest=${rest#*"$text"}
    done
    pass "$name"
}

# with_slot COMMAND...: run it holding a QEMU slot, the test's clock started once
# the slot is ours; sets $status.
with_slot() {
    slot_take
    test_started=$(now_ms)
    status=0
    "$@" || status=$?
    slot_give
}

# boot NAME [boot-kernel options] — boots, leaves the output in $logdir/NAME.log
# and the status in $status.
boot() {
    local name=$1
    shift
    SLOT_LABEL="$(basename "$0" .sh)/$name" with_slot "$boot_kernel" --log "$logdir/$name.log" "$@"
}

# run_elf [run-elf options] ELF [ARG]... — tests/run-elf; its stdout goes to ours.
run_elf() {
    local a label=""
    for a in "$@"; do # the program: the first word that is a file (not an option's value)
        [[ "$a" != -* && -f "$a" && "$a" != *.img ]] && { label=$(basename "$a"); break; }
    done
    SLOT_LABEL="$(basename "$0" .sh)/${label:-run-elf}" with_slot "$here/tests/run-elf" "$@"
}

# boot_expect NAME WANTED_STATUS [boot-kernel options] -- TEXT...: boot, then expect.
boot_expect() {
    local name=$1 wanted=$2 options=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        options+=("$1")
        shift
    done
    shift
    boot "$name" "${options[@]}"
    expect "$name" "$logdir/$name.log" "$status" "$wanted" "$@"
}

# check_boot NAME ...: boot_expect NAME ... in the background, if NAME is selected.
check_boot() {
    selected "$1" || return 0
    in_parallel boot_expect "$@"
}

parallel_pids=()
parallel_outputs=()

# split_output OUT K FILE: program K's bytes in tests/musl/batch_runner's output OUT
# into FILE; prints its status (nothing if the program never ended). musl-diff.sh
# and swap-stress.sh run programs in batches.
split_output() {
    perl -e '
        my ($k, $file) = @ARGV[1, 2];
        local $/; open my $in, "<", $ARGV[0] or die; my $all = <$in>;
        my ($bytes, $status) = $all =~ /\x02batch begin $k\n(.*?)\n\x02batch end $k (\d+)\n/s;
        ($bytes) = $all =~ /\x02batch begin $k\n(.*)/s unless defined $status;
        open my $outf, ">", $file or die; print $outf ($bytes // "");
        print $status // "";' "$@"
}

# in_parallel COMMAND...: start it in the background, its output into a file of
# its own. QEMU slots keep the number of boots at once in check (a pool of our own
# if tests/run-tests gave us none).
in_parallel() {
    [ -n "${VMLAB_SLOTS:-}" ] || slots_create
    local out
    out=$(mktemp "$logdir/.parallel.XXXXXX")
    "$@" >"$out" 2>&1 &
    parallel_pids+=($!)
    parallel_outputs+=("$out")
}

# wait_parallel: wait for every in_parallel command and print their outputs, in
# the order they were started (so a run reads the same whatever finished first).
wait_parallel() {
    local i
    for i in "${!parallel_pids[@]}"; do
        wait "${parallel_pids[$i]}"
        cat "${parallel_outputs[$i]}"
        rm -f "${parallel_outputs[$i]}"
    done
    parallel_pids=()
    parallel_outputs=()
    slots_remove
    test_started=$(now_ms)
}
