#!/usr/bin/env bash
# gdb-user.sh — starting where the student wants, and gdb across the user/kernel line.
#
#   make run INIT="hello a b"      boots straight into /bin/hello: argv reaches it
#   make run INIT=nosuch           stops with a clear error listing the programs
#   make gdb INIT="init cowtest"   gdb's commands from a pipe, as a student types them:
#     break-user-fault cowtest stops at cowtest's first page fault (not at another
#     program's: a breakpoint for sh, which never runs, must not stop): exec mapped
#     the program and read nothing, so it is the fetch of _start, the first
#     instruction; usersyms has loaded build/user/cowtest; bt goes from
#     mm_handle_fault through the trap frame into _start and stops there (the
#     outermost frame); btpagefault shows the same; then break-user-fault cowtest
#     write stops at its first write, in main, with the faulting line; then a stop
#     in init's wait4 (through the system-call frame, deep into init's own
#     functions) has replaced cowtest's symbols with init's, kernel's untouched.
#   tests/boot-kernel --gdb, oomtest with 32 MiB: its first write fault (its text
#     and rodata came in before, on reads and fetches), in start_holder (the callers
#     gdb 13 does not reach, found by tools/gdb/user_backtrace.py), then
#     a fault inside copy_to_user (kernel mode) unwound through copy_to_user, the
#     system call and into the program's frames.
source "$(dirname "$0")/lib.sh"

selected make_run_init_passes_arguments make_run_init_rejects_unknown_program \
    gdb_break_user_fault_stops_at_first_fault gdb_bt_joins_kernel_and_user_frames \
    gdb_btpagefault_shows_user_frames gdb_usersyms_follow_the_process \
    gdb_bt_continues_past_the_stack_switch gdb_kernel_mode_fault_unwinds_to_user \
    gdb_interrupted_frame_shows_the_faulting_line readme_gdb_user_sample_is_what_gdb_shows \
    gdb_syscall_frame_shows_the_syscall_line || exit 0
if ! command -v gdb >/dev/null; then
    fail gdb_user_session "gdb is not installed"
    exit 0
fi
cd "$here"

# has_lines LOG BLOCK: consecutive lines of LOG match BLOCK's extended regular
# expressions, given one a line (a backtrace whose frames must follow each other).
has_lines() {
    BLOCK=$2 awk '
        BEGIN { n = split(ENVIRON["BLOCK"], re, "\n") }
        { line[NR] = $0 }
        END {
            for (s = 1; s + n - 1 <= NR; s++) {
                ok = 1
                for (i = 1; i <= n && ok; i++) ok = line[s + i - 1] ~ re[i]
                if (ok) exit 0
            }
            exit 1
        }' "$1"
}

# expect_lines NAME LOG STATUS WANTED BLOCK... -- TEXT...: expect's checks, and each
# BLOCK (has_lines) somewhere in LOG.
expect_lines() {
    local name=$1 log=$2 status=$3 wanted=$4
    shift 4
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        if [ "$status" = "$wanted" ] && ! has_lines "$log" "$1"; then
            fail "$name" "expected consecutive lines matching: ${1//$'\n'/ | }" "$log"
            return
        fi
        shift
    done
    shift
    expect "$name" "$log" "$status" "$wanted" "$@"
}

# Frame lines of `bt`: a user address (programs are linked at 0x400000), a kernel one.
USER_PC='0x0*4[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
KERNEL_PC='0xffffffff8[0-9a-f]+'

# One slot for the whole script: its QEMUs run one after the other.
slot_take

# ---- make run INIT= ----
test_started=$(now_ms)
timeout 60 make -s run SNAPSHOT=1 INIT="hello a b" </dev/null >"$logdir/make-run-init.log" 2>&1
expect make_run_init_passes_arguments "$logdir/make-run-init.log" $? 0 \
    "Booting build/init.iso (pid 1: /bin/hello a b)" \
    "init: started /bin/hello as pid 1" "I was started with 3 arguments:" \
    'argv[0] = "/bin/hello"' 'argv[1] = "a"' 'argv[2] = "b"' \
    "vmlab: init (pid 1, hello) exited: exit 0"

timeout 60 make -s run SNAPSHOT=1 INIT="nosuch x" </dev/null >"$logdir/make-run-bad-init.log" 2>&1
status=$?
# make stops before booting: status 2, the name, and the programs there are.
expect make_run_init_rejects_unknown_program "$logdir/make-run-bad-init.log" $status 2 \
    "INIT=nosuch: there is no user program of that name (user/nosuch.c)." \
    "The programs are: " " cowtest " " crashtest " " hello " " vmstat"

# ---- make gdb INIT= ----
# A port nobody listens on (QEMU's gdb stub takes one client).
listening() { grep -qi ":$(printf '%04X' "$1") [0-9A-F:]* 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
port=$((40000 + $$ % 20000))
while listening $port; do port=$((port + 1)); done

printf '%s\n' \
    'break-user-fault sh' 'break-user-fault cowtest' 'continue' \
    'info symbol f->address' 'print f->access' 'bt' 'btpagefault' 'delete' \
    'break-user-fault cowtest write' 'continue' 'print f->access' 'bt' 'btpagefault' \
    'info line write_pages' \
    'delete' 'break copy_to_user if $_streq(the_cpu.current->name, "init")' 'continue' \
    'bt' 'info line write_pages' 'info line run_and_wait' 'info line kmain' 'quit' |
    timeout 90 make -s gdb SNAPSHOT=1 INIT="init cowtest" GDBPORT=$port >"$logdir/make-gdb-init.log" 2>&1
status=$?
log=$logdir/make-gdb-init.log
expect gdb_break_user_fault_stops_at_first_fault "$log" $status 0 \
    "Booting build/init.iso (pid 1: /bin/init cowtest)" \
    'break mm_handle_fault if $_streq(the_cpu.current->name, "sh")' \
    'break mm_handle_fault if $_streq(the_cpu.current->name, "cowtest")' \
    "Breakpoint 2, mm_handle_fault (" \
    "usersyms: pid 2 (cowtest): symbols from build/user/cowtest" \
    "_start in section .text of " "build/user/cowtest" "= FAULT_EXECUTE" \
    'break mm_handle_fault if $_streq(the_cpu.current->name, "cowtest") && f->access == FAULT_WRITE' \
    "Breakpoint 3, mm_handle_fault (" "= FAULT_WRITE"
# _start is the outermost frame: the prompt follows it, no made-up caller.
expect_lines gdb_bt_joins_kernel_and_user_frames "$log" $status 0 \
    "^#4  $KERNEL_PC in trap_dispatch \\(frame=0x[0-9a-f]+\\) at kernel/trap\\.c:[0-9]+\$
^#5  $KERNEL_PC in trap_common \\(frame=0x[0-9a-f]+\\) at kernel/trap_entry\\.asm:[0-9]+\$
^#6  0x0+400000 in _start \\(\\) at user/lib/crt0\\.asm:[0-9]+\$
^\\(gdb\\) " \
    "^#4  $KERNEL_PC in trap_dispatch \\(frame=0x[0-9a-f]+\\) at kernel/trap\\.c:[0-9]+\$
^#5  $KERNEL_PC in trap_common \\(frame=0x[0-9a-f]+\\) at kernel/trap_entry\\.asm:[0-9]+\$
^#6  $USER_PC in main \\(\\) at user/cowtest\\.c:[0-9]+\$
^\\(gdb\\) " -- \
    "Breakpoint 2, mm_handle_fault (" \
    "#0  mm_handle_fault (" "in user_page_fault (" "in trap_dispatch (frame=0x" \
    "in trap_common (frame=0x" "at kernel/trap_entry.asm:" \
    "in _start () at user/lib/crt0.asm:" "Breakpoint 3, mm_handle_fault (" \
    "#0  mm_handle_fault (" "in trap_common (frame=0x" "in main () at user/cowtest.c:"
expect_lines gdb_btpagefault_shows_user_frames "$log" $status 0 \
    "btpagefault: page fault in pid 2 \\(cowtest\\) on address 0x400000 \\(not-present user fetch\\) at rip 0x400000, user mode:\$
^#6  0x0+400000 in _start \\(\\) at user/lib/crt0\\.asm:[0-9]+\$
^\\(gdb\\) " \
    "btpagefault: page fault in pid 2 \\(cowtest\\) on address 0x[0-9a-f]+ \\(not-present write user\\) at rip $USER_PC, user mode:\$
^#6  $USER_PC in main \\(\\) at user/cowtest\\.c:[0-9]+\$
^\\(gdb\\) " -- \
    "Breakpoint 2, mm_handle_fault (" \
    "btpagefault: page fault in pid 2 (cowtest) on address 0x400000" \
    "(not-present user fetch) at rip 0x400000, user mode:" "in _start () at user/lib/crt0.asm:" \
    "Breakpoint 3, mm_handle_fault (" \
    "btpagefault: page fault in pid 2 (cowtest) on address 0x" \
    "(not-present write user) at rip 0x" ", user mode:" \
    "#6  0x" "in main () at user/cowtest.c:" \
    'of "user/cowtest.c" starts at address'
# The interrupted frame's line is the faulting instruction's (binutils' addr2line
# says which), not the line before it, where gdb alone looks (pc - 1, as for a call):
# at both stops, the fetch of _start (the first line of crt0.asm's _start) and the
# first write (in main).
rips=$(sed -n 's/.*btpagefault: page fault in pid 2 (cowtest) .* at rip \(0x[0-9a-f]*\), user mode:$/\1/p' "$log")
shown=$(grep -A1 "in trap_common (frame=" "$log" | sed -n 's/^#6  .* at user\/[a-z0-9_/]*\.[a-z]*:\([0-9]*\)$/\1/p' | head -n 2)
faulting=$(for rip in $rips; do addr2line -e build/user/cowtest "$rip" | sed 's/.*://'; done)
if [ $status = 0 ] && [ "$(wc -l <<<"$shown")" = 2 ] && [ "$shown" = "$faulting" ]; then
    pass gdb_interrupted_frame_shows_the_faulting_line
else
    fail gdb_interrupted_frame_shows_the_faulting_line \
        "bt shows lines ${shown//$'\n'/, } for the faults at rip ${rips//$'\n'/, }, which are lines ${faulting//$'\n'/, }" "$log"
fi
# README.md's sample (the indented blocks from "`make gdb INIT=cowtest`, then:" to
# "`btpagefault` prints only") is what gdb shows: each line but the typed commands, in
# order, numbers free (addresses, pids, line numbers move with every build).
awk '/`make gdb INIT=cowtest`, then:$/ { on = 1; next }
     on && /^`btpagefault` prints only/ { exit }
     on && /^    / { print substr($0, 5) }' README.md >"$logdir/readme-gdb-sample.txt"
missing=$(perl -e '
    open(my $l, "<", $ARGV[0]) or die; local $/; my $log = <$l>; $/ = "\n";
    open(my $s, "<", $ARGV[1]) or die; my $at = 0; my $lines = 0;
    while (my $line = <$s>) {
        chomp $line;
        next if $line =~ /^\(gdb\) / || $line =~ /^\s*$/;
        $lines++;
        (my $re = quotemeta $line) =~ s/0x[0-9a-f]+|[0-9]+/[0-9a-fx]+/g;
        if (substr($log, $at) =~ /$re/) { $at += $+[0]; } else { print "$line\n"; exit; }
    }
    print "(README.md has no sample)\n" if $lines == 0;' "$log" "$logdir/readme-gdb-sample.txt")
if [ $status = 0 ] && [ -z "$missing" ]; then
    pass readme_gdb_user_sample_is_what_gdb_shows
else
    fail readme_gdb_user_sample_is_what_gdb_shows "README.md's gdb sample has a line gdb did not print (in order): $missing" "$log"
fi
expect_lines gdb_usersyms_follow_the_process "$log" $status 0 \
    "^#4  $KERNEL_PC in syscall_entry \\(frame=0x[0-9a-f]+\\) at kernel/syscall_entry\\.asm:[0-9]+\$
^#5  $USER_PC in [a-z_0-9]+ \\(.*\\) at user/lib/syscall\\.c:[0-9]+\$" -- \
    "usersyms: pid 2 (cowtest): symbols from build/user/cowtest" \
    "Breakpoint 4, copy_to_user (" \
    "usersyms: pid 1 (init): symbols from build/user/init (replacing cowtest)" \
    "#0  copy_to_user (" "in sys_wait4 (a=" "in syscall_dispatch (frame=0x" \
    "in syscall_entry (frame=0x" "at kernel/syscall_entry.asm:" \
    "sys_wait4 (pid=-1" "at user/lib/syscall.c:" "run_and_wait (" "at user/init.c:" \
    "main (" "at user/init.c:" \
    'Function "write_pages" not defined.' \
    'of "user/init.c" starts at address' 'of "kernel/main.c" starts at address'

# After a system call the saved rip is the instruction after `syscall` (a return
# address, like a call's): the frame's line is that of rip - 1, the syscall itself.
user_rip=$(grep -A1 "in syscall_entry (frame=" "$log" | sed -n 's/^#5  \(0x[0-9a-f]*\) in .* at user\/lib\/syscall\.c:[0-9]*$/\1/p' | head -n 1)
shown=$(grep -A1 "in syscall_entry (frame=" "$log" | sed -n 's/^#5  .* at user\/lib\/syscall\.c:\([0-9]*\)$/\1/p' | head -n 1)
calling=$(addr2line -e build/user/init $(printf '0x%x' $((${user_rip:-1} - 1))) | sed 's/.*://')
if [ $status = 0 ] && [ -n "$shown" ] && [ "$shown" = "$calling" ]; then
    pass gdb_syscall_frame_shows_the_syscall_line
else
    fail gdb_syscall_frame_shows_the_syscall_line \
        "bt shows user/lib/syscall.c:${shown:-?} for the system call returning to ${user_rip:-?}, whose syscall is line ${calling:-?}" "$log"
fi

# ---- a fault in copy_to_user, and callers past gdb's stack check: oomtest ----
port=$((port + 1))
while listening $port; do port=$((port + 1)); done
"$boot_kernel" --gdb $port --mem 32M --cmdline "init=/bin/oomtest panic=poweroff" \
    --module "$here/build/user/oomtest" --timeout 90 --log "$logdir/gdb-oomtest-serial.log" >"$logdir/gdb-oomtest-boot.log" 2>&1 &
boot_pid=$!
for _ in $(seq 1 100); do listening $port && break; sleep 0.1; done
log=$logdir/gdb-oomtest.log
if ! listening $port; then
    echo "QEMU's gdb stub never listened on port $port" >"$log"
fi
timeout 90 gdb -batch -iex "add-auto-load-safe-path $here/.gdbinit" -iex "set \$gdbport = $port" \
    -ex 'break-user-fault oomtest write' -ex 'continue' -ex 'bt' -ex 'btpagefault' -ex 'delete' \
    -ex 'break resolve_uaccess_fault' -ex 'continue' -ex 'bt' -ex 'btpagefault' \
    -ex 'kill' >"$log" 2>&1
status=$?
kill $boot_pid 2>/dev/null
wait $boot_pid 2>/dev/null
expect_lines gdb_bt_continues_past_the_stack_switch "$log" $status 0 \
    "^#5  $KERNEL_PC in trap_common \\(frame=0x[0-9a-f]+\\) at kernel/trap_entry\\.asm:[0-9]+\$
^#6  $USER_PC in start_holder \\(pages=[0-9]+\\) at user/oomtest/common\\.c:[0-9]+\$
^    $USER_PC in holder_dies_for_a_child \\(\\) at user/oomtest/largest\\.c:[0-9]+\$
^    $USER_PC in main \\(\\) at user/oomtest/main\\.c:[0-9]+\$" -- \
    "usersyms: pid 1 (oomtest): symbols from build/user/oomtest" \
    "in trap_common (frame=0x" "#6  0x" "in start_holder (pages=" "at user/oomtest/common.c:" \
    "    0x" " in holder_dies_for_a_child () at user/oomtest/largest.c:" \
    "    0x" " in main () at user/oomtest/main.c:" \
    "btpagefault: page fault in pid 1 (oomtest) on address 0x" ", user mode:" \
    "#6  0x" "in start_holder (pages=" "    0x" " in main () at user/oomtest/main.c:"
expect_lines gdb_kernel_mode_fault_unwinds_to_user "$log" $status 0 \
    "^#4  $KERNEL_PC in trap_common \\(frame=0x[0-9a-f]+\\) at kernel/trap_entry\\.asm:[0-9]+\$
^#5  $KERNEL_PC in copy_with_fixup \\(" \
    "^#9  $KERNEL_PC in syscall_entry \\(frame=0x[0-9a-f]+\\) at kernel/syscall_entry\\.asm:[0-9]+\$
^#10 $USER_PC in [a-z_0-9]+ \\(.*\\) at user/lib/syscall\\.c:[0-9]+\$" -- \
    "Breakpoint 2, resolve_uaccess_fault (" \
    "in trap_common (frame=0x" "in copy_with_fixup (" "in copy_to_user (" \
    "in syscall_dispatch (frame=0x" "in syscall_entry (frame=0x" \
    "sys_clock_gettime (clock=" "at user/lib/syscall.c:" \
    "in fill (" "at user/oomtest/common.c:" "main () at user/oomtest/main.c:" \
    "btpagefault: page fault in pid " "(oomtest) on address 0x" "(not-present write)" \
    ", kernel mode:" "in copy_with_fixup (" "in syscall_entry (frame=0x" \
    "main () at user/oomtest/main.c:"
slot_give
