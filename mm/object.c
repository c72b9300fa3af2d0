/*
 * object.c — memory objects: their users, their mappers, and the one kind mm/
 * makes itself, shared anonymous memory.
 */
#include "object.h"

#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kheap.h"
#include "page_cache.h"
#include "swap_slots.h"
#include "vma.h"

void object_init(struct mem_object *o, const struct object_ops *ops, void *owner, uint64_t size)
{
    *o = (struct mem_object){ .ops = ops, .owner = owner, .size = size };
    avl_init(&o->pages);
}

void object_get(struct mem_object *o)
{
    o->ops->get(o);
}

void object_put(struct mem_object *o)
{
    o->ops->put(o);
}

/* ---- the reverse map's list ---- */

void object_add_mapper(struct mem_object *o, struct vma *vma)
{
    vma->prev_mapper = NULL;
    vma->next_mapper = o->mappers;
    if (o->mappers != NULL)
        o->mappers->prev_mapper = vma;
    o->mappers = vma;
}

void object_remove_mapper(struct mem_object *o, struct vma *vma)
{
    if (vma->prev_mapper != NULL)
        vma->prev_mapper->next_mapper = vma->next_mapper;
    else
        o->mappers = vma->next_mapper;
    if (vma->next_mapper != NULL)
        vma->next_mapper->prev_mapper = vma->prev_mapper;
    vma->next_mapper = vma->prev_mapper = NULL;
}

/* ---- shared anonymous memory ----
 *
 * After fork, a MAP_SHARED|MAP_ANONYMOUS region must show the same bytes in parent
 * and child, even for pages neither had touched before the fork. So its frames
 * belong to an object both regions point at: a fault finds the page in the object's
 * cache, or puts a fresh zeroed one there. Nothing stands behind the pages but
 * swap: they are never written back (sync leaves them alone) and never simply
 * dropped, but reclaim may write one to a swap slot and drop it then
 * (shm_swap_out, mm/shm_swap.c); the object remembers the slot by page index, and the
 * next fault on the index reads it back (Linux's shmem: a file whose blocks live
 * in swap). Slots and pages go with the last region.
 *
 * The slot map: a two-level table indexed by page index, like a page table
 * whose entries are slot numbers -- a top array (one pointer per 1024 pages, set
 * up with the object) and 4 KiB leaves of 1024 32-bit slot numbers, allocated
 * at the first page of their range that goes out. Chosen over a tree of (index,
 * slot) nodes because reclaim records a slot when memory is shortest: one small
 * allocation per 1024 pages instead of one per page, and the lookup is two
 * array reads. (Linux stores the swap entry in the page cache's own xarray, in
 * the place of the page; here the cache's tree is made of struct pages, which
 * go with their frames.) Slot numbers fit 32 bits: swap_area_enable refuses
 * larger areas. An entry may also hold SHM_LOST, the mark of a page whose slot
 * swapoff could not read (object_mark_lost): no slot, only the fact that its
 * data is gone, like a lost page's entry in a page table (mm/pte.h). */

/* (tools/gdb/shm_state.py reads the map too, with these two) */
#define SLOTS_PER_LEAF (PAGE_SIZE / sizeof(uint32_t))
#define SHM_LOST       0xffffffffu /* UINT32_MAX: no slot's number (an area has fewer) */

struct shm_object {
    struct mem_object object; /* first: a mem_object pointer is a shm_object one */
    uint32_t **leaves;        /* [leaf_count]; NULL: no page of its range is out */
    uint64_t leaf_count;
    uint64_t swapped;               /* pages out: slots held */
    struct shm_object *next, *prev; /* every shared anonymous object (swapoff, check) */
};

static struct shm_object *all_shm;

static struct shm_object *shm_of(const struct mem_object *o)
{
    return (struct shm_object *)o;
}

/* What the table records for index: a slot, SHM_LOST, or SWAP_NO_SLOT (none). */
static uint32_t recorded(const struct shm_object *shm, uint64_t index)
{
    uint64_t leaf = index / SLOTS_PER_LEAF;
    if (leaf >= shm->leaf_count || shm->leaves[leaf] == NULL)
        return SWAP_NO_SLOT;
    return shm->leaves[leaf][index % SLOTS_PER_LEAF];
}

static uint64_t shm_slot_of(const struct mem_object *o, uint64_t index)
{
    uint32_t entry = recorded(shm_of(o), index);
    return entry != SHM_LOST ? entry : SWAP_NO_SLOT;
}

static int shm_set_slot(struct mem_object *o, uint64_t index, uint64_t slot)
{
    struct shm_object *shm = shm_of(o);
    uint64_t leaf = index / SLOTS_PER_LEAF;
    if (leaf >= shm->leaf_count || (shm->leaves[leaf] == NULL && slot == SWAP_NO_SLOT))
        return slot == SWAP_NO_SLOT ? 0 : -EINVAL; /* past the end: never out */
    if (shm->leaves[leaf] == NULL)
        shm->leaves[leaf] = kzalloc(PAGE_SIZE);
    if (shm->leaves[leaf] == NULL)
        return -ENOMEM;
    uint32_t *entry = &shm->leaves[leaf][index % SLOTS_PER_LEAF];
    if (*entry != SWAP_NO_SLOT && *entry != SHM_LOST) {
        swap_slot_put(*entry); /* the object's use of the old slot */
        shm->swapped--;
    }
    *entry = (uint32_t)slot;
    shm->swapped += slot != SWAP_NO_SLOT;
    return 0;
}

/* Let every slot go, and the table (the object is going). */
static void shm_free_slots(struct shm_object *shm)
{
    for (uint64_t leaf = 0; leaf < shm->leaf_count; leaf++) {
        for (uint64_t i = 0; shm->leaves[leaf] != NULL && i < SLOTS_PER_LEAF; i++)
            if (shm->leaves[leaf][i] != SWAP_NO_SLOT && shm->leaves[leaf][i] != SHM_LOST)
                swap_slot_put(shm->leaves[leaf][i]);
        kfree(shm->leaves[leaf]);
    }
    kfree(shm->leaves);
    shm->swapped = 0;
}

static void shared_anon_get(struct mem_object *o)
{
    o->refs++;
}

static void shared_anon_put(struct mem_object *o)
{
    assert(o->refs > 0, "shared_anon_put: object %p has no users", (void *)o);
    if (--o->refs > 0)
        return;
    page_cache_drop_all(o);
    struct shm_object *shm = shm_of(o);
    shm_free_slots(shm);
    if (shm->prev != NULL)
        shm->prev->next = shm->next;
    else
        all_shm = shm->next;
    if (shm->next != NULL)
        shm->next->prev = shm->prev;
    kfree(shm);
}

static const struct object_ops shared_anon_ops = {
    .kind = "shared anonymous",
    .read_pages = NULL, /* a missing page is a zeroed one, or in its slot */
    .write_page = NULL, /* never written back: sync has nothing to do with it */
    .get = shared_anon_get,
    .put = shared_anon_put,
    .keep_pages = true,
    .slot_of = shm_slot_of,
    .set_slot = shm_set_slot,
};

struct mem_object *object_create_shared_anon(uint64_t size)
{
    struct shm_object *shm = kzalloc(sizeof *shm);
    if (shm == NULL)
        return NULL;
    uint64_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    shm->leaf_count = (pages + SLOTS_PER_LEAF - 1) / SLOTS_PER_LEAF;
    shm->leaves = kzalloc((shm->leaf_count > 0 ? shm->leaf_count : 1) * sizeof *shm->leaves);
    if (shm->leaves == NULL) {
        kfree(shm);
        return NULL;
    }
    object_init(&shm->object, &shared_anon_ops, NULL, size);
    shm->object.refs = 1;
    shm->next = all_shm;
    if (all_shm != NULL)
        all_shm->prev = shm;
    all_shm = shm;
    return &shm->object;
}

/* ---- swapped pages of every object ---- */

void object_for_each_swap_slot(void (*visit)(void *ctx, uint64_t slot), void *ctx)
{
    for (struct shm_object *shm = all_shm; shm != NULL; shm = shm->next)
        for (uint64_t leaf = 0; leaf < shm->leaf_count; leaf++)
            for (uint64_t i = 0; shm->leaves[leaf] != NULL && i < SLOTS_PER_LEAF; i++)
                if (shm->leaves[leaf][i] != SWAP_NO_SLOT && shm->leaves[leaf][i] != SHM_LOST)
                    visit(ctx, shm->leaves[leaf][i]);
}

struct mem_object *object_first_swapped(void)
{
    for (struct shm_object *shm = all_shm; shm != NULL; shm = shm->next)
        if (shm->swapped > 0)
            return &shm->object;
    return NULL;
}

/* The first index at or after from with something recorded (a slot; also a lost
 * mark if lost_too), or UINT64_MAX. */
static uint64_t next_recorded(const struct shm_object *shm, uint64_t from, bool lost_too)
{
    for (uint64_t index = from; index / SLOTS_PER_LEAF < shm->leaf_count;) {
        if (shm->leaves[index / SLOTS_PER_LEAF] == NULL) {
            index = (index / SLOTS_PER_LEAF + 1) * SLOTS_PER_LEAF; /* a leaf with none out */
            continue;
        }
        uint32_t entry = recorded(shm, index);
        if (entry != SWAP_NO_SLOT && (entry != SHM_LOST || lost_too))
            return index;
        index++;
    }
    return UINT64_MAX;
}

uint64_t object_next_swapped(const struct mem_object *o, uint64_t from)
{
    return o->ops->slot_of != NULL ? next_recorded(shm_of(o), from, false) : UINT64_MAX;
}

void object_forget_swapped(struct mem_object *o, uint64_t first, uint64_t end)
{
    struct shm_object *shm = shm_of(o);
    for (uint64_t index = next_recorded(shm, first, true); index < end;
         index = next_recorded(shm, index, true)) {
        if (recorded(shm, index) == SHM_LOST)
            shm->leaves[index / SLOTS_PER_LEAF][index % SLOTS_PER_LEAF] = SWAP_NO_SLOT;
        else
            o->ops->set_slot(o, index, SWAP_NO_SLOT); /* back to never touched (no memory) */
    }
}

bool object_mark_lost(struct mem_object *o, uint64_t index, uint64_t slot)
{
    if (o->ops->slot_of == NULL || shm_slot_of(o, index) != slot || slot == SWAP_NO_SLOT)
        return false;
    o->ops->set_slot(o, index, SWAP_NO_SLOT); /* lets the slot go (the leaf stays) */
    struct shm_object *shm = shm_of(o);
    shm->leaves[index / SLOTS_PER_LEAF][index % SLOTS_PER_LEAF] = SHM_LOST;
    return true;
}

bool object_page_lost(const struct mem_object *o, uint64_t index)
{
    return o->ops->slot_of != NULL && recorded(shm_of(o), index) == SHM_LOST;
}

uint64_t object_swapped_in(const struct mem_object *o, uint64_t first, uint64_t count)
{
    uint64_t out = 0;
    for (uint64_t index = object_next_swapped(o, first); index < first + count;
         index = object_next_swapped(o, index + 1))
        out++;
    return out;
}
