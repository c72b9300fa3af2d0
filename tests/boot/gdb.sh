#!/usr/bin/env bash
# gdb.sh — `make gdb` works: with the checked-in .gdbinit, gdb connects to a QEMU
# halted at its first instruction, stops at the kernel's 32-bit entry (_start, with
# paging off), steps there, crosses the switch to 64-bit mode and the jump to the
# higher half, stops in kmain with its source line, steps through C, and when gdb
# leaves, the kernel runs on to a normal power-off.
source "$(dirname "$0")/lib.sh"

selected gdb_stops_at_32bit_entry_with_source gdb_stops_in_kmain_after_mode_switch \
    gdb_detach_lets_kernel_finish make_gdb_stops_in_kmain_with_source gdb_pagewalk_shows_each_level ||
    exit 0
# One slot for the whole session: the QEMU started here and the one `make gdb` starts.
slot_take
test_started=$(now_ms)
if ! command -v gdb >/dev/null; then
    fail gdb_session "gdb is not installed"
    exit 0
fi

# A port nobody listens on (QEMU's gdb stub takes one client).
listening() { grep -qi ":$(printf '%04X' "$1") [0-9A-F:]* 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
port=$((20000 + $$ % 20000))
while listening $port; do port=$((port + 1)); done

"$boot_kernel" --gdb $port --cmdline "poweroff=1 panic=poweroff" --timeout 60 \
    --log "$logdir/gdb-serial.log" &
boot_pid=$!

# Wait (bounded) for QEMU's stub to listen: the ISO is built first.
for _ in $(seq 1 100); do listening $port && break; sleep 0.1; done
if ! listening $port; then
    fail gdb_session "QEMU's gdb stub never listened on port $port"
    kill $boot_pid 2>/dev/null
    exit 0
fi

cd "$here"
timeout 60 gdb -batch -iex "add-auto-load-safe-path $here/.gdbinit" -iex "set \$gdbport = $port" \
    -ex 'hbreak _start' -ex 'break kmain' \
    -ex 'continue' -ex 'info registers eax' -ex 'stepi' -ex 'stepi' -ex 'info registers rip' \
    -ex 'x32 8' \
    -ex 'continue' -ex 'bt' -ex 'next' -ex 'info registers cs' >"$logdir/gdb.log" 2>&1
gdb_status=$?
wait $boot_pid
status=$?

expect gdb_stops_at_32bit_entry_with_source "$logdir/gdb.log" $gdb_status 0 \
    "Hardware assisted breakpoint 1 at 0x" "Breakpoint 2 at 0xffffffff8" \
    "Breakpoint 1, _start () at boot/entry32.asm:" \
    "eax            0x36d76289" \
    "rip            0x10" "<_start+" \
    "mov    ds:0x"
expect gdb_stops_in_kmain_after_mode_switch "$logdir/gdb.log" $gdb_status 0 \
    "Breakpoint 2, kmain (magic=920085129, mbi_phys=" ") at kernel/main.c:" \
    "#0  kmain (magic=920085129" \
    "console_init();" \
    "cs             0x8"
expect gdb_detach_lets_kernel_finish "$logdir/gdb-serial.log" $status 0 \
    "vmlab: a teaching kernel" "Powering off (status 0)."

# `make gdb` itself, with gdb reading its commands from a pipe instead of a person.
port=$((port + 1))
while listening $port; do port=$((port + 1)); done
# It also checks the pagewalk command of .gdbinit against the kernel's own tables.
printf '%s\n' 'break kmain' 'continue' 'bt' 'next' 'break kmain_on_kernel_stack' 'continue' \
    'pagewalk kmain' 'pagewalk 0' 'pagewalk 0xffff8000000b8000' 'quit' |
    timeout 60 make -s -C "$here" gdb SNAPSHOT=1 GDBPORT=$port >"$logdir/make-gdb.log" 2>&1
make_status=$?
expect make_gdb_stops_in_kmain_with_source "$logdir/make-gdb.log" $make_status 0 \
    "Connected to QEMU, stopped at the reset vector." \
    "Breakpoint 1, kmain (magic=920085129" "at kernel/main.c:" \
    "#0  kmain" "console_init();"
expect gdb_pagewalk_shows_each_level "$logdir/make-gdb.log" $make_status 0 \
    "Breakpoint 2, kmain_on_kernel_stack" \
    ": PML4[511] -> PDPT[510] -> PD[0] -> PT[" "] -> frame 0x1" ", flags P A G" \
    "0x0000000000000000: PML4[0] -> not present" \
    "0xffff8000000b8000: PML4[256] -> PDPT[0] -> PD[0] -> 2 MiB page at 0x0, flags P W NX"
slot_give
