#!/usr/bin/env bash
# shell.sh — the shell, driven through the console as a person would type: built-in
# commands (help lists every program of user/programs.list), programs run with
# arguments (vfork + execve + wait4), an unknown program, a program's exit status and
# a crash shown by signal, and `exit 3` ending the shell (here pid 1) with status 3.
# The kernel survives the crash.
#
# Each line is typed once the shell has printed its prompt (run-elf --prompt), so the
# echo of what is typed never lands in the middle of a program's output, and the
# whole transcript can be compared byte for byte.
source "$(dirname "$0")/lib.sh"

bin="$here/build/user/stripped"
selected shell_runs_programs_and_reports_statuses shell_reads_the_ps2_keyboard || exit 0
if [ ! -x "$bin/sh" ] || [ ! -x "$here/build/musl/exit_status" ]; then
    fail shell_session "build/user/stripped/sh or build/musl/exit_status missing (make)"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The help text: the built-ins, then one line per program of the list.
expected_help() {
    printf '%s\n' 'built-in commands:' '  help           this list' \
        '  echo [WORD]... print the words' '  exit [N]       leave the shell with status N (default 0)' \
        '  cd [DIR]       change the working directory (default $HOME, or /)' \
        '  pwd            print the working directory' 'programs (in /bin):'
    awk '!/^#/ && NF { what = $0; sub(/^[^ ]+ +[^ ]+ +/, "", what); printf "  %-14s %s\n", $1, what }' \
        "$here/user/programs.list"
}

session() {
    local name=shell_runs_programs_and_reports_statuses
    printf '%s\n' 'help' 'hello one two' 'nosuchprogram' 'exit_status 7' 'crashtest null-write' \
        'echo still here' 'exit 3' >"$work/input"
    {
        echo '$ help'
        expected_help
        printf '%s\n' '$ hello one two' 'hello, world' 'I was started with 3 arguments:' \
            '  argv[0] = "/bin/hello"' '  argv[1] = "one"' '  argv[2] = "two"' \
            '$ nosuchprogram' 'sh: nosuchprogram: not found' \
            '$ exit_status 7' 'exiting with status 7' 'exit status 7' \
            '$ crashtest null-write' 'crashtest: about to write to address 0 (nothing is mapped there)' \
            'killed by signal 11 (SIGSEGV)' \
            '$ echo still here' 'still here' \
            '$ exit 3'
    } >"$work/expected"
    run_elf --timeout 60 --log "$logdir/shell.log" --input "$work/input" --prompt '$ ' \
        --with "$bin/hello" --with "$bin/crashtest" --with "$here/build/musl/exit_status" \
        "$bin/sh" >"$logdir/shell.out"
    if [ "$status" != 3 ]; then
        fail $name "exit status $status, expected 3 (exit 3)" "$logdir/shell.log"
        return
    fi
    local kernel_said
    kernel_said=$(grep -c -e 'killed by SIGSEGV: page fault at address 0x0' \
        -e 'vmlab: memory check: .* as before the first program' \
        -e 'vmlab: init (pid 1, sh) exited: exit 3' "$logdir/shell.log")
    if [ "$kernel_said" != 3 ]; then
        fail $name "the kernel's log lacks the kill line, the memory check or init's exit" \
            "$logdir/shell.log"
        return
    fi
    compare_session $name "$work/expected" "$logdir/shell.out"
}

# The same shell typed at through the PS/2 keyboard (the GUI window's keyboard):
# Shift makes a capital, Enter ends the line.
keyboard() {
    local name=shell_reads_the_ps2_keyboard
    printf '%s\n' '$ echo Typed' 'Typed' '$ exit 5' >"$work/expected-keys"
    run_elf --timeout 60 --log "$logdir/shell-keys.log" --prompt '$ ' \
        --keys "e c h o spc shift-t y p e d ret e x i t spc 5 ret" "$bin/sh" \
        >"$logdir/shell-keys.out"
    if [ "$status" != 5 ]; then
        fail $name "exit status $status, expected 5 (exit 5)" "$logdir/shell-keys.log"
    else
        compare_session $name "$work/expected-keys" "$logdir/shell-keys.out"
    fi
}

selected shell_runs_programs_and_reports_statuses && in_parallel session
selected shell_reads_the_ps2_keyboard && in_parallel keyboard
wait_parallel
