/*
 * cmdline.h — options on the kernel command line, and the first program's arguments.
 *
 * The command line is words separated by spaces, each `name` or `name=value`
 * (grub.cfg: `multiboot2 /boot/kernel.elf test panic=poweroff`). The word `--` ends
 * the options, as on Linux: every word after it is an argument for the first program
 * (`init=/bin/hello -- one "two words"`), never an option. Options we read:
 *   test[=PREFIX]    run the in-kernel tests (those whose name starts with PREFIX),
 *                    then power off
 *   crash=KIND       crash on purpose to show the fault report (kernel/crash.c)
 *   panic=poweroff   after a panic, power off instead of halting (used by tests/)
 *   poweroff=SECONDS power off after that many seconds of idling (used by tests/)
 *   quiet            leave out the boot report (banner, memory map, ...); warnings,
 *                    kill lines, panics and test results are still printed
 *   init=PATH        the first program (default /bin/init), run as pid 1
 *   initargs=PATH    its arguments from the boot file PATH instead of after `--`:
 *                    zero-terminated strings, so they may hold spaces, quotes or
 *                    nothing at all (tests/run-elf writes one)
 *   userout=com2     user programs' output (fds 1 and 2) to the second serial port
 *   mmcheck          check every frame's references after each process, and that
 *                    all memory came back (tests/run-elf)
 *   swap=vdb         swap to that disk (made by mkswap) from the start, as if the
 *                    first program began with swapon("/dev/vdb") (kernel/swap/)
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* The word that ends the options. */
#define CMDLINE_END_OF_OPTIONS "--"

/* True if the word `name` or `name=...` appears before `--`. */
bool cmdline_has(const char *cmdline, const char *name);

/* Copy the value of `name=value` (the last one before `--`, if repeated) into value
 * (zero-terminated, truncated to size). Returns false if there is no such option;
 * `name` alone gives an empty value. */
bool cmdline_get(const char *cmdline, const char *name, char *value, size_t size);

/* The text after the word `--` (the first program's arguments), or NULL if the
 * command line has no `--`. */
const char *cmdline_arguments(const char *cmdline);

/* Split the arguments (text from cmdline_arguments) into words the way GRUB writes
 * them: words end at spaces, "double quotes" keep spaces inside a word, and a
 * backslash makes the next character literal (grub.cfg's 'a b' and it's arrive
 * as "a b" and it\'s). Each word is copied, zero-terminated, into buffer (size
 * bytes) and words[i] points at it. Returns the number of words, or -1 if there are
 * more than max_words or they do not fit in buffer. */
int cmdline_split_arguments(const char *text, char *buffer, size_t size, const char **words,
                            int max_words);

#endif
