#!/usr/bin/env bash
# root-disk.sh — the root disk build/root.img (tools/root-disk, the Makefile) and
# programs run from it (kernel/exec.c, kernel/fs/program_file.c).
#   root_disk_image       a fresh image passes e2fsck -fn and holds /bin (every
#                         program of user/programs.list, byte for byte the stripped
#                         ELF, mode 0755, root's), /tmp (1777), an empty /dev,
#                         /home/welcome.txt; build/root.img's /bin is up to date
#   root_disk_update      `tools/root-disk update` replaces one program and leaves a
#                         file written on the image alone; e2fsck -fn stays clean
#   root_disk_boot        booting a copy with no boot modules: init and the shell
#                         come from the disk, and the shell runs /bin/hello from it
#   root_disk_exec_errors tests/musl/exec_paths on the disk and on a host folder
#                         laid out the same: execve through a symlink, and EACCES,
#                         ENOENT, ENOTDIR, ENOEXEC, ELOOP, ENAMETOOLONG, EFAULT, as Linux
#   root_disk_exec_eio    a read error inside /bin/hello's text: execve succeeds (it
#                         maps the segments, reading nothing of them), and the
#                         program dies of SIGBUS on its first touch of that page, as
#                         on Linux; the caller and the kernel carry on
#   root_disk_run_elf     tests/run-elf attaches build/root.img (snapshot=on): a
#                         program there runs, a boot module of the same name wins,
#                         and the image is byte for byte the same afterwards
#   root_disk_no_init     no disk and no boot modules, or a disk that is not ext2:
#                         the kernel says there is no /bin/init (no panic)
#   root_disk_persists    a file written in one boot (tests/musl/persist) is on the
#                         image for the host (debugfs, e2fsck -fn clean) and for the
#                         next boot of the same image; run-elf's scratch root takes
#                         a write too, and build/root.img stays byte for byte the same
#   root_disk_poweroff    the shell writes a file and runs /bin/poweroff (reboot(2)):
#                         the machine powers off normally, and the host finds the
#                         file on the image and e2fsck -fn clean; poweroff while
#                         three writers are inside the file system
#                         (tests/musl/poweroff_busy) waits for them: the disk is
#                         marked clean and e2fsck -fn is clean; and
#                         tests/musl/reboot_rules: bad magic numbers and unknown
#                         commands are EINVAL, as Linux says to root
#   root_disk_read_only   the image attached read-only (QEMU's readonly=on): mounted
#                         read-only, every change EROFS (tests/musl/persist readonly),
#                         reads work, and the image is byte for byte the same after
source "$(dirname "$0")/lib.sh"

image=$here/build/root.img
stripped=$here/build/user/stripped
exec_paths=$here/build/musl/exec_paths
persist=$here/build/musl/persist
selected root_disk_image root_disk_update root_disk_boot root_disk_exec_errors root_disk_exec_eio \
    root_disk_run_elf root_disk_no_init root_disk_persists root_disk_read_only \
    root_disk_poweroff || exit 0
export PATH="$PATH:/usr/sbin:/sbin"
if ! command -v mke2fs >/dev/null || ! command -v debugfs >/dev/null || [ ! -f "$image" ]; then
    fail root_disk_image "mke2fs/debugfs missing (Debian: e2fsprogs) or build/root.img not built (make)"
    exit 0
fi
work=$(mktemp -d "$logdir/root-disk.XXXXXX")
trap 'rm -rf "$work"' EXIT
programs=$(awk '!/^#/ && NF { print $1 }' "$here/user/programs.list")

# The programs of /bin on IMAGE, dumped into DIR, compared with the stripped ELFs:
# nothing printed when all match, else one line per difference.
bin_differences() {
    local img=$1 dir=$2 p
    rm -rf "$dir" && mkdir -p "$dir"
    debugfs -R "rdump /bin $dir" "$img" >/dev/null 2>&1
    for p in $programs; do
        local name=$p # the project's sh is /bin/vsh beside busybox (/bin/sh is its ash)
        [ "$p" = sh ] && [ -f "$dir/bin/busybox" ] && name=vsh
        cmp -s "$stripped/$p" "$dir/bin/$name" || echo "/bin/$name differs from build/user/stripped/$p"
    done
    # besides them only busybox (build/root.img) and its applets' links to it
    local files
    files=$(find "$dir/bin" -type f ! -name busybox | wc -l)
    [ "$files" = "$(echo "$programs" | wc -w)" ] ||
        echo "/bin holds $files files besides busybox, programs.list $(echo "$programs" | wc -w)"
    find "$dir/bin" -type l ! -lname busybox -printf '/bin/%f is a link to %l, not busybox\n' | head -n 1
}

# "MODE UID GID NAME" for each entry of directory DIR on IMAGE (debugfs ls -l).
listing() {
    debugfs -R "ls -l $2" "$1" 2>/dev/null | awk 'NF >= 9 { print $2, $4, $5, $NF }'
}

image_test() {
    tools_out=$("$here/tools/root-disk" create "$work/fresh.img" 64M $(printf "$stripped/%s " $programs) 2>&1) ||
        { fail root_disk_image "tools/root-disk create failed: $tools_out"; return; }
    local problems=()
    e2fsck -fn "$work/fresh.img" >"$work/e2fsck.log" 2>&1 || problems+=("e2fsck -fn: $(tail -n 3 "$work/e2fsck.log")")
    local root
    root=$(listing "$work/fresh.img" /)
    for want in "40755 0 0 bin" "41777 0 0 tmp" "40755 0 0 dev" "40755 0 0 home"; do
        grep -qx "$want" <<<"$root" || problems+=("/ has no \"$want\" (it has: $(echo $root))")
    done
    [ "$(listing "$work/fresh.img" /dev | wc -l)" = 2 ] || problems+=("/dev is not empty")
    debugfs -R "cat /home/welcome.txt" "$work/fresh.img" 2>/dev/null | grep -q "root disk" ||
        problems+=("/home/welcome.txt missing")
    local bin
    bin=$(listing "$work/fresh.img" /bin | grep -v ' \.\.\?$')
    [ -z "$(grep -v '^100755 0 0 ' <<<"$bin")" ] || problems+=("a /bin file is not 100755 root: $(grep -v '^100755 0 0 ' <<<"$bin" | head -n 1)")
    mapfile -t -O ${#problems[@]} problems < <(bin_differences "$work/fresh.img" "$work/fresh-dump")
    mapfile -t -O ${#problems[@]} problems < <(bin_differences "$image" "$work/made-dump" | sed 's/^/build\/root.img: /')
    if [ ${#problems[@]} -eq 0 ]; then pass root_disk_image; else fail root_disk_image "${problems[0]} (${#problems[@]} problems)"; fi
}

update_test() {
    cp "$work/fresh.img" "$work/update.img"
    printf 'mine\n' >"$work/mine.txt"
    debugfs -w -R "write $work/mine.txt /tmp/mine.txt" "$work/update.img" >/dev/null 2>&1
    mkdir -p "$work/new"
    { cat "$stripped/hello"; printf 'a longer hello'; } >"$work/new/hello"
    "$here/tools/root-disk" update "$work/update.img" "$work/new/hello" >"$work/update.log" 2>&1 ||
        { fail root_disk_update "tools/root-disk update failed" "$work/update.log"; return; }
    debugfs -R "dump /bin/hello $work/hello.out" "$work/update.img" >/dev/null 2>&1
    local mine
    mine=$(debugfs -R "cat /tmp/mine.txt" "$work/update.img" 2>/dev/null)
    if ! cmp -s "$work/new/hello" "$work/hello.out"; then
        fail root_disk_update "/bin/hello was not replaced"
    elif [ "$mine" != mine ]; then
        fail root_disk_update "/tmp/mine.txt, written before the update, is gone (\"$mine\")"
    elif ! e2fsck -fn "$work/update.img" >"$work/e2fsck-update.log" 2>&1; then
        fail root_disk_update "e2fsck -fn after the update" "$work/e2fsck-update.log"
    elif [ "$(listing "$work/update.img" /bin | grep -c ' hello$')" != 1 ]; then
        fail root_disk_update "/bin/hello is not there exactly once"
    else
        pass root_disk_update
    fi
}

# Booting a copy of the image with no boot module at all: init, the shell (busybox's
# ash) and hello are the disk's. The shell prints its prompt again after hello, so
# the boot is stopped once hello's last line is out.
boot_test() {
    cp "$image" "$work/boot.img"
    printf 'hello from-disk\n' >"$work/boot.in"
    boot root_disk_boot --disk "$work/boot.img" --input "$work/boot.in" --timeout 60 \
        --until 'argv[1] = "from-disk"'
    if grep -q "boot modules" "$logdir/root_disk_boot.log"; then
        fail root_disk_boot "the boot had boot modules" "$logdir/root_disk_boot.log"
        return
    fi
    expect root_disk_boot "$logdir/root_disk_boot.log" "$status" 3 \
        "vfs: / is ext2 on vda" "init: started /bin/init as pid 1" "init: starting /bin/sh" \
        "hello, world" 'argv[0] = "hello"' 'argv[1] = "from-disk"'
}

# reboot(2)'s refusals: every line EINVAL (Linux's answer to root: the host may not
# be allowed to ask, so the expected lines are written here, not taken from it).
reboot_refusals() {
    local rules=$here/build/musl/reboot_rules
    [ -x "$rules" ] || { fail root_disk_poweroff "build/musl/reboot_rules not built (musl-tools)"; return 1; }
    run_elf --timeout 60 --log "$logdir/root_disk_reboot_rules.log" "$rules" >"$work/reboot.out"
    if [ "$status" != 0 ] || [ "$(grep -c ' -1 Invalid argument$' "$work/reboot.out")" != 5 ]; then
        fail root_disk_poweroff "reboot_rules (status $status): not five EINVAL lines" "$work/reboot.out"
        return 1
    fi
}

# reboot(2) while writers are inside the file system: it waits for their call, then
# unmounts; the old way skipped a busy mount ("busy at power-off"), leaving it dirty.
poweroff_while_busy() {
    local busy=$here/build/musl/poweroff_busy log=$logdir/root_disk_poweroff_busy.log
    [ -x "$busy" ] || { fail root_disk_poweroff "build/musl/poweroff_busy not built (musl-tools)"; return 1; }
    cp "$image" "$work/busy.img"
    run_elf --timeout 60 --log "$log" --disk "$work/busy.img" "$busy" --on-vmlab /tmp >"$work/busy.out"
    if ! grep -q "poweroff_busy (pid 1) powers off: reboot(2)" "$log"; then
        fail root_disk_poweroff "poweroff_busy did not power off" "$log"
    elif grep -q "busy at power-off" "$log"; then
        fail root_disk_poweroff "reboot(2) left a busy file system unwritten" "$log"
    elif ! dumpe2fs -h "$work/busy.img" 2>/dev/null | grep -q "^Filesystem state: *clean$"; then
        fail root_disk_poweroff "the disk is not marked clean after poweroff_busy"
    elif ! e2fsck -fn "$work/busy.img" >"$work/e2fsck-busy.log" 2>&1; then
        fail root_disk_poweroff "e2fsck -fn after poweroff_busy" "$work/e2fsck-busy.log"
    else
        return 0
    fi
    return 1
}

# The way out of make run that keeps what was written: poweroff, in the shell.
poweroff_test() {
    cp "$image" "$work/poweroff.img"
    printf '%s\n' 'echo kept by poweroff > /home/kept.txt' 'poweroff' >"$work/poweroff.in"
    boot root_disk_poweroff --disk "$work/poweroff.img" --input "$work/poweroff.in" --prompt '$ ' \
        --timeout 60
    local on_disk
    on_disk=$(debugfs -R "cat /home/kept.txt" "$work/poweroff.img" 2>/dev/null)
    if [ "$status" != 0 ]; then
        expect root_disk_poweroff "$logdir/root_disk_poweroff.log" "$status" 0
    # busybox's poweroff asks init (SIGUSR2), which calls reboot(2); the project's
    # poweroff (the shell finds it in /bin when /proc/self/exe is missing) calls it itself
    elif ! grep -Eq "(poweroff|init) \(pid [0-9]+\) powers off: reboot\(2\)" "$logdir/root_disk_poweroff.log"; then
        fail root_disk_poweroff "no 'powers off: reboot(2)' line" "$logdir/root_disk_poweroff.log"
    elif [ "$on_disk" != "kept by poweroff" ]; then
        fail root_disk_poweroff "debugfs reads \"$on_disk\" from /home/kept.txt after poweroff"
    elif ! e2fsck -fn "$work/poweroff.img" >"$work/e2fsck-poweroff.log" 2>&1; then
        fail root_disk_poweroff "e2fsck -fn after poweroff" "$work/e2fsck-poweroff.log"
    elif ! reboot_refusals || ! poweroff_while_busy; then
        : # said why
    else
        pass root_disk_poweroff
    fi
}

# The same tree on the host (a folder) and on vmlab (a copy of the image).
make_exec_tree() {
    local s=$1
    mkdir -p "$s/bin" "$s/home/dir"
    cp "$stripped/hello" "$s/bin/hello"
    install -m 0644 "$stripped/hello" "$s/home/notexec"
    ln -s ../bin/hello "$s/home/link-hello"
    head -c 40 "$stripped/hello" >"$s/home/truncated"
    chmod 0755 "$s/home/truncated"
    ln -s loop "$s/home/loop"
}

exec_errors_test() {
    [ -x "$exec_paths" ] || { fail root_disk_exec_errors "build/musl/exec_paths not built (musl-tools)"; return; }
    make_exec_tree "$work/tree"
    cp "$image" "$work/exec.img"
    local f
    {
        echo "mkdir /home/dir"
        for f in notexec truncated; do
            echo "write $work/tree/home/$f /home/$f"
        done
        echo "set_inode_field /home/notexec mode 0100644"
        echo "set_inode_field /home/truncated mode 0100755"
        echo "symlink /home/link-hello ../bin/hello"
        echo "symlink /home/loop loop"
    } | debugfs -w -f - "$work/exec.img" >"$work/debugfs.log" 2>&1
    "$exec_paths" "$work/tree" >"$work/exec.host" 2>&1
    run_elf --timeout 60 --log "$logdir/root_disk_exec_errors.log" --disk "$work/exec.img" \
        "$exec_paths" / >"$work/exec.vmlab"
    cp "$work/exec.host" "$logdir/root_disk_exec_errors.host"
    cp "$work/exec.vmlab" "$logdir/root_disk_exec_errors.vmlab"
    if [ "$status" != 0 ]; then
        fail root_disk_exec_errors "exit status $status on vmlab" "$logdir/root_disk_exec_errors.log"
    elif ! grep -q "^symlink: ran, exit status 0" "$work/exec.host" ||
        ! grep -q "^not-executable: .*EACCES" "$work/exec.host"; then
        fail root_disk_exec_errors "the host run is not what the test expects" "$work/exec.host"
    elif ! cmp -s "$work/exec.host" "$work/exec.vmlab"; then
        fail root_disk_exec_errors "output differs from Linux (- Linux, + vmlab)"
        diff -u "$work/exec.host" "$work/exec.vmlab" | tail -n +3 | head -n 20 | sed 's/^/    | /'
    elif ! grep -q "memory check: .* as before the first program" "$logdir/root_disk_exec_errors.log"; then
        fail root_disk_exec_errors "memory check failed on vmlab" "$logdir/root_disk_exec_errors.log"
    else
        pass root_disk_exec_errors
    fi
}

# A device error in /bin/hello's second block (blkdebug fails every read of its
# first sector): execve maps the segments without reading them, so it succeeds;
# the program's first touch of that page cannot be read, and it dies of SIGBUS
# with a line saying why (Linux does the same). exec_paths goes on.
exec_eio_test() {
    [ -x "$exec_paths" ] || { fail root_disk_exec_eio "build/musl/exec_paths not built"; return; }
    cp "$work/exec.img" "$work/eio.img" 2>/dev/null || { fail root_disk_exec_eio "no image from root_disk_exec_errors"; return; }
    local block block_size
    block=$(debugfs -R "bmap /bin/hello 1" "$work/eio.img" 2>/dev/null)
    block_size=$(dumpe2fs -h "$work/eio.img" 2>/dev/null | awk '/^Block size:/ { print $3 }')
    printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%d"\n' \
        $((block * block_size / 512)) >"$work/eio.conf"
    run_elf --timeout 60 --log "$logdir/root_disk_exec_eio.log" --blkdebug "$work/eio.conf:$work/eio.img" \
        "$exec_paths" / >"$work/eio.vmlab"
    cp "$work/eio.vmlab" "$logdir/root_disk_exec_eio.vmlab"
    expect root_disk_exec_eio "$work/eio.vmlab" "$status" 0 \
        "program: killed by signal 7" "not-executable: execve returned -1, EACCES" \
        "bad-pointer: execve returned -1, EFAULT"
    expect root_disk_exec_eio_says_why "$logdir/root_disk_exec_eio.log" 0 0 \
        "(hello): killed by SIGBUS: page fault at address" "I/O error reading the mapped file"
}

# run-elf's own root disk: sh is the program under test (a boot module), hello
# comes from build/root.img; then a boot module named hello hides the disk's.
run_elf_test() {
    local before after
    before=$(md5sum <"$image")
    printf 'hello via-disk\nexit\n' >"$work/run.in"
    run_elf --timeout 60 --log "$logdir/root_disk_run_elf.log" --input "$work/run.in" \
        "$stripped/sh" >"$work/run.out"
    local disk_status=$status
    mkdir -p "$work/module"
    cp "$here/build/musl/hello_printf" "$work/module/hello" 2>/dev/null ||
        { fail root_disk_run_elf "build/musl/hello_printf not built (musl-tools)"; return; }
    run_elf --timeout 60 --log "$logdir/root_disk_run_elf_module.log" --input "$work/run.in" \
        --with "$work/module/hello" "$stripped/sh" >"$work/module.out"
    after=$(md5sum <"$image")
    if [ "$disk_status" != 0 ] || ! grep -q '^  argv\[1\] = "via-disk"' "$work/run.out"; then
        fail root_disk_run_elf "sh did not run the disk's /bin/hello (status $disk_status)" "$work/run.out"
    elif grep -q "hello, world" "$work/module.out" ||
        ! grep -q "hello from musl's printf, program hello" "$work/module.out"; then
        fail root_disk_run_elf "the disk's /bin/hello ran, not the boot module hello" "$work/module.out"
    elif [ "$before" != "$after" ]; then
        fail root_disk_run_elf "build/root.img changed during the runs"
    elif ! grep -q "vfs: / is ext2 on vda" "$logdir/root_disk_run_elf.log"; then
        fail root_disk_run_elf "run-elf attached no root disk" "$logdir/root_disk_run_elf.log"
    else
        pass root_disk_run_elf
    fi
}

no_init_test() {
    boot root_disk_no_init --timeout 30 --until "init: no /bin/init"
    expect root_disk_no_init "$logdir/root_disk_no_init.log" "$status" 3 \
        "init: no /bin/init: neither a boot module nor a file on a root disk"
    head -c 1M /dev/zero >"$work/zero.img"
    boot root_disk_no_init_zero --disk "$work/zero.img" --timeout 30 --until "init: no /bin/init"
    expect root_disk_no_init_not_ext2 "$logdir/root_disk_no_init_zero.log" "$status" 3 \
        "vfs: no ext2 disk" "init: no /bin/init: neither a boot module nor a file on a root disk"
}

# Two boots of one image: the first writes /tmp/note.txt (write, fsync, and the
# write-back at power-off), the host and the second boot read it. Then a write on
# run-elf's own root disk, which must leave build/root.img as it was.
persist_test() {
    [ -x "$persist" ] || { fail root_disk_persists "build/musl/persist not built (musl-tools)"; return; }
    cp "$image" "$work/persist.img"
    run_elf --timeout 60 --log "$logdir/root_disk_persists_1.log" --disk "$work/persist.img" \
        "$persist" write /tmp/note.txt "written by the first boot" >"$work/persist1.out"
    local first=$status on_disk
    on_disk=$(debugfs -R "cat /tmp/note.txt" "$work/persist.img" 2>/dev/null)
    if [ "$first" != 0 ]; then
        fail root_disk_persists "the first boot failed (status $first)" "$work/persist1.out"
        return
    elif [ "$on_disk" != "written by the first boot" ]; then
        fail root_disk_persists "debugfs reads \"$on_disk\" from /tmp/note.txt after the first boot"
        return
    elif ! e2fsck -fn "$work/persist.img" >"$work/e2fsck-persist.log" 2>&1; then
        fail root_disk_persists "e2fsck -fn after the first boot" "$work/e2fsck-persist.log"
        return
    fi
    run_elf --timeout 60 --log "$logdir/root_disk_persists_2.log" --disk "$work/persist.img" \
        "$persist" read /tmp/note.txt >"$work/persist2.out"
    local before after
    before=$(md5sum <"$image")
    run_elf --timeout 60 --log "$logdir/root_disk_persists_3.log" "$persist" write /tmp/scratch.txt \
        "on the scratch disk" >"$work/persist3.out"
    local scratch=$status
    after=$(md5sum <"$image")
    if [ "$(cat "$work/persist2.out")" != "written by the first boot" ]; then
        fail root_disk_persists "the second boot read \"$(head -c 200 "$work/persist2.out")\"" \
            "$logdir/root_disk_persists_2.log"
    elif ! e2fsck -fn "$work/persist.img" >"$work/e2fsck-persist.log" 2>&1; then
        fail root_disk_persists "e2fsck -fn after the second boot" "$work/e2fsck-persist.log"
    elif [ "$scratch" != 0 ] || [ "$(cat "$work/persist3.out")" != "on the scratch disk" ]; then
        fail root_disk_persists "writing on run-elf's root disk failed (status $scratch)" "$work/persist3.out"
    elif [ "$before" != "$after" ] || debugfs -R "stat /tmp/scratch.txt" "$image" 2>/dev/null | grep -q Inode; then
        fail root_disk_persists "build/root.img changed under run-elf's scratch disk"
    else
        pass root_disk_persists
    fi
}

# The image on a disk the guest cannot write: every change is EROFS, nothing moves.
read_only_test() {
    [ -x "$persist" ] || { fail root_disk_read_only "build/musl/persist not built (musl-tools)"; return; }
    cp "$image" "$work/ro.img"
    local before after
    before=$(md5sum <"$work/ro.img")
    run_elf --timeout 60 --log "$logdir/root_disk_read_only.log" --read-only-disk "$work/ro.img" \
        "$persist" readonly /home/welcome.txt >"$work/ro.out"
    local got=$status
    after=$(md5sum <"$work/ro.img")
    {
        printf '%s: Read-only file system\n' "open O_WRONLY" "open O_RDWR" "open O_RDONLY|O_TRUNC" \
            "open O_CREAT of a new file" truncate "access W_OK"
        echo "access R_OK: done"
        printf '%s: Read-only file system\n' mkdir unlink rename link symlink
        echo "open /dev/null O_WRONLY: done"
        debugfs -R "cat /home/welcome.txt" "$image" 2>/dev/null
    } >"$work/ro.want"
    if [ "$got" != 0 ]; then
        fail root_disk_read_only "persist readonly exited with $got" "$work/ro.out"
    elif ! cmp -s "$work/ro.want" "$work/ro.out"; then
        fail root_disk_read_only "the calls on a read-only disk (- expected, + got):"
        diff -u "$work/ro.want" "$work/ro.out" | tail -n +3 | head -n 30 | sed 's/^/    | /'
    elif ! grep -q "the device is read-only: mounted read-only" "$logdir/root_disk_read_only.log"; then
        fail root_disk_read_only "no 'mounted read-only' line in the kernel's log"
    elif [ "$before" != "$after" ]; then
        fail root_disk_read_only "the read-only image changed"
    else
        pass root_disk_read_only
    fi
}

selected root_disk_image root_disk_update && { image_test; update_test; }
selected root_disk_boot && in_parallel boot_test
selected root_disk_exec_errors root_disk_exec_eio && in_parallel eval 'exec_errors_test; exec_eio_test'
selected root_disk_run_elf && in_parallel run_elf_test
selected root_disk_no_init && in_parallel no_init_test
selected root_disk_persists && in_parallel persist_test
selected root_disk_read_only && in_parallel read_only_test
selected root_disk_poweroff && in_parallel poweroff_test
wait_parallel
