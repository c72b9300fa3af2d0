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

#include "malloc_block.h"

#define HEAP_CHUNK            (64 * 1024)       /* the heap grows by at least this */
#define HEAP_TRIM_THRESHOLD   (128 * 1024)      /* a top free block this big is given back */
#define MALLOC_MMAP_THRESHOLD (128 * 1024)      /* requests this big get their own mmap */
#define HEAP_PROLOGUE_SIZE    32                /* header + footer, rounded to 16 */
#define HEAP_EPILOGUE_SIZE    BLOCK_HEADER_SIZE /* a header of size 0 */
#define HEAP_SIZE_CLASSES     12                /* segregated lists: <=64, <=128, ... */

enum heap_policy {
    POLICY_FIRST_FIT,  /* the first block on the list that is big enough */
    POLICY_NEXT_FIT,   /* first fit, but starting where the last search stopped */
    POLICY_BEST_FIT,   /* the smallest block that is big enough */
    POLICY_SEGREGATED, /* one list per size class; first fit from the right class up */
};

struct heap_source {
    void *context; /* passed to every function below */
    /* sbrk: move the end of the heap by increment bytes (may be 0 or negative);
     * returns the old end, or NULL if refused. */
    void *(*sbrk)(void *context, long increment);
    /* A fresh read-write mapping of length bytes (a multiple of 4096), or NULL. */
    void *(*map)(void *context, size_t length);
    void (*unmap)(void *context, void *start, size_t length);
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

/* A free block of at least size bytes, taken off its list (the heap grows if needed),
 * or NULL if no memory is left. */
struct block *heap_find_fit(struct heap *heap, size_t size);

/* Mark b allocated with exactly size bytes; the rest, if it can make a block of its
 * own, becomes a free block (splitting). */
void heap_place(struct heap *heap, struct block *b, size_t size, size_t requested);

/* Make heap block b free, merge it with free neighbours (coalescing), put the result
 * on its list and give the top of the heap back if it grew too large. */
void heap_release(struct heap *heap, struct block *b);

/* Take the free block after b into b, if it is free and the sum is at least size;
 * returns 1 if b grew. b stays allocated. */
int heap_absorb_next(struct heap *heap, struct block *b, size_t size);

/* The free list a block of this size belongs on (0 unless segregated). */
size_t heap_list_index(const struct heap *heap, size_t size);

/* Is b the header of a block this heap handed out (walks the heap)? */
int heap_contains_block(struct heap *heap, struct block *b);

/* Format a message and send it to source->print or source->abort. */
void heap_printf(struct heap *heap, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void heap_misuse(struct heap *heap, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
