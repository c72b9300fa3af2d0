#!/usr/bin/env bash
# readme.sh — the README's "What you should see" is what `make run` shows: the kernel
# booted with a copy of the root disk build/root.img as vda and no boot module (as
# `make run` boots build/vmlab.iso), `hello world` typed at the shell's prompt. Each line of the README's sample must appear in the output, in
# order; numbers (addresses, sizes, counts, versions) may differ, since they move
# with every build; a line "..." stands for any number of lines.
source "$(dirname "$0")/lib.sh"

name=readme_boot_sample_is_what_make_run_shows
selected $name || exit 0
if [ ! -f "$here/build/root.img" ]; then
    fail $name "build/root.img is not built (make)"
    exit 0
fi

# The sample: the indented block after "`make run` prints".
sample=$(awk '/^`make run` prints/ { on = 1; next } on && /^    / { print substr($0, 5); seen = 1; next }
              on && seen && !/^    / { exit }' "$here/README.md")
if [ -z "$sample" ]; then
    fail $name "README.md has no sample after \"\`make run\` prints\""
    exit 0
fi

cp "$here/build/root.img" "$logdir/readme.img" # the disk make run would write to, a copy
printf 'hello world\n' >"$logdir/readme.input"
boot readme --disk "$logdir/readme.img" --input "$logdir/readme.input" --prompt '$ ' --until 'hello, world' --timeout 60

# A sample line as an extended regular expression: literal text, numbers free
# (hex 0x..., or decimal with dots: 1640, 126.8, 2.06-13).
line_pattern() {
    perl -pe 's/0x[0-9a-f]+|[0-9]+(\.[0-9]+)*/\x01/g; s/([][\\.^\$*+?(){}|\/])/\\$1/g;
              s/\x01/[0-9a-fx.]+/g' <<<"$1"
}

check_sample() {
    local rest line pattern at
    # what a terminal shows: its escape sequences (the shell's line editing asks
    # where the cursor is, ESC [ 6 n) draw nothing
    rest=$(sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$logdir/readme.log")
    while IFS= read -r line; do
        [ "$line" = "..." ] && continue
        pattern=$(line_pattern "$line")
        # the first output line at or after where we are that matches
        at=$(grep -n -m1 -E -- "^$pattern\$" <<<"$rest" | cut -d: -f1)
        if [ -z "$at" ]; then
            fail $name "README.md's sample line \"$line\" is not in the output (in this order)" "$logdir/readme.log"
            return
        fi
        rest=$(tail -n +$((at + 1)) <<<"$rest")
    done <<<"$sample"
    pass $name
}

if [ "$status" != 3 ]; then
    fail $name "the boot did not reach 'hello, world': $(status_meaning "$status")" "$logdir/readme.log"
else
    check_sample
fi
rm -f "$logdir/readme.img"
