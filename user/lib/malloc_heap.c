/*
 * malloc_heap.c — the heap as a row of blocks: free lists, placement, splitting,
 * coalescing, growing and trimming. No system calls: memory comes from
 * heap->source (see malloc_heap.h).
 *
 * The heap between heap->start and heap->end:
 *
 *   start                                                              end
 *   | prologue |  block  |  block  |  ...  |  block  | epilogue |
 *   | 32, A    |         |         |       |         | 0, A     |
 *   +----------+---------+---------+-------+---------+----------+
 *    header+footer, allocated            header only, size 0, allocated
 *
 * The prologue and the epilogue are two blocks that are always "allocated". The
 * first real block therefore always has an allocated block before it, and the last
 * one an allocated block after it, so coalescing never has to ask "is there a
 * neighbour at all?" — only "is the neighbour free?". Growing the heap turns the old
 * epilogue into the header of the new free block and writes a new epilogue at the
 * new end.
 *
 * Free blocks are on explicit doubly-linked lists (the links live in their payload).
 * With the first-, next- and best-fit policies there is one list; with segregated
 * fit there is one list per size class. New free blocks go at the head of their
 * list (LIFO): O(1), at the price of a placement that ignores addresses.
 *
 * Runs of small slots (malloc_small.c) are ordinary allocated blocks here, with
 * flag R; only their placement is special (on a grid, see heap_origin).
 */
#include "malloc_heap.h"

#include <stdarg.h>

#include "lib/format.h"
#include "lib/string.h"

#define PROLOGUE_SIZE HEAP_PROLOGUE_SIZE
#define EPILOGUE_SIZE HEAP_EPILOGUE_SIZE
#define TRIM_KEEP     HEAP_TRIM_KEEP
#define TRIM_UNIT     4096 /* give memory back in whole pages */

static struct block *first_block(struct heap *heap)
{
    return (struct block *)(heap->start + PROLOGUE_SIZE);
}

static struct block *epilogue(struct heap *heap)
{
    return (struct block *)(heap->end - EPILOGUE_SIZE);
}

/* ---- the free lists ---- */

/* Which list a free block of this size belongs on: class k holds sizes up to
 * 64 << k (the last class holds everything bigger). Always 0 unless segregated. */
size_t heap_list_index(const struct heap *heap, size_t size)
{
    if (heap->policy != POLICY_SEGREGATED)
        return 0;
    size_t index = 0;
    while (index + 1 < HEAP_SIZE_CLASSES && size > ((size_t)64 << index))
        index++;
    return index;
}

static void list_insert(struct heap *heap, struct block *b)
{
    struct block **head = &heap->free_lists[heap_list_index(heap, block_size(b))];
    b->prev = NULL;
    b->next = *head;
    if (*head != NULL)
        (*head)->prev = b;
    *head = b;
}

static void list_remove(struct heap *heap, struct block *b)
{
    if (heap->rover == b)
        heap->rover = b->next; /* next fit: carry on from the block after */
    if (b->prev != NULL)
        b->prev->next = b->next;
    else
        heap->free_lists[heap_list_index(heap, block_size(b))] = b->next;
    if (b->next != NULL)
        b->next->prev = b->prev;
}

/* ---- coalescing ---- */

/* ASSIGNMENT(coalesce): b has free tags and is on no list. Merge it with whichever
 * neighbours are free — the boundary tags give both in O(1) — and put the result on
 * its list. The four cases:
 *
 *   prev  b  next           result
 *    A    F   A     1       b alone
 *    A    F   F     2       b + next
 *    F    F   A     3       prev + b
 *    F    F   F     4       prev + b + next
 *
 * Returns the merged block. */
static struct block *coalesce(struct heap *heap, struct block *b)
{
    size_t size = block_size(b);
    struct block *next = block_next(b);
    if (!block_is_allocated(next)) { /* cases 2 and 4 */
        list_remove(heap, next);
        size += block_size(next);
    }
    if (!block_prev_is_allocated(b)) { /* cases 3 and 4 */
        struct block *prev = block_prev(b);
        list_remove(heap, prev);
        size += block_size(prev);
        b = prev;
    }
    block_set_tags(b, size, 0, 0);
    list_insert(heap, b);
    return b;
}

/* ---- growing and trimming ---- */

/* Create the prologue and the epilogue: the first call into the heap. */
static int heap_start(struct heap *heap)
{
    char *old_end = heap->source->sbrk(heap->source->context, 0);
    if (old_end == NULL)
        return -1;
    size_t padding = align_up((uintptr_t)old_end, BLOCK_ALIGN) - (uintptr_t)old_end;
    if (heap->source->sbrk(heap->source->context, padding + PROLOGUE_SIZE + EPILOGUE_SIZE) !=
        old_end)
        return -1;
    heap->start = old_end + padding;
    heap->end = heap->start + PROLOGUE_SIZE + EPILOGUE_SIZE;
    block_set_tags((struct block *)heap->start, PROLOGUE_SIZE, BLOCK_ALLOCATED, 0);
    block_set_header(epilogue(heap), 0, BLOCK_ALLOCATED, 0);
    return 0;
}

/* The free block at the top of the heap (just below the epilogue), or NULL if the
 * last block is allocated. */
static struct block *top_free_block(struct heap *heap)
{
    if (block_prev_is_allocated(epilogue(heap)))
        return NULL;
    return block_prev(epilogue(heap));
}

/* The first address at or after payload that is where `want` asks (offset bytes
 * past a multiple of alignment) and either is payload itself or leaves room for a
 * free block in front (BLOCK_MIN_SIZE). */
static char *aligned_payload(char *payload, const struct want *want)
{
    uintptr_t shifted = (uintptr_t)payload - want->offset;
    char *aligned = (char *)(align_up(shifted, want->alignment) + want->offset);
    while (aligned != payload && (size_t)(aligned - payload) < BLOCK_MIN_SIZE)
        aligned += want->alignment;
    return aligned;
}

/* Grow the heap so that a block of size bytes, its payload aligned to alignment,
 * fits at its top. A free block already at the top counts: only what is missing is
 * asked for, in whole pages (the kernel hands out memory in pages anyway, and a
 * small step keeps the heap close to what is in use). The old epilogue becomes the
 * header of the new free block, which is coalesced with that top block. Returns 0,
 * or -1 if the source refused. */
static int heap_grow(struct heap *heap, const struct want *want)
{
    /* Where the new block will start: in the free top block, or where the epilogue
     * is now (it becomes the new block's header). */
    struct block *top = top_free_block(heap);
    char *base = top != NULL ? (char *)top : (char *)epilogue(heap);
    char *block_end =
        aligned_payload(base + BLOCK_HEADER_SIZE, want) - BLOCK_HEADER_SIZE + want->size;
    char *heap_top = (char *)epilogue(heap);
    size_t missing = block_end > heap_top ? (size_t)(block_end - heap_top) : 1;
    size_t increment = align_up(missing, HEAP_GROW_UNIT);
    char *old_end = heap->source->sbrk(heap->source->context, (long)increment);
    if (old_end == NULL)
        return -1;
    if (old_end != heap->end) { /* someone else moved the break: not ours to use */
        heap->source->sbrk(heap->source->context, -(long)increment);
        return -1;
    }
    struct block *b = epilogue(heap);
    heap->end += increment;
    block_set_tags(b, increment, 0, 0);
    block_set_header(epilogue(heap), 0, BLOCK_ALLOCATED, 0);
    coalesce(heap, b);
    return 0;
}

/* If free block b is the top of the heap and larger than the threshold, give all
 * but TRIM_KEEP bytes of it back to the source (a negative sbrk). */
static void heap_trim(struct heap *heap, struct block *b)
{
    size_t size = block_size(b);
    if (block_next(b) != epilogue(heap) || size < HEAP_TRIM_THRESHOLD)
        return;
    size_t excess = (size - TRIM_KEEP) & ~(size_t)(TRIM_UNIT - 1);
    if (heap->source->sbrk(heap->source->context, -(long)excess) == NULL)
        return;
    list_remove(heap, b);
    heap->end -= excess;
    block_set_tags(b, size - excess, 0, 0);
    block_set_header(epilogue(heap), 0, BLOCK_ALLOCATED, 0);
    list_insert(heap, b);
}

/* ---- placement ---- */

/* Where inside free block b a block of size bytes would start whose payload is
 * aligned to alignment: at b itself when its payload is aligned already (always,
 * for the usual 16), else far enough in that the part in front can be a free block
 * of its own. NULL if it does not fit in b. */
static struct block *aligned_start(struct block *b, const struct want *want)
{
    struct block *start = block_of_payload(aligned_payload(block_payload(b), want));
    return (char *)start + want->size <= (char *)block_next(b) ? start : NULL;
}

static int fits(struct block *b, const struct want *want)
{
    if (want->alignment <= BLOCK_ALIGN)
        return block_size(b) >= want->size; /* the common case, kept cheap */
    return aligned_start(b, want) != NULL;
}

/* First fit, from list `index` upwards: with one list this is plain first fit;
 * segregated fit uses it for the classes above the request's own. */
static struct block *first_fit(struct heap *heap, size_t index, const struct want *want)
{
    for (; index < HEAP_SIZE_CLASSES; index++) {
        for (struct block *b = heap->free_lists[index]; b != NULL; b = b->next) {
            if (fits(b, want))
                return b;
        }
    }
    return NULL;
}

/* Next fit: first fit that starts at the rover (where the last search ended) and
 * wraps around, spreading allocations over the whole list. */
static struct block *next_fit(struct heap *heap, const struct want *want)
{
    struct block *start = heap->rover != NULL ? heap->rover : heap->free_lists[0];
    for (struct block *b = start; b != NULL; b = b->next) {
        if (fits(b, want))
            return heap->rover = b;
    }
    for (struct block *b = heap->free_lists[0]; b != start; b = b->next) {
        if (fits(b, want))
            return heap->rover = b;
    }
    return NULL;
}

/* Best fit: the smallest block that is big enough (stop early on an exact fit).
 * Leaves the smallest remainders, at the price of a walk of the whole list. */
static struct block *best_fit(struct heap *heap, const struct want *want)
{
    struct block *best = NULL;
    for (struct block *b = heap->free_lists[0]; b != NULL; b = b->next) {
        if (fits(b, want) && (best == NULL || block_size(b) < block_size(best))) {
            best = b;
            if (block_size(b) == want->size)
                break;
        }
    }
    return best;
}

/* Segregated fit: best fit within the request's own size class (a short list of
 * blocks of about the right size), else the first block of the next class that has
 * one (every block there is big enough). Close to best fit, without walking
 * every free block. */
static struct block *segregated_fit(struct heap *heap, const struct want *want)
{
    size_t index = heap_list_index(heap, want->size);
    struct block *best = NULL;
    for (struct block *b = heap->free_lists[index]; b != NULL; b = b->next) {
        if (fits(b, want) && (best == NULL || block_size(b) < block_size(best))) {
            best = b;
            if (block_size(b) == want->size)
                break;
        }
    }
    return best != NULL ? best : first_fit(heap, index + 1, want);
}

/* ASSIGNMENT(placement): pick a free block that holds size bytes with the payload
 * aligned to alignment, by policy. */
static struct block *search(struct heap *heap, const struct want *want)
{
    switch (heap->policy) {
    case POLICY_FIRST_FIT: return first_fit(heap, 0, want);
    case POLICY_NEXT_FIT: return next_fit(heap, want);
    case POLICY_BEST_FIT: return best_fit(heap, want);
    case POLICY_SEGREGATED: return segregated_fit(heap, want);
    }
    return NULL;
}

char *heap_origin(struct heap *heap)
{
    if (heap->start == NULL && heap_start(heap) != 0)
        return NULL;
    return (char *)block_payload(first_block(heap));
}

/* A free block that holds size bytes aligned so, taken off its list; the heap grows
 * if no free block does. NULL if no memory is left. */
static struct block *find_fit(struct heap *heap, const struct want *want)
{
    if (heap->start == NULL && heap_start(heap) != 0)
        return NULL;
    struct block *b = search(heap, want);
    if (b == NULL) {
        if (heap_grow(heap, want) != 0)
            return NULL;
        b = search(heap, want);
    }
    if (b != NULL)
        list_remove(heap, b);
    return b;
}

struct block *heap_take(struct heap *heap, const struct want *want, size_t requested)
{
    struct block *b = find_fit(heap, want);
    if (b == NULL)
        return NULL;
    struct block *start = aligned_start(b, want);
    if (start != b) {
        /* The part in front of the aligned block goes back as a free block. */
        size_t whole = block_size(b);
        size_t front = (size_t)((char *)start - (char *)b);
        block_set_tags(start, whole - front, BLOCK_ALLOCATED, requested);
        block_set_tags(b, front, BLOCK_ALLOCATED, 0);
        heap_release(heap, b);
    }
    heap_place(heap, start, want->size, requested);
    return start;
}

/* ---- splitting, releasing, growing in place ---- */

void heap_place(struct heap *heap, struct block *b, size_t size, size_t requested)
{
    size_t whole = block_size(b);
    /* Splitting: a remainder too small to be a block stays inside b as internal
     * fragmentation; a larger one becomes a free block of its own. */
    if (whole - size < BLOCK_MIN_SIZE) {
        block_set_tags(b, whole, BLOCK_ALLOCATED, requested);
        return;
    }
    block_set_tags(b, size, BLOCK_ALLOCATED, requested);
    struct block *rest = block_next(b);
    block_set_tags(rest, whole - size, BLOCK_ALLOCATED, 0);
    heap_release(heap, rest);
}

void heap_release(struct heap *heap, struct block *b)
{
    /* Free tags first: a stale header left inside a merged block still says "free",
     * which is how a later double free of it is recognised. */
    block_set_tags(b, block_size(b), 0, 0);
    heap_trim(heap, coalesce(heap, b));
}

/* The free block right after b, or NULL if that block is allocated. */
static struct block *free_next(struct block *b)
{
    struct block *next = block_next(b);
    return block_is_allocated(next) ? NULL : next;
}

/* The size allocated block b would have if it took in its free neighbours (the one
 * before only if with_prev). */
static size_t size_with_neighbours(struct block *b, int with_prev)
{
    size_t size = block_size(b);
    if (free_next(b) != NULL)
        size += block_size(free_next(b));
    if (with_prev && !block_prev_is_allocated(b))
        size += block_size(block_prev(b));
    return size;
}

/* Is b the last block, or followed only by the free top block? Then the heap can
 * grow under it. */
static int is_at_top(struct heap *heap, struct block *b)
{
    struct block *next = block_next(b);
    return next == epilogue(heap) || (free_next(b) != NULL && block_next(next) == epilogue(heap));
}

struct block *heap_extend(struct heap *heap, struct block *b, size_t size)
{
    size_t requested = b->requested;
    size_t usable = block_size(b) - BLOCK_OVERHEAD; /* what the program may have written */
    if (size_with_neighbours(b, 0) < size && is_at_top(heap, b)) {
        /* Growing into the top: the new free memory lands right after b. */
        struct want more = { .size = size - block_size(b), .alignment = BLOCK_ALIGN };
        if (heap_grow(heap, &more) != 0)
            return NULL;
    }
    int slide = size_with_neighbours(b, 0) < size;
    if (size_with_neighbours(b, slide) < size)
        return NULL;
    size_t total = size_with_neighbours(b, slide);
    if (free_next(b) != NULL)
        list_remove(heap, free_next(b));
    if (slide) {
        /* The free block before b and b become one block that starts where the free
         * one did; the contents slide down (the two may overlap: memmove). */
        struct block *prev = block_prev(b);
        list_remove(heap, prev);
        memmove(block_payload(prev), block_payload(b), usable);
        b = prev;
    }
    block_set_tags(b, total, BLOCK_ALLOCATED, requested);
    return b;
}

int heap_contains_block(struct heap *heap, struct block *b)
{
    if (heap->start == NULL)
        return 0;
    struct block *cur = first_block(heap);
    while (cur < b && cur < epilogue(heap) && block_header_is_sound(cur) &&
           block_size(cur) >= BLOCK_MIN_SIZE)
        cur = block_next(cur);
    return cur == b;
}

/* ---- messages ---- */

#define MESSAGE_MAX 200

void heap_printf(struct heap *heap, const char *fmt, ...)
{
    char line[MESSAGE_MAX];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    heap->source->print(heap->source->context, line);
}

void heap_misuse(struct heap *heap, const char *fmt, ...)
{
    char line[MESSAGE_MAX];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    heap->source->abort(heap->source->context, line);
}
