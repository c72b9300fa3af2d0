/*
 * as.c — creating, switching and tearing down address spaces.
 */
#include "as.h"

#include "fault.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel_pt.h"
#include "lib/string.h"
#include "kheap.h"
#include "object.h"
#include "page_cache.h"
#include "pmm.h"
#include "pt.h"
#include "resident_limit.h"
#include "swap_slots.h"
#include "vma.h"

/* Every address space, newest first: the reverse map of anonymous pages names
 * page-table roots, and reclaim needs the address space to keep its counts. */
static struct addr_space *all_spaces;

static void list_add(struct addr_space *as)
{
    as->next_all = all_spaces;
    all_spaces = as;
}

static void list_remove(struct addr_space *as)
{
    for (struct addr_space **link = &all_spaces; *link != NULL; link = &(*link)->next_all) {
        if (*link == as) {
            *link = as->next_all;
            return;
        }
    }
}

struct addr_space *as_of_root(paddr_t root)
{
    for (struct addr_space *as = all_spaces; as != NULL; as = as->next_all)
        if (as->root == root)
            return as;
    return NULL;
}

bool as_is_live(const struct addr_space *target)
{
    for (struct addr_space *as = all_spaces; as != NULL; as = as->next_all)
        if (as == target)
            return true;
    return false;
}

struct addr_space *as_first_with_swap(void)
{
    for (struct addr_space *as = all_spaces; as != NULL; as = as->next_all)
        if (as->swap_pages > 0)
            return as;
    return NULL;
}

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
    avl_init(&as->vmas);
    list_add(as);
    return as;
}

void as_get(struct addr_space *as)
{
    as->refcount++;
}

/* Drop an address space's hold on its program's path (NULL is fine). */
static void program_path_put(struct program_path *path)
{
    if (path != NULL && --path->refs == 0)
        kfree(path);
}

void as_put(struct addr_space *as)
{
    assert(as->refcount > 0, "as_put: address space %p has no users", (void *)as);
    if (--as->refcount > 0)
        return;
    assert(pt_current_root() != as->root, "as_put: freeing the active address space %p",
           (void *)as);
    pt_destroy_user(as->root);
    resident_limit_release(as); /* after the unmapping: only pages others map are left */
    list_remove(as);
    /* the regions leave the objects' reverse maps before anything can sleep: a
     * truncate or a write-back meanwhile must not walk the freed page tables */
    struct vma *regions = vma_detach_all(as);
    struct mem_object *program = as->program;
    program_path_put(as->layout.path);
    kfree(as);
    vma_release(regions); /* a file's last user may sleep here */
    if (program != NULL) {
        program->exec_users--;
        object_put(program);
    }
}

void as_set_program(struct addr_space *as, struct mem_object *object)
{
    if (object != NULL) {
        object_get(object);
        object->exec_users++;
    }
    if (as->program != NULL) {
        as->program->exec_users--;
        object_put(as->program);
    }
    as->program = object;
}

void as_set_program_path(struct addr_space *as, const char *path)
{
    size_t n = strlen(path) + 1;
    struct program_path *copy = kmalloc(sizeof *copy + n);
    if (copy != NULL) {
        copy->refs = 1;
        memcpy(copy->text, path, n);
    }
    program_path_put(as->layout.path);
    as->layout.path = copy;
}

void as_copy_layout(struct addr_space *child, const struct addr_space *parent)
{
    program_path_put(child->layout.path);
    child->layout = parent->layout;
    if (child->layout.path != NULL)
        child->layout.path->refs++;
}

/* RSS counts the frames mapped, except the shared zero page (it is nobody's). */
static void rss_add(struct addr_space *as, paddr_t frame)
{
    if (frame == zero_page_frame())
        return;
    as->rss++;
    if (as->rss > as->max_rss)
        as->max_rss = as->rss;
}

static void rss_sub(struct addr_space *as, paddr_t frame)
{
    if (frame != zero_page_frame())
        as->rss--;
}

int as_map_frame(struct addr_space *as, vaddr_t va, paddr_t frame, uint64_t flags)
{
    int error = pt_map(as->root, va, frame, flags | PTE_USER);
    if (error == 0)
        rss_add(as, frame);
    return error;
}

int as_replace_frame(struct addr_space *as, vaddr_t va, paddr_t frame, uint64_t flags)
{
    pte_t old = 0;
    int error = pt_replace(as->root, va, frame, flags | PTE_USER, &old);
    assert(error != -ENOENT, "as_replace_frame: page %p has no frame to replace", (void *)va);
    if (error != 0)
        return error;
    rss_add(as, frame);
    rss_sub(as, pte_frame(old));
    page_cache_entry_gone(old);
    pmm_unref(pte_frame(old)); /* the old mapping's reference */
    return 0;
}

void as_count_swapped_out(struct addr_space *as)
{
    as->rss--;
    as->swap_pages++;
}

void as_count_swapped_in(struct addr_space *as)
{
    as->swap_pages--;
    rss_add(as, PMM_NO_FRAME);
}

bool as_mark_lost(struct addr_space *as, vaddr_t va, uint64_t slot)
{
    if (pt_swap_lost(as->root, va, slot) == 0)
        return false;
    as->swap_pages--;    /* not swapped any more (VmSwap): gone */
    swap_slot_put(slot); /* the entry no longer names it */
    return true;
}

pte_t as_entry(struct addr_space *as, vaddr_t va)
{
    pte_t *entry = pt_lookup(as->root, va);
    return entry != NULL ? *entry : 0;
}

bool as_protect_page(struct addr_space *as, vaddr_t va, uint64_t flags)
{
    return pt_protect(as->root, va, flags | PTE_USER);
}

void as_invalidate_page(struct addr_space *as, vaddr_t va)
{
    pt_invalidate(as->root, va);
}

void as_unmap_range(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    for (vaddr_t va = start; pt_next_used(as->root, va, end, &va); va += PAGE_SIZE) {
        pte_t old = pt_unmap(as->root, va);
        if (pte_is_lost(old))
            continue; /* held nothing */
        if (pte_is_swap(old)) {
            as->swap_pages--;
            swap_slot_put(pte_swap_slot(old));
            continue;
        }
        rss_sub(as, pte_frame(old));
        page_cache_entry_gone(old); /* a store through it makes a file page dirty */
        pmm_unref(pte_frame(old));  /* the mapping's reference */
    }
}

void *as_kernel_pointer(struct addr_space *as, vaddr_t va)
{
    struct vma *vma = va < USER_SPACE_END ? vma_find(as, va) : NULL;
    if (vma == NULL)
        return NULL;
    vaddr_t page = align_down(va, PAGE_SIZE);
    pte_t *entry = pt_lookup(as->root, page);
    bool has_own_frame =
        entry != NULL && pte_holds_frame(*entry) && pte_frame(*entry) != zero_page_frame();
    if (has_own_frame && pmm_page(pte_frame(*entry))->object != NULL)
        return NULL; /* a file's page from the page cache: never written through here */
    if (!has_own_frame) {
        /* give the page its own frame, with the region's rights: the kernel writes
         * it through the direct map, so even a read-only page can be filled */
        as_unmap_range(as, page, page + PAGE_SIZE);
        paddr_t frame = pmm_alloc(FRAME_USER);
        if (frame == PMM_NO_FRAME)
            return NULL;
        if (as_map_frame(as, page, frame, vma_pte_flags(vma)) != 0) {
            pmm_free(frame);
            return NULL;
        }
        if (vma->prot == 0)
            pt_protect_none(as->root, page); /* PROT_NONE: the frame kept out of reach */
        entry = pt_lookup(as->root, page);
    }
    return phys_to_virt(pte_frame(*entry) + (va - page));
}

/* Bytes of kernel memory behind the regions: each region's record. (An object's
 * pages are found through a tree whose nodes live in struct page: they cost
 * nothing until touched.) */
static uint64_t region_bytes(struct addr_space *as)
{
    return (uint64_t)as->regions * sizeof(struct vma);
}

uint64_t as_kernel_frames(struct addr_space *as)
{
    return pt_count_user_tables(as->root) + align_up(region_bytes(as), PAGE_SIZE) / PAGE_SIZE;
}

void as_activate(struct addr_space *as)
{
    if (pt_current_root() != as->root)
        pt_activate(as->root);
}

void as_activate_kernel(void)
{
    if (pt_current_root() != kernel_root())
        pt_activate(kernel_root());
}
