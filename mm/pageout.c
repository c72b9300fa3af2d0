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
 * As Linux 6.1's madvise_cold_or_pageout_pte_range, only pages mapped by this one
 * entry go: a page fork shares, or another mapping of the same file page, is left
 * alone, since paging it out would take it from the other mapping as well.
 * Private anonymous pages (copies made of file pages by a private write too) go
 * to swap; so do pages of shared anonymous memory (page_cache_pageout); a clean
 * file page is dropped, its file has it; a dirty one stays (Linux writes file
 * pages back from kswapd only). Without swap, or once it is full, anonymous pages
 * stay; the zero page always does. mm_madvise refuses the advice on locked
 * regions before it gets here.
 */
#include "pageout.h"

#include "anon_rmap.h"
#include "as.h"
#include "page_cache.h"
#include "pmm.h"
#include "pt.h"
#include "reclaim.h"
#include "replace.h"
#include "swap.h"
#include "vma.h"

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

/* The page of the region's object that the entry of va maps, if it does (not a
 * private copy): NULL, or the object, with the page's *index and *frame. */
static struct mem_object *object_page_at(struct addr_space *as, vaddr_t va, uint64_t *index,
                                         paddr_t *frame)
{
    struct vma *vma = vma_find(as, va);
    pte_t entry = as_entry(as, va);
    if (vma == NULL || vma->object == NULL || !pte_holds_frame(entry) ||
        anon_page_of(pte_frame(entry)) != NULL)
        return NULL;
    *index = vma->pgoff + (va - vma->start) / PAGE_SIZE;
    *frame = pte_frame(entry);
    return vma->object;
}

void mm_pageout(struct addr_space *as, vaddr_t from, vaddr_t to)
{
    bool swap_full = !swap_area_active();
    /* each page out may sleep (a write): the entries are read again every time */
    for (vaddr_t va = from; pt_next_present(as->root, va, to, &va); va += PAGE_SIZE) {
        struct page *page = only_mapping(as, va);
        uint64_t index;
        paddr_t frame;
        struct mem_object *o;
        if (page != NULL && !swap_full)
            swap_full = reclaim_swap_out(page) == SWAP_OUT_NO_SLOT; /* then the rest stays */
        else if (page == NULL && (o = object_page_at(as, va, &index, &frame)) != NULL)
            page_cache_pageout(o, index, frame);
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
