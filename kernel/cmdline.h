/*
 * cmdline.h — options on the kernel command line.
 *
 * The command line is words separated by spaces, each `name` or `name=value`
 * (grub.cfg: `multiboot2 /boot/kernel.elf test panic=poweroff`). Options we read:
 *   test[=PREFIX]    run the in-kernel tests (those whose name starts with PREFIX),
 *                    then power off
 *   crash=KIND       crash on purpose to show the fault report (kernel/crash.c)
 *   panic=poweroff   after a panic, power off instead of halting (used by tests/)
 *   poweroff=SECONDS power off after that many seconds of idling (used by tests/)
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* True if the word `name` or `name=...` appears. */
bool cmdline_has(const char *cmdline, const char *name);

/* Copy the value of `name=value` (the last one, if repeated) into value (zero-terminated, truncated to size).
 * Returns false if there is no such option; `name` alone gives an empty value. */
bool cmdline_get(const char *cmdline, const char *name, char *value, size_t size);

#endif
