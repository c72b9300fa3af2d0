/*
 * place.h — where a new mapping goes, when the program lets the kernel choose
 * (mmap without MAP_FIXED, mremap moving a mapping).
 */
#ifndef MM_PLACE_H
#define MM_PLACE_H

#include <stddef.h>

#include "addr.h"

struct addr_space;

/* The start of a free range of len bytes (page-aligned, 0 < len <= the user
 * space): the hint rounded up to a page if the range there is free and inside
 * [USER_MIN_ADDRESS, USER_MAP_END), else the highest free gap below MMAP_TOP.
 * 0 if there is no room. */
vaddr_t place_mapping(struct addr_space *as, vaddr_t hint, size_t len);

/* Tell the placement that a range ending at end has become free, so that a
 * later search may find the hole again. */
void place_note_freed(struct addr_space *as, vaddr_t end);

#endif
