/*
 * as.c — creating, switching and tearing down address spaces.
 */
#include "as.h"

#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel_pt.h"
#include "kheap.h"
#include "pmm.h"
#include "pt.h"

struct addr_space *as_create(void)
{
    struct addr_space *as = kzalloc(sizeof *as);
    if (as == NULL)
        return NULL;
    as->root = pt_create_root();
    if (as->root == PMM_NO_FRAME) {
        kfree(as);
        return NULL;
    }
    pt_share_kernel_half(as->root, kernel_root());
    as->refcount = 1;
    return as;
}

void as_get(struct addr_space *as)
{
    as->refcount++;
}

void as_put(struct addr_space *as)
{
    assert(as->refcount > 0, "as_put: address space %p has no users", (void *)as);
    if (--as->refcount > 0)
        return;
    assert(pt_current_root() != as->root, "as_put: freeing the active address space %p",
           (void *)as);
    pt_destroy_user(as->root);
    kfree(as);
}

int as_map_zeroed(struct addr_space *as, vaddr_t va, uint64_t flags)
{
    paddr_t frame = pmm_alloc(FRAME_USER);
    if (frame == PMM_NO_FRAME)
        return -ENOMEM;
    int error = pt_map(as->root, va, frame, flags | PTE_USER);
    if (error != 0) {
        pmm_free(frame);
        return error;
    }
    as->pages++;
    return 0;
}

void *as_kernel_pointer(struct addr_space *as, vaddr_t va)
{
    paddr_t pa;
    if (va >= USER_SPACE_END || !pt_translate(as->root, va, &pa))
        return NULL;
    return phys_to_virt(pa);
}

void as_activate(struct addr_space *as)
{
    if (pt_current_root() != as->root)
        pt_activate(as->root);
}
