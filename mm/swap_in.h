/*
 * swap_in.h — bringing a swapped-out page back: the fault handler's swap-in step
 * (mm/fault.c), also used by swapoff for every page still in the area.
 */
#ifndef MM_SWAP_IN_H
#define MM_SWAP_IN_H

#include <stdbool.h>

#include "addr.h"

struct addr_space;
struct vma;

/* The entry of page (in vma of as) names a swap slot: map the slot's page there
 * again, from the swap cache or read from the slot (*major then true). The entry
 * gets the region's rights, read-only while the page is still shared (other
 * entries name the slot, or map the same frame): a write then copies, as after
 * fork. 0; -EAGAIN (the entry changed while this slept: look again); -ENOMEM;
 * -EIO (the slot could not be read: the page is lost). May sleep. */
int swap_in_page(struct addr_space *as, const struct vma *vma, vaddr_t page, bool *major);

#endif
