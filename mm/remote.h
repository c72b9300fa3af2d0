/*
 * remote.h — reading another process's memory from the kernel (Linux's
 * access_remote_vm), for /proc/PID/cmdline and environ.
 *
 * The kernel's own copy_from_user reads the *current* address space, faulting
 * pages in as the CPU would. Another process's memory is read through its page
 * tables instead, page by page, through the direct map; a page of it that is
 * swapped out is brought back first (mm/swap_in.h), which may sleep -- while the
 * owner runs on, unmaps, or exits. As swapoff does (mm/swap_in.c), it takes no
 * reference that would keep an exited process's memory alive: after each sleep
 * it asks whether the address space still exists (as_is_live), and stops if not.
 */
#ifndef MM_REMOTE_H
#define MM_REMOTE_H

#include <stddef.h>

#include "addr.h"

struct addr_space;

/* Copy up to len bytes at va in as to buf: the bytes up to the first page that
 * holds nothing readable (never touched, no region, a lost page, or memory for a
 * swap-in could not be had), or until as went away. Returns how many were
 * copied. Swapped-out pages are swapped in; may sleep. as must be live when
 * called; the caller checks as_is_live before using it again. */
size_t remote_read(struct addr_space *as, vaddr_t va, void *buf, size_t len);

#endif
