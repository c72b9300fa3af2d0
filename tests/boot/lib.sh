# lib.sh — helpers shared by the boot tests (sourced by tests/boot/*.sh).
#
# A boot test boots the kernel with tests/boot-kernel, then checks the exit status
# and the serial output, and prints one line: "PASS boot/<name>" or
# "FAIL boot/<name>: why" followed by the end of the output, indented.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
boot_kernel="$here/tests/boot-kernel"
logdir="$here/build/test-logs"
mkdir -p "$logdir"

pass() { echo "PASS boot/$1"; }

# fail NAME WHY [LOG]
fail() {
    echo "FAIL boot/$1: $2"
    [ -n "${3:-}" ] && [ -f "$3" ] && tail -n 25 "$3" | sed 's/^/    | /'
    return 0
}

status_meaning() {
    case $1 in
        0) echo "powered off normally" ;; 1) echo "tests failed" ;; 2) echo "kernel panic" ;;
        3) echo "stopped once the expected text appeared" ;; 124) echo "timed out" ;;
        *) echo "QEMU ended otherwise (triple fault?)" ;;
    esac
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

# boot NAME [boot-kernel options] — boots, leaves the output in $logdir/NAME.log
# and the status in $status.
boot() {
    local name=$1
    shift
    status=0
    "$boot_kernel" --log "$logdir/$name.log" "$@" || status=$?
}
