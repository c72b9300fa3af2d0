/*
 * cow.h — the two rules of copy-on-write, written once.
 *
 * After fork, a private page is mapped read-only in both processes and its frame
 * counts one reference per mapping. A write faults; the fault handler copies the
 * frame, unless the writer holds the last reference, when there is nobody left to
 * share with and the frame can simply be made writable again.
 *
 * The same question comes up whenever a private page's rights are set (mprotect,
 * the end of PROT_NONE): a page still shared must stay read-only, or one process's
 * write would show in another.
 */
#ifndef MM_COW_H
#define MM_COW_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct vma;

/* True if a private page's frame may be written in place: it is not the shared
 * zero page, not a page of the page cache, and this mapping holds its only
 * reference. */
bool cow_may_reuse(paddr_t frame);

/* The PTE flags a page of vma holding frame gets: the region's rights, but
 * read-only while the frame must still be copied before a write (a private page
 * that cow_may_reuse refuses). A write then faults and copies. */
uint64_t cow_pte_flags(const struct vma *vma, paddr_t frame);

#endif
