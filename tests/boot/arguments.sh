#!/usr/bin/env bash
# arguments.sh — the first program's arguments as a person writes them in grub.cfg:
# `init=/bin/prog -- words`. The word `--` ends the kernel's options, so `test` or
# `init=/bin/x` after it are arguments, not options; GRUB's quoting ('a b', "it's")
# is undone. And initargs=FILE (how tests/run-elf passes arguments; musl-diff.sh
# checks those against Linux) refuses a file it cannot use, saying why.
source "$(dirname "$0")/lib.sh"

prog="$here/build/musl/hello_printf"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# grub_words NAME WANTED_LINE WORDS: boot with `init=/bin/hello_printf -- WORDS`
# (WORDS in grub.cfg's syntax); the program's last line must be WANTED_LINE.
grub_words() {
    local name=$1 wanted=$2 words=$3
    local out="$logdir/$name.out"
    : >"$out"
    boot "$name" --module "$prog" --serial2 "$out" \
        --cmdline "init=/bin/hello_printf userout=com2 panic=poweroff quiet -- $words"
    local got
    got=$(tail -n 1 "$out")
    if [ "$status" != 0 ]; then
        fail "$name" "exit status $status ($(status_meaning "$status")), expected 0" "$logdir/$name.log"
    elif grep -q "^ktest:" "$logdir/$name.log"; then
        fail "$name" "the kernel took an argument for its \`test' option" "$logdir/$name.log"
    elif [ "$got" != "$wanted" ]; then
        fail "$name" "the program printed \"$got\", expected \"$wanted\"" "$logdir/$name.log"
    else
        pass "$name"
    fi
}

# bad_initargs NAME CONTENTS MESSAGE: initargs= names a file holding CONTENTS (a
# printf format), or none if CONTENTS is "-"; the kernel must refuse to start init
# (power off with status 1) and say MESSAGE.
bad_initargs() {
    local name=$1 contents=$2 message=$3 modules=(--module "$prog")
    if [ "$contents" != - ]; then
        mkdir -p "$work/$name"
        printf "$contents" >"$work/$name/args"
        modules+=(--module "$work/$name/args")
    fi
    boot "$name" "${modules[@]}" --cmdline "init=/bin/hello_printf initargs=/bin/args panic=poweroff quiet"
    expect "$name" "$logdir/$name.log" "$status" 1 "$message" "vmlab: init /bin/hello_printf could not start"
}

if [ ! -x "$prog" ]; then
    fail args_tests "$prog is missing (make; musl-gcc)"
    exit 0
fi
selected args_after_double_dash_are_not_options &&
    in_parallel grub_words args_after_double_dash_are_not_options \
        "3 arguments: [test] [init=/bin/x] [panic=halt]" "test init=/bin/x panic=halt"
selected args_keep_grubs_quoted_words &&
    in_parallel grub_words args_keep_grubs_quoted_words \
        "5 arguments: [a b] [it's] [\"q\"] [back\\slash] [--]" "'a b' \"it's\" '\"q\"' 'back\\slash' --"
selected args_file_missing_is_refused &&
    in_parallel bad_initargs args_file_missing_is_refused - "initargs=/bin/args: no such boot file"
selected args_file_unterminated_is_refused &&
    in_parallel bad_initargs args_file_unterminated_is_refused 'one\0two' \
        "initargs=/bin/args: the last argument does not end with a zero byte"
selected args_file_too_many_is_refused &&
    in_parallel bad_initargs args_file_too_many_is_refused "$(printf 'x\\0%.0s' {1..128})" \
        "initargs=/bin/args: more than 127 arguments"
wait_parallel
