/*
 * shared_anon.c — frames shared by every mapping of one MAP_SHARED region.
 */
#include "shared_anon.h"

#include "kernel/panic.h"
#include "kheap.h"
#include "pmm.h"

struct shared_anon *shared_anon_create(size_t pages)
{
    struct shared_anon *object = kzalloc(sizeof *object + pages * sizeof(paddr_t));
    if (object == NULL)
        return NULL;
    object->refcount = 1;
    object->pages = pages;
    return object;
}

void shared_anon_get(struct shared_anon *object)
{
    object->refcount++;
}

void shared_anon_put(struct shared_anon *object)
{
    assert(object->refcount > 0, "shared_anon_put: object %p has no references", (void *)object);
    if (--object->refcount > 0)
        return;
    for (size_t i = 0; i < object->pages; i++) {
        if (object->frames[i] != 0)
            pmm_unref(object->frames[i]);
    }
    kfree(object);
}

paddr_t shared_anon_frame(struct shared_anon *object, size_t index)
{
    assert(index < object->pages, "shared_anon_frame: page %zu of %zu", index, object->pages);
    if (object->frames[index] == 0)
        object->frames[index] = pmm_alloc(FRAME_USER); /* the object's reference */
    return object->frames[index];
}
