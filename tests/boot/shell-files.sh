#!/usr/bin/env bash
# shell-files.sh — the shell's quoting, pipelines and redirections, and the file
# programs (ls, cat, echo, wc, cp, mkdir, rm), typed at vmlab's shell over an ext2
# disk made with mke2fs -d. Each transcript is compared byte for byte.
#
#   shell_reads_files        what works on a read-only file system: quoting, a
#                            3-stage pipeline, ls of /bin and ls -l, cat and wc of
#                            files on the disk, < from a file, > to /dev/null, cd and
#                            pwd, error messages; the image is unchanged afterwards
#                            (but for its superblock)
#   shell_makes_and_removes_directories
#                            mkdir (-p), rm -r of directories, ls, cd into a
#                            directory removed under the shell; e2fsck -fn after
#   shell_writes_files       > >> cp mkdir rm on the disk: the same script run by our
#                            sh and programs on the host's Linux in an empty folder
#                            gives the expected transcript, and the disk's /tmp
#                            afterwards (debugfs rdump) must equal that folder, and
#                            e2fsck -fn must find nothing. It runs once the kernel
#                            writes files (kernel/syscall.c has mkdir, unlink and
#                            ftruncate); until then it says SKIP.
source "$(dirname "$0")/lib.sh"

bin="$here/build/user/stripped"
programs=(sh ls cat echo wc cp mkdir rm)
selected shell_reads_files shell_makes_and_removes_directories shell_writes_files || exit 0
for p in "${programs[@]}"; do
    if [ ! -x "$bin/$p" ]; then
        fail shell_files "build/user/stripped/$p missing (make)"
        exit 0
    fi
done
if ! command -v mke2fs >/dev/null || ! command -v debugfs >/dev/null; then
    fail shell_files "mke2fs or debugfs missing (Debian: e2fsprogs; make check-tools)"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
withs=()
for p in "${programs[@]}"; do withs+=(--with "$bin/$p"); done

# make_disk DIR IMAGE: the tree every test starts from, as an ext2 image of 1 KiB
# blocks: /bin with the programs, /home with two files, an empty /tmp.
make_disk() {
    mkdir -p "$1/bin" "$1/home" "$1/tmp" "$1/etc"
    for p in "${programs[@]}"; do cp "$bin/$p" "$1/bin/"; done
    printf 'virtual memory\nis fun\n' >"$1/home/notes"
    head -c 3000 /dev/zero | tr '\0' 'x' >"$1/home/big" # 3 blocks
    printf 'hidden\n' >"$1/home/.profile"
    : >"$2"
    mke2fs -q -F -t ext2 -b 1024 -d "$1" "$2" 8M
}

# superblock_blanked IMAGE: the image with its superblock (bytes 1024..2047) zeroed:
# a kernel that writes may rewrite it at the power-off unmount (mount count, times),
# even when nothing else was written.
superblock_blanked() {
    head -c 1024 "$1"
    head -c 1024 /dev/zero
    tail -c +2049 "$1"
}

# run_session NAME INPUT IMAGE: type INPUT at the shell (a line per prompt), with
# the image as vda; the output in $logdir/NAME.out, the status in $status.
run_session() {
    run_elf --timeout 90 --log "$logdir/$1.log" --input "$2" --prompt '$ ' --disk "$3" \
        "${withs[@]}" "$bin/sh" >"$logdir/$1.out"
}

# typed COMMAND [OUTPUT-LINE]...: one line of the session: the input gets COMMAND, the
# expected transcript the prompt, COMMAND as the console echoes it, and the lines
# it should print.
typed() {
    printf '%s\n' "$1" >>"$work/read.input"
    printf '$ %s\n' "$1" >>"$work/read.expected"
    shift
    [ $# -eq 0 ] || printf '%s\n' "$@" >>"$work/read.expected"
}

reads() {
    local name=shell_reads_files
    make_disk "$work/staging" "$work/read.img" || { fail $name "mke2fs failed"; return; }
    cp "$work/read.img" "$work/read-made.img"
    : >"$work/read.input"
    : >"$work/read.expected"
    typed 'echo "a  b" '"'"'c  d'"'"' e\ f "" g'"'"'h'"'"'"i" \"q\"' 'a  b c  d e f  ghi "q"'
    typed '/bin/echo "from  /bin/echo" '"'"'it'"'"'\'"'"''"'"'s'"'"'' "from  /bin/echo it's"
    typed 'echo a b | wc' '      1       2       4'
    typed 'ls /bin | cat | wc -l' "${#programs[@]}"
    typed 'ls /bin' $(printf '%s\n' "${programs[@]}" | LC_ALL=C sort)
    typed 'ls -l /home' 'total 4' '-rw-r--r-- 1 3000 big' '-rw-r--r-- 1   22 notes'
    typed 'ls -a /home' . .. .profile big notes
    typed 'cat /home/notes' 'virtual memory' 'is fun'
    typed 'cat < /home/notes | wc' '      2       4      22'
    typed 'wc /home/notes /home/big' '   2    4   22 /home/notes' '   0    1 3000 /home/big' \
        '   2    5 3022 total'
    typed 'cat /home/notes /home/nosuch; cat < /home/nosuch' 'virtual memory' 'is fun' \
        'cat: /home/nosuch: No such file or directory' 'exit status 1' \
        'sh: /home/nosuch: No such file or directory'
    typed 'ls /nosuch /home/notes' "ls: cannot access '/nosuch': No such file or directory" \
        '/home/notes' 'exit status 2'
    typed 'echo hidden > /dev/null; cat /home/notes >> /dev/null; echo still here' 'still here'
    typed 'cat /home/nosuch 2>/dev/null | wc -c' '0'
    typed 'cd /home; pwd; ls; wc -w notes' '/home' 'big' 'notes' '4 notes'
    typed 'cd /nosuch' 'sh: cd: /nosuch: No such file or directory'
    typed 'cd; pwd' '/'
    typed '| wc' "sh: syntax error near unexpected token \`|'"
    typed 'echo "unterminated' 'sh: syntax error: unterminated "..." quote'
    typed 'exit 4'
    run_session shell-reads "$work/read.input" "$work/read.img"
    if [ "$status" != 4 ]; then
        fail $name "exit status $status, expected 4 (exit 4)" "$logdir/shell-reads.log"
    elif ! grep -q 'vmlab: memory check: .* as before the first program' "$logdir/shell-reads.log"; then
        fail $name "the kernel's memory check did not pass" "$logdir/shell-reads.log"
    elif ! cmp -s <(superblock_blanked "$work/read.img") <(superblock_blanked "$work/read-made.img"); then
        fail $name "the disk image changed beyond its superblock, though nothing was written to it"
    else
        compare_session $name "$work/read.expected" "$logdir/shell-reads.out"
    fi
}

# Directories only (mkdir, rmdir, unlink of nothing yet written): what a kernel with
# the namespace calls but no file writing can already do; e2fsck -fn judges the disk.
names() {
    local name=shell_makes_and_removes_directories
    if ! grep -q '\[NR_mkdir\]' "$here/kernel/syscall.c" || ! grep -q '\[NR_rmdir\]' "$here/kernel/syscall.c"; then
        echo "SKIP boot/$name: the kernel has no mkdir and rmdir yet (kernel/syscall.c)"
        return
    fi
    make_disk "$work/nstaging" "$work/names.img" || { fail $name "mke2fs failed"; return; }
    {
        printf '%s\n' 'mkdir /tmp/a /tmp/a /home/notes/x' 'mkdir -p /tmp/a/b/c /tmp/d' \
            'ls /tmp /tmp/a; cd /tmp/a/b; pwd; ls -a' 'rm -r /tmp/a; rm /tmp/d; rm -r /tmp/nosuch' \
            'ls -a /tmp; cd /tmp/d; rm -r /tmp/d; ls' 'exit 0'
    } >"$work/names.input"
    printf '%s\n' '$ mkdir /tmp/a /tmp/a /home/notes/x' \
        "mkdir: cannot create directory '/tmp/a': File exists" \
        "mkdir: cannot create directory '/home/notes/x': Not a directory" 'exit status 1' \
        '$ mkdir -p /tmp/a/b/c /tmp/d' \
        '$ ls /tmp /tmp/a; cd /tmp/a/b; pwd; ls -a' '/tmp:' 'a' 'd' '' '/tmp/a:' 'b' \
        '/tmp/a/b' '.' '..' 'c' \
        '$ rm -r /tmp/a; rm /tmp/d; rm -r /tmp/nosuch' "rm: cannot remove '/tmp/d': Is a directory" \
        'exit status 1' "rm: cannot remove '/tmp/nosuch': No such file or directory" 'exit status 1' \
        '$ ls -a /tmp; cd /tmp/d; rm -r /tmp/d; ls' '.' '..' 'd' '$ exit 0' >"$work/names.expected"
    run_session shell-names "$work/names.input" "$work/names.img"
    local fsck
    if [ "$status" != 0 ]; then
        fail $name "exit status $status, expected 0 (exit 0)" "$logdir/shell-names.log"
    elif ! fsck=$(e2fsck -fn "$work/names.img" 2>&1); then
        fail $name "e2fsck -fn finds errors on the disk afterwards:"
        sed 's/^/    | /' <<<"$fsck" | head -n 20
    elif [ "$(debugfs -R 'ls -p /tmp' "$work/names.img" 2>/dev/null | grep -c '^/')" != 2 ]; then
        fail $name "the disk's /tmp still holds more than . and .. (debugfs ls /tmp)"
    else
        compare_session $name "$work/names.expected" "$logdir/shell-names.out"
    fi
}

# The writing script: relative paths after `cd /tmp`, so that the same lines run on
# the host in an empty folder (the host's pwd is replaced by /tmp afterwards).
write_script=(
    'cd /tmp'
    'echo hi > f; echo more >> f; cat < f'
    'cat f f > g; wc < g'
    'cp f copy; cp /home/notes .; mkdir d; cp f /home/notes d; ls; ls d'
    'ls -l f copy notes d/f'
    'echo "a  b" | cat > d/quoted; cat d/quoted'
    'cat nosuch 2> err; cat err; wc -l < err >> err; cat err'
    'mkdir -p a/b/c; mkdir a; ls a a/b'
    'rm g; rm nosuch; rm d; rm -r a; ls'
    'pwd; cd d; pwd; ls; cd ..'
    '> empty; wc empty; rm -r d; ls'
    'exit 0'
)

writes() {
    local name=shell_writes_files
    if ! grep -q '\[NR_mkdir\]' "$here/kernel/syscall.c" || ! grep -q '\[NR_unlink\]' "$here/kernel/syscall.c" ||
        ! grep -q '\[NR_ftruncate\]' "$here/kernel/syscall.c"; then
        echo "SKIP boot/$name: the kernel does not write files yet (kernel/syscall.c lacks mkdir, unlink or ftruncate)"
        return
    fi
    make_disk "$work/wstaging" "$work/write.img" || { fail $name "mke2fs failed"; return; }
    printf '%s\n' "${write_script[@]}" >"$work/write.input"
    # The truth: the same lines, our sh and programs on Linux, /tmp and /home
    # stand-ins in a folder of our own (the script reads /home/notes).
    local host=$work/host
    mkdir -p "$host/tmp"
    sed -e "s|/tmp|$host/tmp|g" -e "s|/home/|$work/wstaging/home/|g" "$work/write.input" >"$work/write.host-input"
    (cd "$host" && PATH="$bin" LC_ALL=C "$bin/sh" <"$work/write.host-input" >"$work/write.host-out" 2>&1)
    # On Linux nothing echoes the typed line; vmlab's console does, after the prompt.
    sed -e "s|$host/tmp|/tmp|g" -e "s|$work/wstaging/home/|/home/|g" "$work/write.host-out" >"$work/write.host-out2"
    perl -e 'open(my $in, "<", $ARGV[0]) or die; my @typed = <$in>;
             local $/; open(my $out, "<", $ARGV[1]) or die; my @parts = split(/\$ /, <$out>, -1);
             print shift @parts; print "\$ ", shift(@typed) // "", $_ for @parts' \
        "$work/write.input" "$work/write.host-out2" >"$work/write.expected"
    run_session shell-writes "$work/write.input" "$work/write.img"
    if [ "$status" != 0 ]; then
        fail $name "exit status $status, expected 0 (exit 0)" "$logdir/shell-writes.log"
        return
    fi
    local fsck
    if ! fsck=$(e2fsck -fn "$work/write.img" 2>&1); then
        fail $name "e2fsck -fn finds errors on the disk afterwards:"
        sed 's/^/    | /' <<<"$fsck" | head -n 20
        return
    fi
    rm -rf "$work/rdump" && mkdir "$work/rdump"
    debugfs -R "rdump /tmp $work/rdump" "$work/write.img" >/dev/null 2>&1
    if ! diff -r "$host/tmp" "$work/rdump/tmp" >"$work/rdump.diff"; then
        fail $name "the disk's /tmp differs from the same script's folder on Linux:"
        head -n 20 "$work/rdump.diff" | sed 's/^/    | /'
        return
    fi
    compare_session $name "$work/write.expected" "$logdir/shell-writes.out"
}

selected shell_reads_files && in_parallel reads
selected shell_makes_and_removes_directories && in_parallel names
selected shell_writes_files && in_parallel writes
wait_parallel
