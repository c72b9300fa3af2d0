#!/usr/bin/env bash
# record-linux.sh — make tests/boot/swapfile/linux.out: what Linux 6.1 answers to
# tests/musl/swap_file on an ext2 swap file, for swapfile.sh to compare vmlab's
# answers with. linux-ref's initramfs has only tmpfs, which takes no swap file, so
# the run loads the modules for a virtio disk and ext2 (ext4's driver, as Debian
# builds it) from Debian's package of the same kernel, mounts a fresh ext2 image
# on /mnt (linux_disk.c) and runs swap_file there:
#
#   tests/boot/swapfile/record-linux.sh     (needs apt-get download, dpkg-deb,
#                                           mke2fs, musl-gcc; about 10 s of QEMU)
#
# The lines that depend on how much memory the machine has (the pressure) are
# left out, on both sides.
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
linux_ref=$here/../shared/linux-ref/run-linux.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
release=$("$linux_ref" --kernel-only | sed -n 's|.*linux-image-\([^_]*\)_.*|\1|p')
(cd "$work" && apt-get download -q "linux-image-$release" >/dev/null 2>&1)
dpkg-deb -x "$work"/linux-image-*.deb "$work/deb"
kernel=$work/deb/lib/modules/$release/kernel
modules=(drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev
    drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci drivers/block/virtio_blk
    lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic lib/libcrc32c fs/ext4/ext4)
extras=() loads=()
for i in "${!modules[@]}"; do # in the guest each file is /bin/<name>: number them
    cp "$kernel/${modules[$i]}.ko" "$work/m$i.ko"
    extras+=(-x "$work/m$i.ko")
    loads+=("/bin/m$i.ko")
done
musl-gcc -static -O2 -o "$work/linux_disk" "$here/tests/boot/swapfile/linux_disk.c"
mkdir "$work/tree" "$work/tree/tmp"
truncate -s 64M "$work/disk.img"
mke2fs -q -t ext2 -b 4096 -d "$work/tree" "$work/disk.img"
program=$here/build/musl/swap_file
"$linux_ref" --pvh -c max -m 256M "${extras[@]}" -x "$program" \
    -q -drive -q "file=$work/disk.img,if=virtio,format=raw" \
    "$work/linux_disk load ${loads[*]}" "$work/linux_disk mkswap /mnt/swapfile 16" \
    "$work/linux_disk swapon /mnt/swapfile" "$program active /mnt/swapfile" \
    "$work/linux_disk swapoff /mnt/swapfile" "$program after /mnt/swapfile" \
    "$program errors /mnt/tmp" "$work/linux_disk umount" >"$work/report"
# swap_file's stdout, run by run; linux_disk's too (it prints only failures)
perl -e 'local $/; my $all = <>;
    while ($all =~ /\@\@run \d+\/\d+ (\S+)[^\n]*\n\@\@stdout (\d+)\n/g) { print substr($all, pos($all), $2); }' \
    "$work/report" | grep -v -e '^pressure:' -e '^used in' -e '^marked pages' -e '^pages intact' \
    >"$here/tests/boot/swapfile/linux.out"
echo "wrote tests/boot/swapfile/linux.out ($(wc -l <"$here/tests/boot/swapfile/linux.out") lines)"
