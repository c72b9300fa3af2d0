/*
 * uaccess.h — the only way the kernel reads or writes user memory.
 *
 * A system call's pointer arguments come from the user program and may be
 * anything: NULL, a kernel address, unmapped memory, a range that runs off the
 * end of a mapping. These functions check that the range lies in user space and
 * copy with exception-table fix-ups, so a bad pointer makes the copy fail with
 * -EFAULT instead of crashing the kernel. With SMAP on, the CPU refuses kernel
 * accesses to user pages except inside these functions (stac ... clac).
 */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* True if [addr, addr + size) lies entirely in user space (size 0 is fine). */
bool user_range_ok(vaddr_t addr, size_t size);

/* Copy size bytes; 0 on success, -EFAULT if any byte is not accessible (the
 * destination may then be partly written). */
int copy_from_user(void *dst, vaddr_t src, size_t size);
int copy_to_user(vaddr_t dst, const void *src, size_t size);

/* Copy a zero-terminated string of at most max bytes (the zero included).
 * Returns its length, -EFAULT, or -ENAMETOOLONG if no zero within max bytes. */
long copy_string_from_user(char *dst, vaddr_t src, size_t max);

/* 0 if every byte of [addr, addr + size) can be read now, else -EFAULT. */
int user_range_readable(vaddr_t addr, size_t size);

#endif
