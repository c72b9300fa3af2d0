/*
 * anon_rmap.h — the reverse map of anonymous pages: from a frame to every
 * page-table entry that maps it.
 *
 * A file page is found through its object (mm/rmap.h): each region mapping the
 * file says where page i would be. An anonymous page has no object; after fork
 * the same frame is mapped by the parent and every child, at the same address
 * or (after mremap) another. Reclaim must change *every* entry mapping a frame
 * before the frame can be reused, so each anonymous frame keeps a list of
 * (page-table root, address) pairs, one per entry mapping it: Linux 2.5's "pte
 * chains". We chose it over Linux's later anon_vma (one list of regions per
 * family of forked processes, the page's address computed from the region's
 * offset) because it is exact and direct -- no rules about merging or moving
 * regions, each entry found with one walk -- at a cost we can show: a 24-byte
 * record per mapping, from a pool of whole frames (gdb: `pageinfo PFN` lists a
 * page's records; `p record_frames` counts the pool's frames).
 *
 * mm/pt.c, the only writer of page-table entries, keeps the lists: whenever an
 * entry starts or stops mapping an anonymous frame. The first mapping puts the
 * page on a resident set (mm/resident.h), the last takes it off; a page of a
 * local set whose owner stops mapping it while fork's children still do moves
 * to the machine's set.
 */
#ifndef MM_ANON_RMAP_H
#define MM_ANON_RMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct page;

struct anon_map {
    struct anon_map *next;
    paddr_t root; /* the address space's PML4 */
    vaddr_t va;   /* the page's address in it */
};

/* The record of frame if it is an anonymous user frame (memory of a process that
 * is not a page-cache frame, not the zero page), else NULL. */
struct page *anon_page_of(paddr_t frame);

/* The entry of va in root now maps frame. 0, or -ENOMEM (nothing recorded). */
int anon_rmap_add(paddr_t frame, paddr_t root, vaddr_t va);

/* The entry of va in root no longer maps frame. */
void anon_rmap_remove(paddr_t frame, paddr_t root, vaddr_t va);

/* The entry of va in root maps to instead of from (copy-on-write's copy replacing
 * a shared frame): the record moves, so this cannot fail when from was anonymous;
 * otherwise as anon_rmap_add. */
int anon_rmap_replace(paddr_t from, paddr_t to, paddr_t root, vaddr_t va);

/* Entries mapping the page (the length of its list). */
unsigned anon_rmap_count(const struct page *page);

#endif
