/*
 * sysctl_parse.h — how a write to a /proc/sys file is read: Linux's rules
 * (kernel/sysctl.c: proc_dointvec_minmax for numbers, proc_dostring for names)
 * with its default sysctl_writes_strict = 1, so that a program or a shell
 * setting a knob sees here what it sees there.
 *
 * Pure functions of the bytes written, the file offset and the value in force:
 * the procfs callbacks (sysctl.c) read the value, call these, and set it.
 */
#ifndef KERNEL_FS_PROCFS_SYSCTL_PARSE_H
#define KERNEL_FS_PROCFS_SYSCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux reads no more than a page less one byte of a write to a number knob. */
#define SYSCTL_WRITE_MAX 4095

/* ...but copies the whole write in first (proc_sys_call_handler), into one
 * kernel allocation: a write (or a read) of KMALLOC_MAX_SIZE (4 MiB) or more is
 * -ENOMEM. */
#define SYSCTL_COUNT_MAX (4ul << 20)

/* One write(2) to a knob: its first n bytes (n = count, at most
 * SYSCTL_WRITE_MAX), its whole size, and the file offset, which a parse
 * advances as Linux does (the caller keeps it only if the write succeeds). */
struct sysctl_write {
    const char *bytes;
    size_t n;
    size_t count;
    uint64_t pos;
};

/* A write to a number knob taking min..max (proc_dointvec_minmax): spaces
 * (isspace), then one decimal, octal ("0...") or hexadecimal ("0x...") number,
 * '-' allowed, shorter than 21 characters, then nothing or a space, tab or
 * newline. Returns the bytes taken (the whole write, less anything after the
 * number and the spaces after it), with *value set and *has_value true; or
 * -EINVAL (no number, junk right after it, out of int or out of min..max).
 * A write of 0 bytes takes 0, and one at a non-zero offset is taken whole and
 * changes nothing (*has_value false). */
long sysctl_parse_int(struct sysctl_write *w, int min, int max, int *value, bool *has_value);

/* A write to a name knob (proc_dostring): value (size bytes, holding the name
 * in force) becomes its first pos bytes followed by the bytes written up to
 * the first NUL or newline, cut at size - 1. Returns the count written, with
 * *changed true; a write of 0 bytes, or one at an offset past the end of the
 * name, changes nothing (*changed false; the offset stays). */
long sysctl_parse_string(struct sysctl_write *w, char *value, size_t size, bool *changed);

#endif
