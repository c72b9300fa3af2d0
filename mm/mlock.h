/*
 * mlock.h — keeping pages in memory: mlock, munlock, mlockall, munlockall and
 * mmap's MAP_LOCKED, with Linux's rules.
 *
 * A locked region (VMA_LOCKED) has every page present (locking faults them in)
 * and reclaim never takes them: a program that must not wait for the disk (a
 * real-time loop, a key that must never reach swap) locks its memory. vmlab runs
 * everything as root, so RLIMIT_MEMLOCK does not limit it (CAP_IPC_LOCK).
 */
#ifndef MM_MLOCK_H
#define MM_MLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"

struct addr_space;

#define MCL_CURRENT 1 /* mlockall: lock what is mapped now */
#define MCL_FUTURE  2 /* ... and every mapping made later */
#define MCL_ONFAULT 4 /* ... but fault pages in only when touched */

#define MLOCK_ONFAULT 1 /* mlock2's one flag */

/* mlock (lock) / munlock: addr rounded down, addr + len up, to pages; every page
 * of the range must be mapped (-ENOMEM otherwise; the regions before the hole
 * are changed, as on Linux). Locking makes the pages present unless on_fault;
 * if memory runs out doing so, -EAGAIN. A range that wraps around: -EINVAL. */
long mm_mlock(struct addr_space *as, vaddr_t addr, size_t len, bool lock, bool on_fault);

/* mlockall(flags) / munlockall. Bad flags: -EINVAL. */
long mm_mlockall(struct addr_space *as, int flags);
long mm_munlockall(struct addr_space *as);

/* Is va of as in a locked region? (reclaim asks, for each entry mapping a page) */
bool mm_is_locked(struct addr_space *as, vaddr_t va);

#endif
