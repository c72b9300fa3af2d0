/*
 * pte.h — the format of an x86-64 page-table entry, and nothing else.
 *
 * Every level (PML4, PDPT, PD, PT) is a 4 KiB frame of 512 eight-byte entries:
 *
 *   63  62..52   51..12                     11..9  8  7   6  5  4   3   2   1   0
 *  +--+--------+--------------------------+------+--+---+--+--+---+---+---+---+---+
 *  |NX| avail  | physical frame address   |avail |G |PS |D |A |PCD|PWT|U/S|R/W| P |
 *  +--+--------+--------------------------+------+--+---+--+--+---+---+---+---+---+
 *
 *   P    present: the entry is valid; otherwise any access faults
 *   R/W  writable (checked for ring 0 too, because CR0.WP is on)
 *   U/S  user: ring 3 may access; otherwise kernel only
 *   A, D accessed / dirty: set by the CPU on access / write
 *   PS   page size: in a PDPT or PD entry, maps a 1 GiB / 2 MiB page directly
 *   G    global: survives CR3 reloads in the TLB (kernel mappings)
 *   NX   no execute: instruction fetches fault (EFER.NXE is on)
 * Bits 9..11 and 52..62 are ignored by the CPU and free for the kernel. When P is
 * clear the CPU ignores every other bit, so a not-present entry can say four things:
 *
 *   all zero                     never touched (or unmapped): no frame, no data
 *   PTE_PROTNONE | frame         a PROT_NONE page: P clear, but the frame is still ours
 *   PTE_SWAP | slot << 12        swapped out: the page is in slot `slot` of the swap
 *                                area (mm/swap.h); the next touch reads it back
 *   PTE_SWAP, slot 0             lost: the page was swapped out and its slot could
 *                                not be read back (swapoff met a disk error); a touch
 *                                gives SIGBUS. Slot 0 is the area's header, never a
 *                                page's, so no swap entry looks like this (Linux 6.1
 *                                keeps such a "swapin error entry" the same way, a
 *                                swap entry of a type of its own)
 *
 * A permission applies only if every level along the walk allows it, which is why
 * intermediate entries are made permissive (P|W|U) and the last level decides.
 * Only mm/pt.c writes entries; everyone reads them through these accessors.
 */
#ifndef MM_PTE_H
#define MM_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

typedef uint64_t pte_t;

#define PTE_PRESENT  (1ul << 0)
#define PTE_WRITABLE (1ul << 1)
#define PTE_USER     (1ul << 2)
#define PTE_NOCACHE  (1ul << 4) /* PCD: device memory (a framebuffer), never cached */
#define PTE_ACCESSED (1ul << 5)
#define PTE_DIRTY    (1ul << 6)
#define PTE_HUGE     (1ul << 7) /* PS */
#define PTE_GLOBAL   (1ul << 8)
#define PTE_NX       (1ul << 63)
#define PTE_PROTNONE (1ul << 9)  /* software: not present, but the frame is still ours */
#define PTE_SWAP     (1ul << 10) /* software: not present, the page is in a swap slot */
#define PTE_WS_USED                                                                                \
    (1ul << 11) /* software, present entries: used in this working-set                             \
                   window, seen by a policy that took the A bit first                              \
                   (mm/workingset.h) */

#define PTE_FRAME_MASK 0x000ffffffffff000ul /* bits 51..12 */
#define PTE_FLAGS_MASK (~PTE_FRAME_MASK)

#define PT_ENTRIES 512 /* entries per table: 4096 / 8 */

static inline pte_t pte_make(paddr_t frame, uint64_t flags)
{
    return (frame & PTE_FRAME_MASK) | flags;
}

static inline bool pte_present(pte_t e)
{
    return e & PTE_PRESENT;
}
/* Present, or held out of reach by PROT_NONE: either way the entry owns a frame. */
static inline bool pte_holds_frame(pte_t e)
{
    return e & (PTE_PRESENT | PTE_PROTNONE);
}
#define PTE_SWAP_LOST_SLOT 0ul /* the slot a lost page's mark names: the header's */

/* A swap entry: the page is on the swap area, in the slot the frame field holds. */
static inline bool pte_is_swap(pte_t e)
{
    return (e & (PTE_PRESENT | PTE_PROTNONE | PTE_SWAP)) == PTE_SWAP &&
           (e & PTE_FRAME_MASK) != (PTE_SWAP_LOST_SLOT << PAGE_SHIFT);
}
/* A lost page: no frame, no slot, only the fact that its data is gone (SIGBUS). */
static inline bool pte_is_lost(pte_t e)
{
    return e == (PTE_SWAP | (PTE_SWAP_LOST_SLOT << PAGE_SHIFT));
}
static inline pte_t pte_make_lost(void)
{
    return PTE_SWAP | (PTE_SWAP_LOST_SLOT << PAGE_SHIFT);
}
static inline uint64_t pte_swap_slot(pte_t e)
{
    return (e & PTE_FRAME_MASK) >> PAGE_SHIFT;
}
static inline pte_t pte_make_swap(uint64_t slot)
{
    return ((slot << PAGE_SHIFT) & PTE_FRAME_MASK) | PTE_SWAP;
}
/* Anything at all in the entry: a frame (present or PROT_NONE), a swap slot, or
 * the mark of a lost page. */
static inline bool pte_in_use(pte_t e)
{
    return e != 0;
}
static inline bool pte_writable(pte_t e)
{
    return e & PTE_WRITABLE;
}
static inline bool pte_user(pte_t e)
{
    return e & PTE_USER;
}
static inline bool pte_executable(pte_t e)
{
    return !(e & PTE_NX);
}
/* The bits the CPU sets itself: A on any access through the entry, D on a write. */
static inline bool pte_accessed(pte_t e)
{
    return e & PTE_ACCESSED;
}
/* Used in this working-set window although a policy took the A bit (mm/workingset.h). */
static inline bool pte_ws_used(pte_t e)
{
    return e & PTE_WS_USED;
}
static inline bool pte_dirty(pte_t e)
{
    return e & PTE_DIRTY;
}
static inline bool pte_huge(pte_t e)
{
    return e & PTE_HUGE;
}
static inline bool pte_global(pte_t e)
{
    return e & PTE_GLOBAL;
}
static inline paddr_t pte_frame(pte_t e)
{
    return e & PTE_FRAME_MASK;
}
static inline uint64_t pte_flags(pte_t e)
{
    return e & PTE_FLAGS_MASK;
}

/* A virtual address splits into four 9-bit table indices and a 12-bit offset:
 *
 *   47      39 38      30 29      21 20      12 11         0
 *  +----------+----------+----------+----------+------------+
 *  |PML4 index|PDPT index| PD index | PT index |   offset   |
 *  +----------+----------+----------+----------+------------+
 *  bits 63..48 copy bit 47 ("canonical" addresses).
 * Level 4 is the PML4, level 1 the PT.                                        */
enum pt_level { PT_LEVEL_PT = 1, PT_LEVEL_PD = 2, PT_LEVEL_PDPT = 3, PT_LEVEL_PML4 = 4 };

static inline unsigned pt_index(vaddr_t va, enum pt_level level)
{
    return (unsigned)(va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

/* Bytes mapped by one entry at this level: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
static inline uint64_t pt_level_span(enum pt_level level)
{
    return 1ul << (PAGE_SHIFT + 9 * (level - 1));
}

static inline bool is_canonical(vaddr_t va)
{
    return va < USER_SPACE_END || va >= KERNEL_SPACE_BASE;
}

#endif
