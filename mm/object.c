/*
 * object.c — memory objects: their users, their mappers, and the one kind mm/
 * makes itself, shared anonymous memory.
 */
#include "object.h"

#include "kernel/panic.h"
#include "kheap.h"
#include "page_cache.h"
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
 * cache, or puts a fresh zeroed one there. Nothing stands behind the pages, so they
 * are never dropped (keep_pages) and never written back; they go with the last
 * region. */

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
    kfree(o);
}

static const struct object_ops shared_anon_ops = {
    .kind = "shared anonymous",
    .read_pages = NULL, /* a missing page is a zeroed one */
    .write_page = NULL,
    .get = shared_anon_get,
    .put = shared_anon_put,
    .keep_pages = true,
};

struct mem_object *object_create_shared_anon(uint64_t size)
{
    struct mem_object *o = kmalloc(sizeof *o);
    if (o == NULL)
        return NULL;
    object_init(o, &shared_anon_ops, NULL, size);
    o->refs = 1;
    return o;
}
