#!/usr/bin/env bash
# modules.sh — boot modules given to GRUB (module2 lines) reach the kernel: the
# boot-information table lists each with its name and its exact size in bytes.
source "$(dirname "$0")/lib.sh"

selected boot_modules_listed_with_names_and_sizes || exit 0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
head -c 5000 /dev/zero >"$dir/alpha.bin"
head -c 123 /dev/zero >"$dir/beta"

# Stopped once the last line is there (status 3): with no init the kernel would idle.
boot_expect boot_modules_listed_with_names_and_sizes 3 --module "$dir/alpha.bin" --module "$dir/beta" \
    --cmdline "panic=poweroff" --until "     123 bytes  beta" --timeout 30 -- \
    "Modules: 2" "    5000 bytes  alpha.bin" "     123 bytes  beta"
