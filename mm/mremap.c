/*
 * mremap.c — resizing (and if allowed, moving) a mapping: Linux's mremap for
 * anonymous memory.
 *
 *   shrink            -> the tail is unmapped; the start stays
 *   grow, room after  -> the region is extended where it is
 *   grow, no room     -> with MREMAP_MAYMOVE the pages move to a new place: their
 *                        page-table entries are moved, the frames are not copied
 */
#include "mmap.h"

#include "as.h"
#include "kernel/errno.h"
#include "pt.h"
#include "shared_anon.h"
#include "vma.h"

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

/* Move the present pages of [from, from + len) to start at to. The references
 * travel with the entries: no frame changes hands. */
static int move_pages(struct addr_space *as, vaddr_t from, vaddr_t to, size_t len)
{
    for (vaddr_t va = from; pt_next_present(as->root, va, from + len, &va); va += PAGE_SIZE) {
        pte_t old = pt_unmap(as->root, va);
        vaddr_t at = to + (va - from);
        uint64_t flags = pte_flags(old) & ~(PTE_PRESENT | PTE_PROTNONE);
        if (pt_map(as->root, at, pte_frame(old), flags) != 0) {
            pt_map(as->root, va, pte_frame(old), flags); /* put it back */
            at = va;
        }
        if (!pte_present(old))
            pt_protect_none(as->root, at); /* a PROT_NONE page stays one */
        if (at == va)
            return -ENOMEM;
    }
    return 0;
}

/* The region at [addr, addr + len) must be one region, from its start or inside. */
static struct vma *single_region(struct addr_space *as, vaddr_t addr, size_t len)
{
    struct vma *vma = vma_find(as, addr);
    return vma != NULL && addr + len <= vma->end ? vma : NULL;
}

static long move_region(struct addr_space *as, struct vma *vma, vaddr_t addr, size_t old_len,
                        size_t new_len, vaddr_t to)
{
    struct vma like = *vma;
    size_t first = vma->shared != NULL ? vma->shared_first + (addr - vma->start) / PAGE_SIZE : 0;
    if (vma->shared != NULL)
        shared_anon_get(like.shared); /* keep the object while the old region goes */
    int error = move_pages(as, addr, to, old_len);
    if (error == 0)
        error = (int)mm_munmap(as, addr, old_len); /* the old range: no pages left to drop */
    struct vma *moved = error == 0 ? vma_create(as, to, to + new_len, like.prot, like.flags & ~VMA_SHARED) : NULL;
    if (moved != NULL && like.shared != NULL) {
        moved->flags |= VMA_SHARED;
        moved->shared = like.shared;
        moved->shared_first = first;
        shared_anon_get(like.shared);
    }
    if (like.shared != NULL)
        shared_anon_put(like.shared);
    return moved != NULL ? (long)to : -ENOMEM;
}

long mm_mremap(struct addr_space *as, vaddr_t addr, size_t old_size, size_t new_size, int flags,
               vaddr_t new_addr)
{
    if (!is_page_aligned(addr) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) ||
        ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) || new_size == 0 || old_size == 0)
        return -EINVAL;
    size_t old_len = align_up(old_size, PAGE_SIZE), new_len = align_up(new_size, PAGE_SIZE);
    if (old_len == 0 || new_len == 0 || addr > USER_MAP_END - old_len)
        return -EINVAL;
    struct vma *vma = single_region(as, addr, old_len);
    if (vma == NULL)
        return -EFAULT; /* not one mapped region: Linux says EFAULT */
    if (vma->shared != NULL && vma->shared_first + (addr - vma->start + new_len) / PAGE_SIZE > vma->shared->pages)
        return -ENOMEM; /* a shared object cannot grow (yet) */

    if (flags & MREMAP_FIXED) {
        if (!is_page_aligned(new_addr) || new_addr > USER_MAP_END - new_len ||
            (new_addr < addr + old_len && addr < new_addr + new_len))
            return -EINVAL;
        mm_munmap(as, new_addr, new_len);
        return move_region(as, vma, addr, old_len, new_len, new_addr);
    }
    if (new_len <= old_len) {
        if (new_len < old_len)
            mm_munmap(as, addr + new_len, old_len - new_len);
        return (long)addr;
    }
    struct vma *next = vma_next(vma);
    bool room = addr + old_len == vma->end && (next == NULL || next->start >= addr + new_len) &&
                addr + new_len <= USER_MAP_END && vma->shared == NULL &&
                !(vma->flags & VMA_GROWSDOWN);
    if (room) {
        vma_set_range(as, vma, vma->start, addr + new_len);
        return (long)addr;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    vaddr_t to = (vaddr_t)mm_mmap(as, 0, new_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    if ((long)to < 0)
        return -ENOMEM;
    mm_munmap(as, to, new_len); /* only the place was wanted */
    return move_region(as, vma, addr, old_len, new_len, to);
}
