#!/usr/bin/env bash
# busybox.sh — Debian's busybox-static on vmlab (the root disk's /bin/busybox and
# its applet links, tools/root-disk).
#
#   busybox_matches_linux   tests/musl/busybox_lines runs each line of
#                           tests/boot/busybox/commands as `busybox sh -c LINE`
#                           (the first runs tests/boot/busybox/script.sh, a shell
#                           script; every tests/boot/busybox/*.sh is in /bin) on
#                           vmlab and on Linux (../shared/linux-ref, the
#                           same binaries under the same QEMU): the transcripts must
#                           be the same, byte for byte. Linux's is kept in
#                           build/busybox-linux/ under a hash of everything it ran.
#   busybox_terminal_modes  tests/musl/tty_modes with typed input: canonical and raw
#                           modes, echo, VMIN/VTIME, ICRNL, ISIG off, TCSETSF
#                           (kernel/tty.c);
#                           the transcript written below.
# BUSYBOX_PENDING=1 also runs tests/boot/busybox/pending: lines that wait for a part
# of the kernel (fork through clone, /proc, signal handlers...). Move a line from
# there to commands once it passes.
source "$(dirname "$0")/lib.sh"

selected busybox_matches_linux busybox_terminal_modes || exit 0
dir=$here/tests/boot/busybox
lines=$here/build/musl/busybox_lines
linux_ref=${BUSYBOX_LINUX_REF-$here/../shared/linux-ref/run-linux.sh}
busybox=/bin/busybox
work=$(mktemp -d "$logdir/busybox.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The commands file both kernels run: the committed lines, and the pending ones if asked.
cat "$dir/commands" >"$work/commands"
[ -z "${BUSYBOX_PENDING:-}" ] || cat "$dir/pending" >>"$work/commands"
scripts=("$dir"/*.sh)

# Linux's transcript (stdout of busybox_lines, from linux-ref's report) into $1.
# The transcript linux-ref made for the committed inputs is committed too:
# tests/boot/busybox/linux.out, with the hash of its inputs in linux.key (same
# busybox package, commands, scripts, program). When the hash matches, it is used
# as it is (a fresh machine need not boot Linux for it); otherwise linux-ref runs
# the session and its transcript is kept in build/busybox-linux/KEY.out.
# After changing any input, run this test where linux-ref is, and copy
# build/busybox-linux/KEY.out to linux.out and KEY to linux.key.
linux_transcript() {
    local key cache
    key=$(cat "$busybox" "$work/commands" "${scripts[@]}" "$here/tests/musl/busybox_lines.c" | sha256sum | cut -c1-16)
    cache=$here/build/busybox-linux/$key.out
    if [ "$key" = "$(cat "$dir/linux.key")" ]; then
        cp "$dir/linux.out" "$1"
        return 0
    fi
    [ -f "$cache" ] || [ -x "$linux_ref" ] || return 2
    if [ ! -f "$cache" ]; then
        with_slot "$linux_ref" --pvh -c max -t 300 -x "$busybox" -x "$work/commands" \
            $(printf -- '-x %s ' "${scripts[@]}") "$lines /bin/commands" >"$work/linux.report" 2>"$work/linux.log"
        [ "$status" = 0 ] && grep -q '^@@status exit 0' "$work/linux.report" || return 1
        mkdir -p "$(dirname "$cache")"
        perl -0777 -ne 'print substr($_, pos($_), $1) if /\@\@stdout (\d+)\n/g' "$work/linux.report" >"$cache.new" &&
            mv "$cache.new" "$cache"
    fi
    cp "$cache" "$1"
}

matches_linux() {
    local name=busybox_matches_linux
    if [ ! -x "$lines" ] || [ ! -x "$busybox" ] || [ ! -f "$here/build/root.img" ]; then
        fail $name "build/musl/busybox_lines, $busybox or build/root.img missing (make)"
        return
    fi
    # vmlab: a copy of the root disk with the two files in /bin, where Linux has them
    cp --sparse=always "$here/build/root.img" "$work/root.img"
    { printf 'write %s /bin/commands\n' "$work/commands"
      for s in "${scripts[@]}"; do printf 'write %s /bin/%s\n' "$s" "$(basename "$s")"; done
    } | debugfs -w -f - "$work/root.img" >/dev/null 2>&1
    run_elf --timeout 120 --log "$logdir/busybox.log" --disk "$work/root.img" "$lines" /bin/commands \
        >"$logdir/busybox.vmlab"
    local vmlab_status=$status
    linux_transcript "$logdir/busybox.linux"
    local linux_status=$?
    if [ $linux_status = 2 ]; then
        fail $name "no $linux_ref, and tests/boot/busybox/linux.out was made for other inputs (linux.key)"
    elif [ $linux_status != 0 ]; then
        fail $name "the run on Linux failed" "$work/linux.log"
    elif [ "$vmlab_status" != 0 ]; then
        fail $name "exit status $vmlab_status on vmlab" "$logdir/busybox.log"
    else
        compare_session $name "$logdir/busybox.linux" "$logdir/busybox.vmlab"
    fi
}

terminal_modes() {
    local name=busybox_terminal_modes program=$here/build/musl/tty_modes
    [ -x "$program" ] || { fail $name "build/musl/tty_modes missing (make)"; return; }
    printf 'xyz\nab\nq\003\r\nline\n' >"$work/typed"
    cat >"$work/expected" <<'END'
default: ICANON 1 ECHO 1 ECHOE 1 ICRNL 1 OPOST 1 ONLCR 1 VMIN 1 VTIME 0 VERASE 127 VEOF 4 VINTR 3
raw: ICANON 0 ECHO 0 ECHOE 1 ICRNL 1 OPOST 1 ONLCR 1 VMIN 4 VTIME 0 VERASE 127 VEOF 4 VINTR 3
> raw, VMIN 4: read 4: 78 79 7a 0a
VMIN 0 VTIME 0, nothing typed: read 0
VMIN 0 VTIME 3, nothing typed: read 0 after 0.3 s or more: yes, under 1 s: yes
> ab

raw with echo, VMIN 3: read 3: 61 62 0a
> ICRNL and ISIG off, VMIN 4: read 4: 71 03 0d 0a
back: ICANON 1 ECHO 1 ECHOE 1 ICRNL 1 OPOST 1 ONLCR 1 VMIN 1 VTIME 0 VERASE 127 VEOF 4 VINTR 3
> line
canonical: read 5: 6c 69 6e 65 0a
TCSETS from address 16: -1 Bad address
still: ICANON 1 ECHO 1 ECHOE 1 ICRNL 1 OPOST 1 ONLCR 1 VMIN 1 VTIME 0 VERASE 127 VEOF 4 VINTR 3
END
    run_elf --timeout 60 --log "$logdir/busybox-tty.log" --input "$work/typed" --prompt '> ' \
        "$program" >"$logdir/busybox-tty.out"
    if [ "$status" != 0 ]; then
        fail $name "exit status $status" "$logdir/busybox-tty.log"
    else
        compare_session $name "$work/expected" "$logdir/busybox-tty.out"
    fi
}

selected busybox_matches_linux && in_parallel matches_linux
selected busybox_terminal_modes && in_parallel terminal_modes
wait_parallel
