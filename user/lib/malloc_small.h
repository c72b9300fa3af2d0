/*
 * malloc_small.h — small requests without a header each: runs of equal slots.
 *
 * A heap block costs 24 bytes of tags and is at least 48 bytes, so a 16-byte
 * request would use 48 bytes: two thirds overhead. Programs make many small objects
 * (list and tree nodes, short strings), so requests up to SMALL_MAX bytes are served
 * from *runs* instead, the idea of the kernel's slab allocator (mm/slab.c):
 *
 *   one heap block of RUN_SIZE bytes (a page), flag BLOCK_RUN:
 *   +--------+---------------+--------+--------+-----+----------+--------+--------+
 *   | header | run header 64 | slot 0 | slot 1 | ... | slot n-1 | unused | footer |
 *   +--------+---------------+--------+--------+-----+----------+--------+--------+
 *            ^ a grid point                                the next grid point - 16 ^
 *
 * Runs are placed on a grid: their payloads lie a multiple of RUN_SIZE past the
 * payload of the heap's first block (heap_origin). Runs made in a row therefore lie
 * back to back, and the first one can be the heap's first block.
 *
 * Every slot of a run has the same size, a multiple of 16 (the size class). The
 * run header keeps a bitmap of the free slots. free(p) finds the run by rounding p
 * down to the grid: no per-object header, so a 48-byte node really takes 48 bytes.
 * The price: a request is rounded up to its class (at most 15 bytes lost), each
 * class needs a run of its own (a run partly used is partly wasted), and an
 * overflow past a slot is not caught by a checksum (it lands in the next slot, not
 * in a header). Runs pay off for many small objects; that is why SMALL_MAX is small.
 */
#ifndef USER_LIB_MALLOC_SMALL_H
#define USER_LIB_MALLOC_SMALL_H

#include <stddef.h>
#include <stdint.h>

#include "malloc_block.h"

#define SMALL_MAX       64 /* requests up to this many bytes */
#define SMALL_GRANULE   16 /* class k holds slots of 16 * (k + 1) */
#define SMALL_CLASSES   (SMALL_MAX / SMALL_GRANULE)
#define RUN_SIZE        4096 /* the run's heap block, and its alignment */
#define RUN_MAP_WORDS   ((RUN_SIZE / SMALL_GRANULE + 63) / 64)    /* bits for every slot */
#define RUN_HEADER_SIZE ((32 + 8 * RUN_MAP_WORDS + 15) / 16 * 16) /* struct run, to 16 */
#define RUN_SLOT_SPACE  (RUN_SIZE - BLOCK_OVERHEAD - RUN_HEADER_SIZE)

struct run {
    uint32_t check;                   /* a checksum of the run's address, slot_size and slots */
    uint16_t slot_size;               /* bytes per slot */
    uint16_t slots;                   /* how many slots fit after the header */
    uint16_t free_count;              /* how many of them are free */
    uint16_t unused[3];               /* (keeps the links 8-byte aligned) */
    struct run *next, *prev;          /* the class's list of runs with a free slot */
    uint64_t free_map[RUN_MAP_WORDS]; /* bit i set: slot i is free */
};

struct heap;

/* The size class of a request of n <= SMALL_MAX bytes. */
static inline size_t small_class(size_t n)
{
    return n == 0 ? 0 : (n - 1) / SMALL_GRANULE;
}

/* A slot for n bytes (n <= heap->small_max), or NULL if no memory is left. */
void *small_malloc(struct heap *heap, size_t n);

/* The run p lies in, or NULL if p is not inside a run (then it is not a small
 * object: the caller treats it as a heap or mapped block). */
struct run *small_run_of(struct heap *heap, void *p);

/* Does p lie where a run was that has gone back to the heap (so freeing p is a
 * double free)? Only asked once p turned out to be no allocated block. */
int small_run_was_released(struct heap *heap, void *p);

/* Is p the start of an allocated slot of run? If not, report the misuse (an
 * interior pointer, a double free) naming `operation` and return 0. */
int small_slot_in_use(struct heap *heap, struct run *run, void *p, const char *operation);

/* Give p's slot back; a run left empty goes back to the heap. p must have passed
 * small_slot_in_use. */
void small_free(struct heap *heap, struct run *run, void *p);

/* For the checker: is run block b sound (header, counts, bitmap, list)? 0 or -1. */
int small_check_run(struct heap *heap, struct block *b);

/* For the checker: do the class lists hold exactly the runs with a free slot
 * (runs_with_free of them, as the heap walk counted)? 0 or -1. */
int small_check_lists(struct heap *heap, size_t runs_with_free);

static inline struct run *run_of_block(struct block *b)
{
    return (struct run *)block_payload(b); /* a run is its block's payload */
}

#endif
