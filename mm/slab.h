/*
 * slab.h — one page cut into equal objects: the building block of kmalloc.
 *
 * A slab is a 4 KiB page holding a header and then `capacity` objects of one size
 * (a power of two from 16 to 1024 bytes), each aligned to its size:
 *
 *   +--------+--------+--------+--------+-- ... --+--------+
 *   | header | obj 0  | obj 1  | obj 2  |         | obj N-1|
 *   +--------+--------+--------+--------+-- ... --+--------+
 *
 * Free objects are chained through their first 8 bytes (the free list), so taking
 * or returning one is O(1). A bitmap records which objects are handed out, so that
 * freeing an object twice, or a pointer into the middle of one, is detected.
 * This is pure bookkeeping on a buffer: it allocates nothing itself.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAB_SIZE        4096
#define SLAB_MIN_OBJECT  16
#define SLAB_MAX_OBJECT  1024
#define SLAB_MAX_OBJECTS 256 /* enough for 16-byte objects */
#define SLAB_MAGIC       0x51ab0b1eu
#define SLAB_POISON      0x6b /* fills freed objects: a use after free reads 0x6b6b... */

struct slab {
    uint32_t magic;
    uint16_t object_size;
    uint16_t capacity; /* objects that fit */
    uint16_t in_use;   /* objects handed out */
    uint16_t first_offset;
    struct slab *next; /* the next slab of the same size with room (kheap's list) */
    void *free_list;   /* free objects, linked through their first 8 bytes */
    uint64_t allocated[SLAB_MAX_OBJECTS / 64];
};

enum slab_free_result {
    SLAB_FREED,
    SLAB_NOT_AN_OBJECT, /* not the start of an object of this slab */
    SLAB_DOUBLE_FREE,   /* the object is already free */
};

/* Format the SLAB_SIZE bytes at slab as an empty slab of object_size objects
 * (a power of two in [SLAB_MIN_OBJECT, SLAB_MAX_OBJECT]). */
void slab_init(struct slab *slab, size_t object_size);

/* An object from the slab, or NULL if it is full. Contents are undefined. */
void *slab_alloc(struct slab *slab);

/* Give an object back (poisoning its contents). */
enum slab_free_result slab_free(struct slab *slab, void *object);

static inline bool slab_full(const struct slab *slab)
{
    return slab->in_use == slab->capacity;
}

static inline bool slab_empty(const struct slab *slab)
{
    return slab->in_use == 0;
}

#endif
