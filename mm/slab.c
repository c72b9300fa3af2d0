/*
 * slab.c — carving a page into objects and keeping count of them.
 */
#include "slab.h"

#include "kernel/panic.h"
#include "lib/string.h"

#define HEADER_ROOM 64 /* sizeof(struct slab), rounded up */

static uint8_t *object_at(struct slab *slab, size_t i)
{
    return (uint8_t *)slab + slab->first_offset + i * slab->object_size;
}

static bool is_allocated(const struct slab *slab, size_t i)
{
    return slab->allocated[i / 64] & (1ul << (i % 64));
}

static void set_allocated(struct slab *slab, size_t i, bool value)
{
    if (value)
        slab->allocated[i / 64] |= 1ul << (i % 64);
    else
        slab->allocated[i / 64] &= ~(1ul << (i % 64));
}

void slab_init(struct slab *slab, size_t object_size)
{
    _Static_assert(sizeof(struct slab) <= HEADER_ROOM, "slab header outgrew its room");
    assert(object_size >= SLAB_MIN_OBJECT && object_size <= SLAB_MAX_OBJECT &&
               (object_size & (object_size - 1)) == 0,
           "slab_init: bad object size %zu", object_size);
    memset(slab, 0, sizeof *slab);
    slab->magic = SLAB_MAGIC;
    slab->object_size = (uint16_t)object_size;
    /* objects aligned to their own size: the first starts after the header */
    slab->first_offset = (uint16_t)(object_size > HEADER_ROOM ? object_size : HEADER_ROOM);
    slab->capacity = (uint16_t)((SLAB_SIZE - slab->first_offset) / object_size);

    /* chain all objects, lowest address first */
    for (size_t i = slab->capacity; i-- > 0;) {
        void **link = (void **)object_at(slab, i);
        *link = slab->free_list;
        slab->free_list = link;
    }
}

/* ASSIGNMENT(slab): the free list and the bitmap, in slab_alloc and slab_free. */
void *slab_alloc(struct slab *slab)
{
    void **object = slab->free_list;
    if (object == NULL)
        return NULL;
    slab->free_list = *object;
    set_allocated(slab, (size_t)((uint8_t *)object - object_at(slab, 0)) / slab->object_size, true);
    slab->in_use++;
    return object;
}

enum slab_free_result slab_free(struct slab *slab, void *object)
{
    uint8_t *first = object_at(slab, 0), *p = object;
    if (p < first || p >= object_at(slab, slab->capacity) ||
        (size_t)(p - first) % slab->object_size != 0)
        return SLAB_NOT_AN_OBJECT;
    size_t i = (size_t)(p - first) / slab->object_size;
    if (!is_allocated(slab, i))
        return SLAB_DOUBLE_FREE;

    set_allocated(slab, i, false);
    memset(p, SLAB_POISON, slab->object_size);
    *(void **)p = slab->free_list;
    slab->free_list = p;
    slab->in_use--;
    return SLAB_FREED;
}
