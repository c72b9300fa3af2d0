#!/usr/bin/env bash
# shell.sh — the shell, driven through the console as a person would type: built-in
# commands, programs run with arguments (vfork + execve + wait4), an unknown
# program, a program's exit status and a crash shown by signal, and `exit 3`
# ending the shell (here pid 1) with status 3. The kernel survives the crash.
source "$(dirname "$0")/lib.sh"

bin="$here/build/user"
if [ ! -x "$bin/sh" ] || [ ! -x "$here/build/musl/exit_status" ]; then
    fail shell_session "build/user/sh or build/musl/exit_status missing (make)"
    exit 0
fi
input=$(mktemp)
trap 'rm -f "$input"' EXIT
printf '%s\n' 'help' 'hello one two' 'nosuchprogram' 'exit_status 7' 'crashtest null-write' \
    'echo still here' 'exit 3' >"$input"

out="$logdir/shell.out"
"$here/tests/run-elf" --timeout 60 --log "$logdir/shell.log" --input "$input" \
    --with "$bin/hello" --with "$bin/crashtest" --with "$here/build/musl/exit_status" \
    "$bin/sh" >"$out"
status=$?
cat "$logdir/shell.log" >>"$out"
expect shell_runs_programs_and_reports_statuses "$out" "$status" 3 \
    '$ built-in commands:' 'programs (in /bin):' \
    '$ hello, world' 'argv[1] = "one"' 'argv[2] = "two"' \
    '$ sh: nosuchprogram: not found' \
    'exit status 7' \
    'killed by signal 11 (SIGSEGV)' \
    '$ still here' \
    'killed by SIGSEGV: page fault at address 0x0' \
    'vmlab: memory check: ' 'as before the first program' \
    'vmlab: init (pid 1, sh) exited: exit 3'

# The same shell typed at through the PS/2 keyboard (the GUI window's keyboard):
# Shift makes a capital, Enter ends the line. Echo and output may interleave
# differently from run to run, so only the program's own output line is checked.
"$here/tests/run-elf" --timeout 60 --log "$logdir/shell-keys.log" \
    --keys "e c h o spc shift-t y p e d ret e x i t spc 5 ret" "$bin/sh" >"$logdir/shell-keys.out"
status=$?
expect shell_reads_the_ps2_keyboard "$logdir/shell-keys.out" "$status" 5 $'\nTyped\n'
