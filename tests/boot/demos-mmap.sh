#!/usr/bin/env bash
# demos-mmap.sh — the demo programs of memory-mapped files (user/README.md, "Mapped
# files: the demos"), each run by init from the /bin of an ext2 disk made with
# mke2fs -d, so that their own text comes from the disk through the page cache:
#
#   demos_mmapint_reads_the_first_int      the int through the mapping is the file's
#   demos_mmapint_refuses_an_empty_file    exit status 1 and why
#   demos_mmapcopy_copies_NAME             standard output is the file, byte for byte
#                                          (sha256), for an empty file, 12345 bytes, two
#                                          whole pages and a program
#   demos_mmaptalk_takes_turns             the conversation in order; after the power-off
#                                          the host finds the last line in /tmp/mmaptalk
#   demos_firsttouch_cold_file             a file nobody read since boot: 0 pages
#                                          resident before, one fault per touched page,
#                                          1 to 128 of them major (read-ahead); the
#                                          second mapping: minor faults only
#   demos_firsttouch_creates_a_file        -c 1M: the file on the disk afterwards holds
#                                          what it wrote (page i starts with i)
#   demos_sharedtext_after_fork            parent and child: shared text frames, PSS < RSS
#   demos_sharedtext_after_execve          the same in a second run of the program started
#                                          by execve: fails while execve copies the text
#   demos_readme_samples_are_what_they_print
#                                          user/README.md's samples of mmapint, mmaptalk
#                                          and firsttouch appear in their output, in order
#   demos_behave_on_linux                  the same programs pass on the host's Linux, and
#                                          mmapint and mmaptalk print what they print here
# Every run ends with the kernel's memory check clean.
source "$(dirname "$0")/lib.sh"

bin="$here/build/user/stripped"
demos=(mmapint mmapcopy mmaptalk firsttouch sharedtext)
selected demos_mmapint_reads_the_first_int demos_mmapint_refuses_an_empty_file \
    demos_mmapcopy_copies_empty demos_mmapcopy_copies_odd demos_mmapcopy_copies_pages \
    demos_mmapcopy_copies_program demos_mmaptalk_takes_turns demos_firsttouch_cold_file \
    demos_firsttouch_creates_a_file demos_sharedtext_after_fork demos_sharedtext_after_execve \
    demos_behave_on_linux demos_readme_samples_are_what_they_print || exit 0
for p in init "${demos[@]}"; do
    [ -x "$bin/$p" ] || { fail demos_mmap "build/user/stripped/$p missing (make)"; exit 0; }
done
if ! command -v mke2fs >/dev/null || ! command -v debugfs >/dev/null; then
    fail demos_mmap "mke2fs or debugfs missing (Debian: e2fsprogs; make check-tools)"
    exit 0
fi
work=$(mktemp -d "$logdir/demos-mmap.XXXXXX")
trap 'rm -rf "$work"' EXIT

# pages FILE N: N pages, page i starting with i as 8 bytes (little-endian), then 'x's
# (what firsttouch -c writes)
pages() {
    perl -e 'my $n = shift; print pack("Q<", $_) . ("x" x 4088) for 0 .. $n - 1' "$2" >"$1"
}

# The disk: the demos in /bin, the files they are shown in /data, an empty /tmp.
make_disk() {
    local s=$work/staging
    mkdir -p "$s/bin" "$s/data" "$s/tmp"
    for p in "${demos[@]}"; do cp "$bin/$p" "$s/bin/"; done
    { printf '\x78\x56\x34\x12'; head -c 6000 /dev/zero | tr '\0' 'i'; } >"$s/data/int"
    : >"$s/data/empty"
    perl -e 'print map { chr(($_ * 7 + int($_ / 251)) % 256) } 0 .. 12344' >"$s/data/odd"
    perl -e 'print map { chr(($_ * 13) % 256) } 0 .. 8191' >"$s/data/pages"
    pages "$s/data/big" 2048 # 8 MiB
    : >"$work/disk.img"
    mke2fs -q -F -t ext2 -b 1024 -d "$s" "$work/disk.img" 24M
}

# run_demo NAME ARGS...: init runs /bin/ARGS on a copy of the disk of its own;
# the output in $logdir/NAME.out, the kernel's log in $logdir/NAME.log, the exit
# status in $status, the disk afterwards in $work/NAME.img.
run_demo() {
    local name=$1
    shift
    cp --sparse=always "$work/disk.img" "$work/$name.img"
    run_elf --timeout 120 --log "$logdir/$name.log" --disk "$work/$name.img" "$bin/init" "$@" \
        >"$logdir/$name.out"
}

# memory_clean NAME: the kernel's memory check after the run found nothing.
memory_clean() {
    grep -q "^vmlab: memory check: " "$logdir/$1.log" && ! grep -q "mm check FAILED" "$logdir/$1.log"
}

# expect_demo NAME WANTED_STATUS TEXT...: expect on the output, and a clean memory check.
expect_demo() {
    local name=$1 wanted=$2
    shift 2
    if ! memory_clean "$name"; then
        fail "$name" "the kernel's memory check did not pass" "$logdir/$name.log"
        return
    fi
    expect "$name" "$logdir/$name.out" "$status" "$wanted" "$@"
}

mmapint_demo() {
    run_demo demos_mmapint_reads_the_first_int /bin/mmapint /data/int
    expect_demo demos_mmapint_reads_the_first_int 0 \
        "mmapint: map the first 4 KiB of /data/int (MAP_SHARED, PROT_READ), close the descriptor, then read an int through the pointer" \
        "mmapint: the int at offset 0, read through the mapping after close: 305419896 (0x12345678)" \
        "mmapint: read() gives the same int: ok"
    run_demo demos_mmapint_refuses_an_empty_file /bin/mmapint /data/empty
    expect_demo demos_mmapint_refuses_an_empty_file 1 \
        "mmapint: FAILED: /data/empty is empty: it has no page to map (a touch would give SIGBUS)"
}

# mmapcopy_demo NAME FILE HOST_FILE: standard output after the explanation line is
# HOST_FILE's bytes.
mmapcopy_demo() {
    local name=demos_mmapcopy_copies_$1 file=$2 want=$3 size
    size=$(stat -c %s "$want")
    run_demo "$name" /bin/mmapcopy "$file"
    local first got_sum want_sum
    first=$(head -n 1 "$logdir/$name.out")
    got_sum=$(tail -n +2 "$logdir/$name.out" | sha256sum | cut -d' ' -f1)
    want_sum=$(sha256sum <"$want" | cut -d' ' -f1)
    if [ "$status" != 0 ]; then
        fail "$name" "exit status $status" "$logdir/$name.out"
    elif ! memory_clean "$name"; then
        fail "$name" "the kernel's memory check did not pass" "$logdir/$name.log"
    elif [ "$size" = 0 ] && [ "$first" != "mmapcopy: $file is empty: nothing to map, nothing to write" ]; then
        fail "$name" "first line \"$first\"" "$logdir/$name.out"
    elif [ "$size" != 0 ] && [ "$first" != "mmapcopy: $file, $size bytes, copied to standard output by mmap and one write" ]; then
        fail "$name" "first line \"$first\"" "$logdir/$name.out"
    elif [ "$got_sum" != "$want_sum" ]; then
        fail "$name" "the copy of $file ($(($(wc -c <"$logdir/$name.out") - ${#first} - 1)) bytes) is not the file ($size bytes)"
    else
        pass "$name"
    fi
}

mmaptalk_demo() {
    local name=demos_mmaptalk_takes_turns
    run_demo $name /bin/mmaptalk
    expect_demo $name 0 \
        "  parent: hello child: this page is the first page of the file" \
        "  child:  hello parent: I opened it by its name and mapped it myself" \
        "  parent: so our two mappings share one copy of the page" \
        "  child:  and every byte you store there, I load from it" \
        "  parent: no read(), no write(), no copy" \
        "  child:  goodbye: msync will put these words on the disk" \
        "mmaptalk: 6 lines, each read by the other process through its own mapping: ok" \
        "mmaptalk: after msync and munmap, read() finds the child's last line at offset 404 of the file: ok"
    # the page on the disk (offset 404: the line after the turn word and 5 lines of 80)
    local name2=demos_mmaptalk_file_on_disk got
    debugfs -R "dump /tmp/mmaptalk $work/talk" "$work/$name.img" >/dev/null 2>&1
    got=$(dd if="$work/talk" bs=1 skip=404 count=47 2>/dev/null)
    if [ "$(stat -c %s "$work/talk" 2>/dev/null)" != 4096 ]; then
        fail $name2 "/tmp/mmaptalk on the disk is not one page long"
    elif [ "$got" != "goodbye: msync will put these words on the disk" ]; then
        fail $name2 "at offset 404 the disk holds \"$got\""
    else
        pass $name2
    fi
}

# round_numbers NAME WHICH: the six numbers of firsttouch's line for a mapping
# (before, touched, stride, after, major, minor), space separated.
round_numbers() {
    sed -n "s/^  $2 *: resident before \([0-9]*\) pages; touched \([0-9]*\) (every \([0-9]*\)th); resident after \([0-9]*\); faults \([0-9]*\) major, \([0-9]*\) minor$/\1 \2 \3 \4 \5 \6/p" \
        "$logdir/$1.out"
}

firsttouch_demo() {
    local name=demos_firsttouch_cold_file
    run_demo $name /bin/firsttouch /data/big
    local first second
    first=($(round_numbers $name "first mapping"))
    second=($(round_numbers $name "second mapping"))
    if [ "$status" != 0 ]; then
        fail $name "exit status $status" "$logdir/$name.out"
    elif ! memory_clean $name; then
        fail $name "the kernel's memory check did not pass" "$logdir/$name.log"
    elif [ ${#first[@]} != 6 ] || [ ${#second[@]} != 6 ]; then
        fail $name "no line for each mapping" "$logdir/$name.out"
    elif [ "${first[0]}" != 0 ] || [ "${first[1]}" != 128 ]; then
        fail $name "first mapping: ${first[0]} pages resident before (0 expected), ${first[1]} touched (128)" "$logdir/$name.out"
    elif [ "${first[3]}" -lt 128 ] || [ "${first[3]}" -gt 2048 ]; then
        fail $name "first mapping: ${first[3]} pages resident after (128 to 2048 expected)" "$logdir/$name.out"
    elif [ "${first[4]}" -lt 1 ] || [ "${first[4]}" -gt 128 ] || [ $((first[4] + first[5])) != 128 ]; then
        fail $name "first mapping: ${first[4]} major and ${first[5]} minor faults (1 to 128 major, 128 in all expected)" "$logdir/$name.out"
    elif [ "${second[0]}" -lt 128 ] || [ "${second[4]}" != 0 ] || [ "${second[5]}" != 128 ]; then
        fail $name "second mapping: ${second[0]} resident before (128 or more), ${second[4]} major (0), ${second[5]} minor (128)" "$logdir/$name.out"
    elif ! grep -q "^firsttouch: all [0-9]* checks passed$" "$logdir/$name.out"; then
        fail $name "its own checks did not all pass" "$logdir/$name.out"
    else
        pass $name
    fi
    name=demos_firsttouch_creates_a_file
    run_demo $name /bin/firsttouch -c 1M /tmp/made
    expect_demo $name 0 "  created /tmp/made: 1048576 bytes; fsync: ok;" \
        "  /tmp/made: 1048576 bytes, 256 pages, mapped MAP_SHARED read-only" \
        "firsttouch: all "
    pages "$work/made.want" 256
    debugfs -R "dump /tmp/made $work/made.got" "$work/$name.img" >/dev/null 2>&1
    if cmp -s "$work/made.want" "$work/made.got"; then
        pass demos_firsttouch_file_on_disk
    else
        fail demos_firsttouch_file_on_disk "/tmp/made on the disk is not what firsttouch -c wrote"
    fi
}

# sharing_numbers OUT WHO: RSS, PSS, shared frames, shared text, text pages of WHO's line.
sharing_numbers() {
    sed -n "s/^  $2: *RSS *\([0-9]*\) KiB, PSS *\([0-9]*\) KiB, shared frames *\([0-9]*\); text: \([0-9]*\) of \([0-9]*\) pages shared$/\1 \2 \3 \4 \5/p" "$1"
}

# sharing_problem OUT WHO...: why the lines of WHO do not show shared text and
# PSS < RSS; nothing if they do.
sharing_problem() {
    local out=$1 who n
    shift
    for who in "$@"; do
        n=($(sharing_numbers "$out" "$who"))
        if [ ${#n[@]} != 5 ]; then
            echo "no line for the $who"
        elif [ "${n[3]}" -lt 1 ] || [ "${n[3]}" -gt "${n[4]}" ]; then
            echo "$who: ${n[3]} of ${n[4]} text pages shared (1 or more expected)"
        elif [ "${n[1]}" -ge "${n[0]}" ]; then
            echo "$who: PSS ${n[1]} KiB is not below RSS ${n[0]} KiB"
        else
            continue
        fi
        return
    done
}

# One run, two verdicts: fork shares every page (text included); a second run of
# the program by execve shares its text only if execve maps the program's file
# from the page cache instead of copying it in.
sharedtext_demo() {
    local name=demos_sharedtext run=demos_sharedtext why out
    run_demo $run /bin/sharedtext
    out=$logdir/$run.out
    if ! memory_clean $run; then
        fail ${name}_after_fork "the kernel's memory check did not pass" "$logdir/$run.log"
        return
    fi
    why=$(sharing_problem "$out" "child, after fork" "parent, after fork")
    if [ -n "$why" ]; then
        fail ${name}_after_fork "$why" "$out"
    elif ! grep -q "^  ok: the child's checks passed" "$out" || grep -q "FAILED: .*after fork" "$out"; then
        fail ${name}_after_fork "its checks after fork did not all pass" "$out"
    else
        pass ${name}_after_fork
    fi
    why=$(sharing_problem "$out" "second run, execve'd")
    if [ -n "$why" ]; then
        fail ${name}_after_execve "$why: execve copied the text?" "$out"
    elif [ "$status" != 0 ] || ! grep -q "^sharedtext: all [0-9]* checks passed$" "$out"; then
        fail ${name}_after_execve "exit status $status, or not all its checks passed" "$out"
    else
        pass ${name}_after_execve
    fi
}

# The same programs on this host's Linux: their own checks pass, the copies are
# the files, and mmapint's and mmaptalk's words are vmlab's (the paths aside).
linux_demos() {
    local name=demos_behave_on_linux d=$work/staging/data out=$work/linux why=""
    mkdir -p "$out"
    "$bin/mmapint" "$d/int" | sed "s|$d/|/data/|" >"$out/mmapint" || why="mmapint failed"
    for f in empty odd pages; do
        "$bin/mmapcopy" "$d/$f" 2>/dev/null | cmp -s - "$d/$f" || why="${why:-mmapcopy $f: not the file}"
    done
    "$bin/mmaptalk" "$out/talk" | sed "s|$out/talk|/tmp/mmaptalk|" >"$out/mmaptalk" || why="${why:-mmaptalk failed}"
    "$bin/firsttouch" -c 1M "$out/made" >"$out/firsttouch" || why="${why:-firsttouch -c failed}"
    pages "$out/made.want" 256
    cmp -s "$out/made" "$out/made.want" || why="${why:-firsttouch -c: the file is not what it wrote}"
    "$bin/sharedtext" >"$out/sharedtext" || why="${why:-sharedtext failed}"
    if [ -n "$why" ]; then
        fail $name "$why"
    elif ! cmp -s "$out/mmapint" "$logdir/demos_mmapint_reads_the_first_int.out"; then
        fail $name "mmapint says other words on Linux (- Linux, + vmlab):"
        diff -u "$out/mmapint" "$logdir/demos_mmapint_reads_the_first_int.out" | tail -n +3 | sed 's/^/    | /'
    elif ! cmp -s "$out/mmaptalk" "$logdir/demos_mmaptalk_takes_turns.out"; then
        fail $name "mmaptalk says other words on Linux (- Linux, + vmlab):"
        diff -u "$out/mmaptalk" "$logdir/demos_mmaptalk_takes_turns.out" | tail -n +3 | sed 's/^/    | /'
    else
        pass $name
    fi
}

# readme_sample COMMAND: the lines user/README.md shows under "    $ COMMAND" in its
# section on these demos, "..." lines left out.
readme_sample() {
    awk -v cmd="    \$ $1" '$0 == cmd { on = 1; next } on && /^    \$ / { exit }
        on && /^    / { print substr($0, 5); next } on && NF { exit }' "$here/user/README.md" |
        grep -v '^\.\.\.$'
}

# The README's samples for mmapint, mmaptalk and firsttouch are what they printed
# here: every line, in order.
readme_samples() {
    local name=demos_readme_samples_are_what_they_print command out lines
    for command in "mmapint /data/int:demos_mmapint_reads_the_first_int" \
        "mmaptalk:demos_mmaptalk_takes_turns" "firsttouch /data/big:demos_firsttouch_cold_file"; do
        out=$logdir/${command#*:}.out
        mapfile -t lines < <(readme_sample "${command%%:*}")
        if [ ${#lines[@]} -lt 3 ]; then
            fail $name "user/README.md has no sample for \"${command%%:*}\""
            return
        fi
        expect $name "$out" 0 0 "${lines[@]}" >"$work/readme.verdict"
        if grep -q "^FAIL" "$work/readme.verdict"; then
            fail $name "\"${command%%:*}\" printed otherwise than user/README.md shows: $(head -n 1 "$work/readme.verdict" | sed 's/.*: expected/expected/')" "$out"
            return
        fi
    done
    pass $name
}

make_disk >"$work/mke2fs.log" 2>&1 || { fail demos_mmap "mke2fs failed" "$work/mke2fs.log"; exit 0; }
# (demos_behave_on_linux compares with the vmlab runs of mmapint and mmaptalk)
selected demos_mmapint_reads_the_first_int demos_mmapint_refuses_an_empty_file demos_behave_on_linux \
    demos_readme_samples_are_what_they_print &&
    in_parallel mmapint_demo
selected demos_mmapcopy_copies_empty && in_parallel mmapcopy_demo empty /data/empty "$work/staging/data/empty"
selected demos_mmapcopy_copies_odd && in_parallel mmapcopy_demo odd /data/odd "$work/staging/data/odd"
selected demos_mmapcopy_copies_pages && in_parallel mmapcopy_demo pages /data/pages "$work/staging/data/pages"
selected demos_mmapcopy_copies_program && in_parallel mmapcopy_demo program /bin/mmapcopy "$bin/mmapcopy"
selected demos_mmaptalk_takes_turns demos_behave_on_linux demos_readme_samples_are_what_they_print &&
    in_parallel mmaptalk_demo
selected demos_firsttouch_cold_file demos_firsttouch_creates_a_file demos_readme_samples_are_what_they_print &&
    in_parallel firsttouch_demo
selected demos_sharedtext_after_fork demos_sharedtext_after_execve && in_parallel sharedtext_demo
wait_parallel
# (after the vmlab runs, whose outputs it compares with)
selected demos_readme_samples_are_what_they_print && readme_samples
if [ "$(uname -s)" = Linux ] && selected demos_behave_on_linux; then
    linux_demos
fi
