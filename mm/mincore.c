/*
 * mincore.c — mincore: which pages of a range are in memory now.
 *
 * For each page, one byte: 1 if it is resident, 0 if touching it would fault to
 * bring it in. A page is resident if its page-table entry holds a frame (the shared
 * zero page counts, as on Linux); a page of a file mapping the process has not
 * touched is resident if the file's page is in the page cache -- read() brought it
 * in, another process mapped it, or read-ahead did -- since touching it then is a
 * minor fault, with no disk I/O. A swapped-out page is resident only if its slot's
 * page is in the swap cache (read ahead, or read by another process that fork
 * shared it with), for the same reason; it is never the file's page, even in a
 * file mapping: the entry names the process's own copy, which is in swap (Linux's
 * mincore_pte_range asks the swap cache too). A lost page is not resident
 * (mm/pte.h: its data is gone, a touch gives SIGBUS), as in Linux after 6.1,
 * where such a page is a pte marker that mincore treats as a hole (6.1 said 1:
 * its "swapin error entry" counted with migration entries).
 */
#include "mmap.h"

#include "as.h"
#include "kernel/errno.h"
#include "object.h"
#include "page_cache.h"
#include "pmm.h"
#include "swap_slots.h"
#include "uaccess.h"
#include "vma.h"

#define MINCORE_CHUNK 512 /* bytes of the answer gathered before each copy out */

/* Is the page of swap slot `slot` in memory: in the swap cache, and not still
 * being read into it? (A page being written out counts as out: its entries are
 * swap entries already, and the next touch may have to wait for the write.) */
static uint8_t swapped_page_resident(uint64_t slot)
{
    paddr_t frame = swap_cache_frame(slot);
    return frame != PMM_NO_FRAME && !(pmm_page(frame)->flags & PG_SWAP_IO);
}

/* 1 if the page at va of region vma is resident, else 0. */
static uint8_t resident(struct addr_space *as, const struct vma *vma, vaddr_t va)
{
    pte_t entry = as_entry(as, va);
    if (pte_holds_frame(entry))
        return 1;
    if (pte_is_swap(entry))
        return swapped_page_resident(pte_swap_slot(entry));
    if (pte_in_use(entry))
        return 0; /* a lost page */
    if (vma->object == NULL)
        return 0;
    uint64_t index = vma->pgoff + (va - vma->start) / PAGE_SIZE;
    return page_cache_peek(vma->object, index) != PMM_NO_FRAME;
}

/* Linux's checks: an unaligned start is EINVAL; a range reaching past user space
 * is ENOMEM; so is a page no region covers (the answer for the pages before it is
 * already copied out); a vec that cannot be written is EFAULT. */
long mm_mincore(struct addr_space *as, vaddr_t addr, size_t length, vaddr_t vec)
{
    if (!is_page_aligned(addr))
        return -EINVAL;
    if (addr > USER_SPACE_END || length > USER_SPACE_END - addr)
        return -ENOMEM;
    uint64_t pages = align_up(length, PAGE_SIZE) / PAGE_SIZE;
    if (vec > USER_SPACE_END || pages > USER_SPACE_END - vec)
        return -EFAULT;
    uint8_t answer[MINCORE_CHUNK];
    for (uint64_t done = 0; done < pages;) {
        size_t n = 0;
        for (; n < MINCORE_CHUNK && done + n < pages; n++) {
            vaddr_t va = addr + (done + n) * PAGE_SIZE;
            const struct vma *vma = vma_find(as, va);
            if (vma == NULL)
                return -ENOMEM;
            answer[n] = resident(as, vma, va);
        }
        if (copy_to_user(vec + done, answer, n) != 0)
            return -EFAULT;
        done += n;
    }
    return 0;
}
