/*
 * pageout.c — madvise(MADV_PAGEOUT): a program asks for its own pages to go to
 * swap now, before memory runs short; and madvise(MADV_COLD): to go first when
 * memory does run short (pageout.h).
 *
 * Reclaim picks its victims with the replacement policy; here the program has
 * picked them. Each page goes the way reclaim sends it (reclaim_swap_out: a slot,
 * the entries rewritten to name it, the write, the frame freed), so the next
 * touch is a major fault that reads it back, and mincore says 0 meanwhile.
 *
 * As Linux 6.1's madvise_cold_or_pageout_pte_range, only private anonymous pages
 * mapped by this one entry go (copies made of file pages by a private write are
 * such pages too): a page fork shares is left alone, since paging it out would
 * take it from the other process as well. File pages, shared anonymous memory and
 * the zero page stay; so does everything when no swap area is on, or once it is
 * full. mm_madvise refuses the advice on locked regions before it gets here.
 */
#include "pageout.h"

#include "anon_rmap.h"
#include "as.h"
#include "pmm.h"
#include "pt.h"
#include "reclaim.h"
#include "replace.h"
#include "swap.h"

/* The page mapped at va (PROT_NONE too, as reclaim would take it), if it is a
 * private anonymous page mapped there only. */
static struct page *only_mapping(struct addr_space *as, vaddr_t va)
{
    pte_t entry = as_entry(as, va);
    if (!pte_holds_frame(entry))
        return NULL;
    struct page *page = anon_page_of(pte_frame(entry));
    return page != NULL && anon_rmap_count(page) == 1 ? page : NULL;
}

void mm_pageout(struct addr_space *as, vaddr_t from, vaddr_t to)
{
    if (!swap_area_active())
        return;
    /* each swap-out sleeps in its write: the entries are read again every time */
    for (vaddr_t va = from; pt_next_present(as->root, va, to, &va); va += PAGE_SIZE) {
        struct page *page = only_mapping(as, va);
        if (page != NULL && reclaim_swap_out(page) == SWAP_OUT_NO_SLOT)
            return; /* swap is full: the rest stays */
    }
}

void mm_cold(struct addr_space *as, vaddr_t from, vaddr_t to)
{
    for (vaddr_t va = from; pt_next_present(as->root, va, to, &va); va += PAGE_SIZE) {
        struct page *page = only_mapping(as, va);
        if (page != NULL)
            replace_forget_use(page);
    }
}
