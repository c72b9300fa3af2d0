/*
 * check_swap.h — the invariant check's part for reclaim's structures:
 *   every entry mapping an anonymous frame is in the frame's reverse-map list,
 *     and every record in such a list is an entry mapping that frame;
 *   an anonymous frame is on a resident set while something maps it (or, mapped
 *     by nothing, while read-ahead holds it in the swap cache), and the sets'
 *     counts agree with what is on them;
 *   each page in the circle of a local resident set (mm/resident_limit.h) is
 *     on that set and mapped by its address space inside
 *     the limited range; no page is on a local set that no address space has;
 *   swap entries and lost pages' marks lie only in private regions;
 *   every swap slot's users == the swap entries naming it, found in the page
 *     tables; each address space's swap_pages == its swap entries;
 *   the swap cache's frame of a slot records that slot, and holds one reference
 *     (added to the recount, so that mm/check.c's refcount comparison covers it);
 *   no slot is in use that nothing names or caches (a leaked slot).
 */
#ifndef MM_CHECK_SWAP_H
#define MM_CHECK_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr_space;
struct as_visitor;

/* Check the above over the given address spaces; adds the swap cache's
 * references to expected[pfn]. Each space is walked once, and each entry
 * holding a frame is given to also->page too (mm/check.c's recount of
 * references): one walk serves both. Returns the number of mismatches (each
 * printed, the first few). */
unsigned mm_check_swap(struct addr_space *const *spaces, size_t count, uint32_t *expected,
                       const struct as_visitor *also);

/* Reserve (or grow to the active area) the slots' recount, so that a check made
 * while memory is exhausted still compares every slot; from now on a swapon
 * reserves for its area too. False if there is not enough memory now. */
bool mm_check_swap_reserve(void);

/* A swap area was enabled: reserve its recount if the checks are on. */
void mm_check_swap_area_enabled(void);

/* Frames the reserved recount holds: kernel memory kept for the checks, not a
 * leak (the end-of-run memory check counts it as free). */
uint64_t mm_check_swap_reserved_frames(void);

#endif
