/*
 * pt.h — page tables: walking, mapping, unmapping, protecting, translating.
 *
 * This module is the only code that writes page-table entries, and the only code
 * that invalidates TLB entries. An address space is named by its root: the
 * physical address of its PML4 (what CR3 holds).
 *
 * Flags passed in are PTE bits from pte.h (PTE_WRITABLE, PTE_USER, PTE_NX,
 * PTE_GLOBAL); PTE_PRESENT is added here.
 */
#ifndef MM_PT_H
#define MM_PT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "pte.h"

/* Where a walk for one virtual address ended. */
struct pt_walk {
    enum pt_level level; /* level of the last entry looked at */
    pte_t *entry;        /* that entry (present or not), or NULL if the root is 0 */
    unsigned index[5];   /* index[level]: the entry used at each level, 4..level */
};

/* A fresh, empty top-level table (PML4); 0 if out of memory. */
paddr_t pt_create_root(void);

/* Follow va from the root down to the entry that maps it (a 4 KiB PT entry or a
 * large-page entry) or to the first missing level. True if a mapping exists. */
bool pt_walk(paddr_t root, vaddr_t va, struct pt_walk *walk);

/* The 4 KiB page-table entry for va, or NULL if a table on the way is missing or
 * a large page covers va. Changes nothing. */
pte_t *pt_lookup(paddr_t root, vaddr_t va);

/* Map the 4 KiB page at va to frame pa. 0, -ENOMEM, or -EEXIST if va is mapped. */
int pt_map(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags);

/* Map the 2 MiB page at va (2 MiB-aligned, like pa) with one PD entry. */
int pt_map_large(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags);

/* Remove the 4 KiB mapping of va, flush its TLB entry, and free every table that
 * became empty (except the root and the shared kernel-half PDPTs). Returns the old
 * entry (0 if nothing was mapped); the mapped frame itself, or the slot a swap
 * entry named, is the caller's. */
pte_t pt_unmap(paddr_t root, vaddr_t va);

/* Replace the permission flags of the existing 4 KiB mapping of va (present, or
 * kept by PROT_NONE: it becomes present) and flush its TLB entry; A, D and
 * PTE_WS_USED stay. False if va has no 4 KiB entry holding a frame. */
bool pt_protect(paddr_t root, vaddr_t va, uint64_t flags);

/* The first page at or above from, below end, whose 4 KiB entry holds a frame
 * (present, or kept by PROT_NONE):
 * walks the tables, skipping the whole span of any missing one, so finding the
 * few present pages of a huge sparse range is cheap. False if there is none. */
bool pt_next_present(paddr_t root, vaddr_t from, vaddr_t end, vaddr_t *found);

/* Make the 4 KiB entry of va inaccessible (PROT_NONE) but keep its frame: P
 * cleared, PTE_PROTNONE set; pt_protect makes it present again. */
bool pt_protect_none(paddr_t root, vaddr_t va);

/* The physical address va translates to (large pages included); false if unmapped. */
bool pt_translate(paddr_t root, vaddr_t va, paddr_t *pa);

/* Print the walk for va in one line:
 *   PML4[256] -> PDPT[0] -> PD[3] -> PT[17] -> frame 0x1234000, flags P W NX A D */
void pt_dump(paddr_t root, vaddr_t va);

/* Write the flags of an entry as "P W U NX A D G PS ws_used" (those set; ws_used is
 * the software bit PTE_WS_USED) into buf. */
const char *pte_flags_string(pte_t entry, char *buf, size_t size);

/* Copy the kernel-half PML4 entries of kernel_root into root: the new address
 * space then shares every kernel mapping (and all future ones, since the
 * kernel-half PDPTs are never freed or replaced). */
void pt_share_kernel_half(paddr_t root, paddr_t kernel_root);

/* Tear down the user half of an address space: drop the reference each present
 * user entry holds on its frame (pmm_unref) or on its swap slot, free every user
 * page table, and free the root itself. The kernel half is shared and left alone. */
void pt_destroy_user(paddr_t root);

/* Frames holding the user half's page tables, the root included: memory an
 * address space uses besides its pages (the out-of-memory killer counts it). */
uint64_t pt_count_user_tables(paddr_t root);

/* Call visit(frame, ctx) for every frame holding the user half's page tables,
 * the root first: who owns each page-table frame (the frame map, kernel/framemap.c). */
void pt_for_each_user_table(paddr_t root, void (*visit)(paddr_t table, void *ctx), void *ctx);

/* Put frame (with flags) in place of the frame of the existing 4 KiB mapping of
 * va, in one store, and flush its TLB entry. 0 and *old set to the old entry --
 * its frame's reference is now the caller's -- or -ENOENT if va had no entry
 * holding a frame, -ENOMEM if the reverse map could not record the new frame
 * (mm/anon_rmap.h); then nothing changed. It cannot fail half-way: copy-on-write
 * uses it so that a failed copy leaves the old mapping in place. */
int pt_replace(paddr_t root, vaddr_t va, paddr_t frame, uint64_t flags, pte_t *old);

/* Swap-out: if the entry of va maps frame, replace it by a swap entry naming slot
 * (and flush its TLB entry). Returns the old entry (its frame reference and its D
 * bit are now the caller's), or 0 if va does not map frame (nothing changed). */
pte_t pt_set_swap(paddr_t root, vaddr_t va, paddr_t frame, uint64_t slot);

/* Swap-in: if the entry of va is still the swap entry of slot, map frame there
 * with flags instead (the entry takes over the caller's reference on frame; the
 * slot's is now the caller's). 0, -EAGAIN (the entry changed: nothing done), or
 * -ENOMEM (the reverse map could not record it). */
int pt_swap_in(paddr_t root, vaddr_t va, uint64_t slot, paddr_t frame, uint64_t flags);

/* swapoff could not read slot back: if the entry of va is still the swap entry
 * of slot, make it the mark of a lost page (mm/pte.h). Returns the old entry (its
 * slot reference is now the caller's), or 0 if it was something else. */
pte_t pt_swap_lost(paddr_t root, vaddr_t va, uint64_t slot);

/* Put a swap entry, or a lost page's mark, at the unused page va (mremap moving
 * swapped-out pages), making tables on the way. 0, -ENOMEM, or -EEXIST. */
int pt_map_swap(paddr_t root, vaddr_t va, pte_t swap_entry);

/* As pt_next_present, but also stopping at swap entries: every entry in use. */
bool pt_next_used(paddr_t root, vaddr_t from, vaddr_t end, vaddr_t *found);

/* Call visit(ctx, va, entry) for each page of [from, end) whose entry is in use,
 * in address order: one descent per page table, not one per page (a recount of a
 * full address space). visit must not change the page tables. */
void pt_for_each_used(paddr_t root, vaddr_t from, vaddr_t end,
                      void (*visit)(void *ctx, vaddr_t va, pte_t entry), void *ctx);

/* Drop the TLB's copy of va's translation (if root is the active space): for a
 * fault on an entry that already allows the access, which only a stale TLB entry
 * can explain. */
void pt_invalidate(paddr_t root, vaddr_t va);

/* If the entry of va maps frame and the CPU has marked it dirty (a store since the
 * bit was last cleared), clear the bit, flush the TLB entry and return true. */
bool pt_clear_dirty(paddr_t root, vaddr_t va, paddr_t frame);

/* The same for the A (accessed) bit: set by the CPU on any use of the page. */
bool pt_clear_accessed(paddr_t root, vaddr_t va, paddr_t frame);

/* Working-set sampling (mm/workingset.h): the number of user entries used since
 * the last sample, from the A bit or PTE_WS_USED (an A bit pt_clear_accessed
 * took for a replacement policy); both are cleared, so the next sample counts
 * only the uses after this one. note_used(frame) is told of each A bit cleared
 * here, for the policy that has not seen it yet. */
uint64_t pt_sample_used(paddr_t root, void (*note_used)(paddr_t frame));

/* fork's copy of [start, end) (page-aligned, user half): every 4 KiB entry of
 * `from` that holds a frame is copied into `to` (creating tables), and the frame
 * gets one more reference (pmm_ref). With private set, writable entries are made
 * read-only on both sides (copy-on-write). Works table by table, one TLB flush at
 * the end. Returns the entries copied, or -ENOMEM (those copied so far stay). */
long pt_clone_range(paddr_t from, paddr_t to, vaddr_t start, vaddr_t end, bool private);

/* The root of the address space the CPU is using now. */
paddr_t pt_current_root(void);

/* Switch the CPU to another address space. */
void pt_activate(paddr_t root);

#endif
