/*
 * resident_limit.h — local replacement: a region of one process limited to N
 * frames, with a resident set of its own.
 *
 * Global replacement (kswapd, direct reclaim) chooses among every anonymous
 * page of the machine (resident_global). Local replacement gives a process a
 * fixed number of frames and takes its victims among its own pages only: the
 * textbooks' "N frames" of every replacement exercise. vmlab offers it for one
 * range of an address space at a time (system call vmlab_resident_limit), which
 * is what the replay of a trace needs (tests/musl/replay.c):
 *
 *   fault on a page of the range that brings a page in (first write: a
 *   demand-zero frame; or a swapped-out page)
 *     set full?  the policy in force chooses a victim on the set; it is
 *                written to swap (synchronously) and its frame freed
 *     the page comes in, and goes onto the set just behind the hand
 *
 * Eviction first, insertion second, at the victim's place in the circle: this
 * is exactly the Clock and FIFO of tools/pagesim, so the replay's fault count
 * equals the simulator's. Global reclaim never looks at a local set, so the
 * range is never robbed by kswapd.
 *
 * The limit lives in the address space (not in the region): one range per
 * address space, so mprotect or munmap splitting the region cannot split the
 * set, and fork's child does not inherit it (its copies go on resident_global).
 * A page of the set that the owner unmaps while a child still maps it leaves
 * the set for resident_global (mm/anon_rmap.c), as when the owner exits.
 */
#ifndef MM_RESIDENT_LIMIT_H
#define MM_RESIDENT_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "resident.h"

struct addr_space;
struct vma;
struct fault_info;

struct resident_limit {
    vaddr_t start, end;      /* the range, page-aligned */
    struct resident_set set; /* its own pages; set.limit frames at most */
    uint64_t faults;         /* pages brought into the set: every miss, first touches too */
    uint64_t evictions;      /* pages the set gave up to make room */
};

/* Limit [start, start + len) of as to frames resident pages. frames 0 removes
 * the limit (its pages join resident_global). 0, -EINVAL (start not aligned,
 * len 0, outside user space), -ENOMEM (a page of the range not mapped, or no
 * memory), -EBUSY (as has a limited range already), -ENOSPC (no swap: the
 * evicted pages would have nowhere to go). */
int resident_limit_set(struct addr_space *as, vaddr_t start, uint64_t len, uint64_t frames);

/* Does the fault f in vma bring a page into a limited range of as? */
bool resident_limit_applies(struct addr_space *as, const struct vma *vma,
                            const struct fault_info *f);

/* Before such a fault: if the set is full, evict one page chosen by the policy
 * in force. True if it did (it slept writing: look at the region again). */
bool resident_limit_make_room(struct addr_space *as);

/* After such a fault resolved: the page now mapped at va joins the set. */
void resident_limit_took(struct addr_space *as, vaddr_t va);

/* The address space is going: pages of its set that others still map (fork)
 * move to resident_global, and the limit is freed. */
void resident_limit_release(struct addr_space *as);

#endif
