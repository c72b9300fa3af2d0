/*
 * page_out.h — where a page that holds no frame is: out in a swap slot, lost,
 * or nowhere (never touched; or a shared page this process has not mapped,
 * which is in the page cache).
 *
 * Private memory says it in the page-table entry (mm/pte.h: a swap entry, a
 * lost page's mark). Shared anonymous memory cannot: its page is the object's,
 * so reclaim empties every entry mapping it and the object records the slot by
 * page index (mm/object.c). The views that count or draw a process's pages
 * (kernel/framemap_export.c, kernel/framemap_view.c) ask here, so that a page
 * out shows as out whichever kind of memory it is.
 */
#ifndef MM_PAGE_OUT_H
#define MM_PAGE_OUT_H

#include "addr.h"

struct addr_space;
struct vma;

enum page_out {
    PAGE_OUT_NONE,    /* in a frame, or nowhere */
    PAGE_OUT_SWAPPED, /* in a swap slot */
    PAGE_OUT_LOST,    /* swapoff could not read its slot back: a touch gives SIGBUS */
};

/* The page at va, in vma of as: is it out, or lost? Reads the entry and the
 * region's object only (never sleeps, changes nothing). */
enum page_out page_out_state(struct addr_space *as, const struct vma *vma, vaddr_t va);

#endif
