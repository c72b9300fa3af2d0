#!/usr/bin/env bash
# job-control.sh — Ctrl-C and Ctrl-\ typed on the console (the PS/2 keyboard) reach
# the foreground process group only (kernel/tty.c, kernel/pgrp.h). init runs the
# shell (so the shell is not pid 1, which would refuse the signals anyway); the
# shell puts each command in a group of its own and makes it the terminal's
# foreground (TIOCSPGRP). tests/musl/procid's "tty" mode asks the console who it
# belongs to (and is stopped by SIGTTIN/SIGTTOU when it reads or takes the console
# from a background group), its "sleep" mode waits for a signal: the first dies of SIGINT, the
# second of SIGQUIT, and the shell, in its own group, lives on to say so and to
# run the next command. Then the clone flag sets only vmlab refuses (threads: on
# Linux they would succeed), and the resource limits a process starts with (Linux's,
# as checked against linux-ref).
source "$(dirname "$0")/lib.sh"

bin="$here/build/user/stripped"
procid="$here/build/musl/procid"
name=ctrl_c_kills_the_foreground_job_not_the_shell
selected $name resource_limits_start_as_on_linux || exit 0
if [ ! -x "$bin/sh" ] || [ ! -x "$bin/init" ] || [ ! -x "$procid" ]; then
    fail $name "build/user/stripped/sh, init or build/musl/procid missing (make; musl-tools)"
    exit 0
fi

# QEMU key names for a line of text (letters, digits, spaces) and Enter.
keys_for() {
    local text=$1 i c out=""
    for ((i = 0; i < ${#text}; i++)); do
        c=${text:i:1}
        if [ "$c" = " " ]; then out+="spc "; else out+="$c "; fi
    done
    echo "${out}ret"
}

keys="@wait=\$_ $(keys_for 'procid tty') @wait=SIGTTOU_ignored \
$(keys_for 'procid sleep one') @wait=signal:_one ctrl-c @wait=(SIGINT) \
$(keys_for 'procid sleep two') @wait=signal:_two ctrl-backslash @wait=(SIGQUIT) \
$(keys_for 'echo still here') @wait=still_here $(keys_for 'procid refused') \
@wait=SIGUSR1 $(keys_for 'procid defaults') \
@wait=RTTIME $(keys_for 'exit 4')"

run_elf --timeout 120 --log "$logdir/job-control.log" --keys "$keys" --with "$bin/sh" \
    --with "$procid" "$bin/init" sh >"$logdir/job-control.out"
cat "$logdir/job-control.out" >>"$logdir/job-control.log"
expect $name "$logdir/job-control.log" "$status" 4 \
    "TIOCGPGRP: 0, the foreground is my group: yes" \
    "TIOCGSID: 0, the console's session is mine: yes" \
    "I lead my group: yes" \
    "TIOCSCTTY (not a session leader): -1 Operation not permitted" \
    "TIOCSPGRP to no group: -1 No such process" "TIOCSPGRP to -2: -1 Invalid argument" \
    "TIOCSPGRP to init's group: 0" "TIOCGPGRP, bad pointer: -1 Bad address" \
    "background read: stopped by SIGTTIN" \
    "background read, SIGTTIN ignored: I/O error" \
    "background TIOCSPGRP: stopped by SIGTTOU" "background TIOCSPGRP, SIGTTOU ignored: 0" \
    "sleeping until a signal: one" "^C" "killed by signal 2 (SIGINT)" \
    "sleeping until a signal: two" "^\\" "killed by signal 3 (SIGQUIT)" \
    "still here" \
    "clone(a thread, as pthread_create asks): -1 Invalid argument" \
    "clone(CLONE_VM without CLONE_VFORK): -1 Invalid argument" \
    "clone(CLONE_VFORK without CLONE_VM): -1 Invalid argument" \
    "clone(CLONE_FILES): -1 Invalid argument" "clone(exit signal 0): -1 Invalid argument" \
    "clone(exit signal SIGUSR1): -1 Invalid argument"
# The defaults Linux 6.1 gives init (linux-ref), but NPROC and SIGPENDING, which
# Linux sizes from memory and vmlab from its process table (128).
expect resource_limits_start_as_on_linux "$logdir/job-control.out" 0 0 \
    "RLIMIT_CPU unlimited unlimited" "RLIMIT_FSIZE unlimited unlimited" \
    "RLIMIT_DATA unlimited unlimited" "RLIMIT_STACK 8388608 unlimited" \
    "RLIMIT_CORE 0 unlimited" "RLIMIT_RSS unlimited unlimited" "RLIMIT_NPROC 128 128" \
    "RLIMIT_NOFILE 1024 4096" "RLIMIT_MEMLOCK 8388608 8388608" "RLIMIT_AS unlimited unlimited" \
    "RLIMIT_LOCKS unlimited unlimited" "RLIMIT_SIGPENDING 128 128" \
    "RLIMIT_MSGQUEUE 819200 819200" "RLIMIT_NICE 0 0" "RLIMIT_RTPRIO 0 0" \
    "RLIMIT_RTTIME unlimited unlimited"
