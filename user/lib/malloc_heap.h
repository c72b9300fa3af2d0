/*
 * malloc_heap.h — the allocator's core, without system calls.
 *
 * The core knows blocks, free lists and placement; it does not know where memory
 * comes from. That is a struct heap_source: four functions that grow and shrink the
 * heap (brk in a program, a static array in the host tests), map and unmap large
 * blocks (mmap/munmap), plus where to print and what to do on misuse. malloc.c
 * wires the real ones to the standard names (malloc, free, ...).
 */
#ifndef USER_LIB_MALLOC_HEAP_H
#define USER_LIB_MALLOC_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "malloc_block.h"
#include "malloc_small.h"

#define HEAP_GROW_UNIT        4096         /* the heap grows in whole pages */
#define HEAP_TRIM_THRESHOLD   (128 * 1024) /* a top free block this big is given back */
#define HEAP_TRIM_KEEP        (64 * 1024)  /* ... all but this much of it */
#define MALLOC_MMAP_THRESHOLD (128 * 1024) /* requests this big get their own mmap */
#define REALLOC_MAP_THRESHOLD                                                                      \
    (4 * 1024)                               /* a block realloc must move that is this             \
                                                big moves into a mapping of its own */
#define HEAP_PROLOGUE_SIZE 32                /* header + footer, rounded to 16 */
#define HEAP_EPILOGUE_SIZE BLOCK_HEADER_SIZE /* a header of size 0 */
#define HEAP_SIZE_CLASSES  12                /* segregated lists: <=64, <=128, ... */

enum heap_policy {
    POLICY_FIRST_FIT,  /* the first block on the list that is big enough */
    POLICY_NEXT_FIT,   /* first fit, but starting where the last search stopped */
    POLICY_BEST_FIT,   /* the smallest block that is big enough */
    POLICY_SEGREGATED, /* one list per size class; best fit in the own class, else the next */
};

struct heap_source {
    void *context; /* passed to every function below */
    /* sbrk: move the end of the heap by increment bytes (may be 0 or negative);
     * returns the old end, or NULL if refused. */
    void *(*sbrk)(void *context, long increment);
    /* A fresh read-write mapping of length bytes (a multiple of 4096), or NULL. */
    void *(*map)(void *context, size_t length);
    void (*unmap)(void *context, void *start, size_t length);
    /* Resize the mapping at start from old_length to new_length bytes (multiples of
     * 4096), moving it if need be (mremap with MREMAP_MAYMOVE): returns where it is
     * now, or NULL if refused. May be NULL: realloc then copies instead. */
    void *(*remap)(void *context, void *start, size_t old_length, size_t new_length);
    /* Print one line of text (no newline included). */
    void (*print)(void *context, const char *line);
    /* Misuse was found (message names the pointer). Should not return; if it does
     * (a test), the operation in progress is abandoned. */
    void (*abort)(void *context, const char *message);
};

/* An mmapped block: this record, then the block header, then the payload. */
struct heap_mapping {
    struct heap_mapping *next, *prev;
    char *start;   /* what map returned */
    size_t length; /* what was mapped */
};

struct heap {
    const struct heap_source *source;
    enum heap_policy policy;
    char *start, *end;                           /* [prologue ... epilogue] */
    struct block *free_lists[HEAP_SIZE_CLASSES]; /* only [0] unless POLICY_SEGREGATED */
    struct block *rover;                         /* next fit: where to start looking */
    struct heap_mapping *mappings;               /* every live mmapped block */
    size_t small_max;                            /* requests up to this size go to runs (0: none) */
    struct run *runs[SMALL_CLASSES];             /* per class, the runs with a free slot */
};

/* Set up an empty heap (no memory taken yet: the first allocation does that). */
void heap_init(struct heap *heap, const struct heap_source *source, enum heap_policy policy);

/* "first", "next", "best", "segregated" -> the policy; unknown or NULL -> fallback. */
enum heap_policy heap_policy_from_name(const char *name, enum heap_policy fallback);
const char *heap_policy_name(enum heap_policy policy);

/* The allocator's operations, with C's contracts (see malloc.h). */
void *heap_malloc(struct heap *heap, size_t n);
void heap_free(struct heap *heap, void *p);
void *heap_calloc(struct heap *heap, size_t count, size_t size);
void *heap_realloc(struct heap *heap, void *p, size_t n);
void *heap_aligned_alloc(struct heap *heap, size_t alignment, size_t n);
int heap_posix_memalign(struct heap *heap, void **out, size_t alignment, size_t n);
size_t heap_usable_size(struct heap *heap, void *p);

/* Walk every block and every list; 0 if all is consistent, else print what is
 * wrong (through source->print) and return -1. */
int heap_check(struct heap *heap);

/* Print heap size, bytes in use, free blocks, largest free block, fragmentation. */
void heap_stats(struct heap *heap);

/* ---- the block layer (malloc_heap.c), used by malloc_core.c ---- */

/* What heap_take is asked for: a block of size bytes (tags included) whose payload
 * lies offset bytes past a multiple of alignment (a power of two, at least 16;
 * offset 0 for what aligned_alloc promises). */
struct want {
    size_t size;
    size_t alignment;
    uintptr_t offset;
};

/* The payload address of the heap's first block (the heap is set up if it was not
 * yet), or NULL if the source gives no memory at all. Runs of small slots are laid
 * on a grid that starts here (malloc_small.c). */
char *heap_origin(struct heap *heap);

/* Allocate a heap block as `want` says: placement by the heap's policy, the heap
 * grown if nothing fits, the spare parts split off. NULL if no memory is left. */
struct block *heap_take(struct heap *heap, const struct want *want, size_t requested);

/* Mark b allocated with exactly size bytes; the rest, if it can make a block of its
 * own, becomes a free block (splitting). */
void heap_place(struct heap *heap, struct block *b, size_t size, size_t requested);

/* Make heap block b free, merge it with free neighbours (coalescing), put the result
 * on its list and give the top of the heap back if it grew too large. */
void heap_release(struct heap *heap, struct block *b);

/* Make allocated block b at least size bytes without a copy elsewhere: take in the
 * free block after it, grow the heap if b is at its top, or else slide b down into
 * a free block before it (its contents move with it). Returns the block, at its
 * new address if it slid, or NULL if none of these gives size bytes; b is still
 * allocated either way, its spare tail not yet split off (heap_place does that). */
struct block *heap_extend(struct heap *heap, struct block *b, size_t size);

/* Can p be the payload of a block in the brk heap (between the prologue and the
 * epilogue)? Says nothing about whether a block starts there. */
static inline int heap_holds(const struct heap *heap, const void *p)
{
    const char *c = p;
    return heap->start != NULL && c >= heap->start + HEAP_PROLOGUE_SIZE + BLOCK_HEADER_SIZE &&
           c < heap->end - HEAP_EPILOGUE_SIZE;
}

/* The free list a block of this size belongs on (0 unless segregated). */
size_t heap_list_index(const struct heap *heap, size_t size);

/* Is b the header of a block this heap handed out (walks the heap)? */
int heap_contains_block(struct heap *heap, struct block *b);

/* Format a message and send it to source->print or source->abort. */
void heap_printf(struct heap *heap, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void heap_misuse(struct heap *heap, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
