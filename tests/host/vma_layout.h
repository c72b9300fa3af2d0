/*
 * vma_layout.h — address spaces drawn as pictures, for the host tests of mm/'s
 * regions (test_vma*.c). A picture has one character per page, upwards from a
 * base address:
 *
 *     "..ww|wwrr..n"
 *
 *     .  no region                 w  read-write, private
 *     r  read-only                 x  read + execute
 *     n  PROT_NONE                 s  read-write, shared
 *     g  read-write, growing down (a stack)
 *
 * A run of one letter is one region; a '|' (which is no page) marks where two
 * regions of the same letter meet without having been merged into one.
 */
#ifndef TESTS_HOST_VMA_LAYOUT_H
#define TESTS_HOST_VMA_LAYOUT_H

#include <stddef.h>

#include "mm/addr.h"

struct addr_space;

/* Page 0 of most pictures: far above USER_MIN_ADDRESS, far below MMAP_TOP. */
#define LAYOUT_BASE 0x10000000ul

/* The address of page i of a picture drawn at LAYOUT_BASE. */
#define PAGE_AT(i) (LAYOUT_BASE + (vaddr_t)(i)*PAGE_SIZE)

/* A new address space holding the regions of picture, drawn from base up
 * (no pages, no brk: brk_start = brk = 0). */
struct addr_space *layout_space(vaddr_t base, const char *picture);

/* The picture of [base, base + pages * PAGE_SIZE) (valid until the next call). */
const char *layout_draw(struct addr_space *as, vaddr_t base, size_t pages);

/* How many pages a picture shows (its length without the '|'). */
size_t layout_pages(const char *picture);

/* Free the regions and the address space. */
void layout_free(struct addr_space *as);

/* The base that puts a picture's last page just below MMAP_TOP. */
vaddr_t layout_below_mmap_top(const char *picture);

/* Check that the space from base looks like picture. */
#define CHECK_LAYOUT(as, base, picture)                                                            \
    CHECK_STR(layout_draw((as), (base), layout_pages(picture)), (picture))

#endif
