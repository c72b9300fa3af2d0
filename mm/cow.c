/*
 * cow.c — copy-on-write: may this frame be written in place?
 */
#include "cow.h"

#include "fault.h"
#include "pmm.h"
#include "pte.h"
#include "vma.h"

bool cow_may_reuse(paddr_t frame)
{
    /* ASSIGNMENT(cow): the last reference may be written in place -- unless the
     * frame is a file's page in the page cache, which a private write never changes */
    const struct page *page = pmm_page(frame);
    return frame != zero_page_frame() && page->refcount == 1 && page->object == NULL;
}

uint64_t cow_pte_flags(const struct vma *vma, paddr_t frame)
{
    uint64_t flags = vma_pte_flags(vma);
    bool shared_region = vma->flags & VMA_SHARED; /* its frames are meant to be shared */
    if (!shared_region && !cow_may_reuse(frame))
        flags &= ~PTE_WRITABLE;
    return flags;
}
