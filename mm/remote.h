/*
 * remote.h — reading another process's memory from the kernel (Linux's
 * access_remote_vm), for /proc/PID/cmdline and environ.
 *
 * The kernel's own copy_from_user reads the *current* address space, faulting
 * pages in as the CPU would. Another process's memory is read through its page
 * tables instead, page by page, through the direct map; a page of it that is
 * swapped out is brought back first (mm/swap_in.h), which may sleep -- while the
 * owner runs on, unmaps, or exits. The caller holds a reference on the address
 * space (as_get) across the call, so that its tables stay while this sleeps.
 */
#ifndef MM_REMOTE_H
#define MM_REMOTE_H

#include <stddef.h>

#include "addr.h"

struct addr_space;

/* Copy up to len bytes at va in as to buf: the bytes up to the first page that
 * holds nothing readable (never touched, no region, a lost page, or memory for a
 * swap-in could not be had). Returns how many were copied. Swapped-out pages are
 * swapped in; may sleep. The caller holds a reference on as (as_get). */
size_t remote_read(struct addr_space *as, vaddr_t va, void *buf, size_t len);

#endif
