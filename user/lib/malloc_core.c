/*
 * malloc_core.c — malloc, free, calloc, realloc and aligned allocation on top of the
 * block layer (malloc_heap.c), plus large blocks that get their own mapping and the
 * checks that turn misuse into a message instead of silent corruption.
 *
 * Small and medium requests come from the heap. A request of MALLOC_MMAP_THRESHOLD
 * bytes or more gets its own mapping instead:
 *
 *   map start                                              map start + length
 *   | struct heap_mapping | header (M, A) | payload ...              |
 *                         ^ block         ^ what malloc returned
 *
 * so freeing it gives the memory straight back (munmap) and it never fragments the
 * heap. The record before the header remembers where the mapping starts and how
 * long it is; the records are linked, so free can tell a mapped block from a wild
 * pointer without touching memory that may not exist.
 */
#include "malloc_heap.h"

#include <stdint.h>

#include "lib/string.h"

#define PAGE_SIZE   4096
#define ERR_EINVAL  22
#define ERR_ENOMEM  12
#define REQUEST_MAX ((size_t)1 << 47) /* more than any address space: refuse */

void heap_init(struct heap *heap, const struct heap_source *source, enum heap_policy policy)
{
    memset(heap, 0, sizeof *heap);
    heap->source = source;
    heap->policy = policy;
    heap->small_max = SMALL_MAX;
}

static const char *const policy_names[] = {
    [POLICY_FIRST_FIT] = "first",
    [POLICY_NEXT_FIT] = "next",
    [POLICY_BEST_FIT] = "best",
    [POLICY_SEGREGATED] = "segregated",
};

enum heap_policy heap_policy_from_name(const char *name, enum heap_policy fallback)
{
    for (size_t p = 0; name != NULL && p < sizeof policy_names / sizeof policy_names[0]; p++) {
        if (strcmp(name, policy_names[p]) == 0)
            return (enum heap_policy)p;
    }
    return fallback;
}

const char *heap_policy_name(enum heap_policy policy)
{
    return policy_names[policy];
}

/* ---- large blocks: one mapping each ---- */

static struct heap_mapping *mapping_of(struct block *b)
{
    return (struct heap_mapping *)b - 1;
}

/* Map a block whose payload holds n bytes and is aligned to alignment. */
static void *map_block(struct heap *heap, size_t n, size_t alignment)
{
    size_t front = sizeof(struct heap_mapping) + BLOCK_HEADER_SIZE;
    size_t length = align_up(front + n + (alignment > BLOCK_ALIGN ? alignment : 0), PAGE_SIZE);
    char *start = heap->source->map(heap->source->context, length);
    if (start == NULL)
        return NULL;
    char *payload = (char *)align_up((uintptr_t)start + front, alignment);
    struct block *b = block_of_payload(payload);
    struct heap_mapping *m = mapping_of(b);
    *m = (struct heap_mapping){ .next = heap->mappings, .start = start, .length = length };
    if (heap->mappings != NULL)
        heap->mappings->prev = m;
    heap->mappings = m;
    /* The "block" runs from the header to the end of the mapping. */
    block_set_header(b, (size_t)(start + length - (char *)b), BLOCK_ALLOCATED | BLOCK_MMAPPED, n);
    return payload;
}

static void unmap_block(struct heap *heap, struct block *b)
{
    struct heap_mapping *m = mapping_of(b);
    if (m->prev != NULL)
        m->prev->next = m->next;
    else
        heap->mappings = m->next;
    if (m->next != NULL)
        m->next->prev = m->prev;
    heap->source->unmap(heap->source->context, m->start, m->length);
}

/* Resize mapped block b to hold n bytes by resizing its mapping: the kernel extends
 * the mapping or moves it elsewhere by moving page-table entries (mremap), so no
 * byte is copied. Returns the payload, perhaps at a new address, or NULL if the
 * source cannot remap (the caller then copies). */
static void *remap_block(struct heap *heap, struct block *b, size_t n)
{
    struct heap_mapping *m = mapping_of(b);
    size_t offset = (size_t)((char *)b - m->start); /* mremap keeps offsets */
    size_t record = (size_t)((char *)m - m->start);
    size_t length = align_up(offset + BLOCK_HEADER_SIZE + n, PAGE_SIZE);
    if (length != m->length) {
        if (heap->source->remap == NULL)
            return NULL;
        char *start = heap->source->remap(heap->source->context, m->start, m->length, length);
        if (start == NULL)
            return NULL;
        /* The record moved with the mapping (the old address may be gone): point its
         * neighbours at it again. */
        m = (struct heap_mapping *)(start + record);
        if (m->prev != NULL)
            m->prev->next = m;
        else
            heap->mappings = m;
        if (m->next != NULL)
            m->next->prev = m;
        m->start = start;
        m->length = length;
        b = (struct block *)(start + offset);
    }
    block_set_header(b, length - offset, BLOCK_ALLOCATED | BLOCK_MMAPPED, n);
    return block_payload(b);
}

static int is_mapped_payload(struct heap *heap, void *p)
{
    for (struct heap_mapping *m = heap->mappings; m != NULL; m = m->next) {
        if (block_payload((struct block *)(m + 1)) == p)
            return 1;
    }
    return 0;
}

/* ---- misuse: which block does a pointer belong to? ---- */

/* The allocated block whose payload is p, or NULL after reporting misuse through
 * source->abort: a pointer malloc never returned, a corrupted header, a double
 * free. `operation` names the caller in the message ("free", "realloc"). */
static struct block *lookup(struct heap *heap, void *p, const char *operation)
{
    struct block *b = block_of_payload(p);
    int known =
        ((uintptr_t)p % BLOCK_ALIGN == 0) && (heap_holds(heap, p) || is_mapped_payload(heap, p));
    if (!known) {
        heap_misuse(heap, "%s(): invalid pointer %p (not from malloc, or already unmapped)",
                    operation, p);
        return NULL;
    }
    if (!block_header_is_sound(b)) {
        /* Walk the heap to tell a block whose header was overwritten from a pointer
         * into the middle of something. */
        if (heap_contains_block(heap, b) || is_mapped_payload(heap, p))
            heap_misuse(heap, "%s(): corrupted header before %p (overflow of the block before?)",
                        operation, p);
        else if (small_run_was_released(heap, p))
            heap_misuse(heap, "%s(): double free of %p (its run of small blocks is gone already)",
                        operation, p);
        else
            heap_misuse(heap, "%s(): invalid pointer %p (not from malloc)", operation, p);
        return NULL;
    }
    if (!block_is_allocated(b)) {
        heap_misuse(heap, "%s(): double free of %p", operation, p);
        return NULL;
    }
    return b;
}

/* ---- the allocator's operations ---- */

/* The payload bytes a block can hold: everything but its tags. */
static size_t usable(struct block *b)
{
    return block_size(b) - (block_is_mmapped(b) ? BLOCK_HEADER_SIZE : BLOCK_OVERHEAD);
}

void *heap_malloc(struct heap *heap, size_t n)
{
    if (n > REQUEST_MAX)
        return NULL;
    if (n <= heap->small_max)
        return small_malloc(heap, n);
    if (n >= MALLOC_MMAP_THRESHOLD)
        return map_block(heap, n, BLOCK_ALIGN);
    struct want want = { .size = block_size_for(n), .alignment = BLOCK_ALIGN };
    struct block *b = heap_take(heap, &want, n);
    return b == NULL ? NULL : block_payload(b);
}

void heap_free(struct heap *heap, void *p)
{
    if (p == NULL)
        return;
    struct run *run = small_run_of(heap, p);
    if (run != NULL) {
        if (small_slot_in_use(heap, run, p, "free"))
            small_free(heap, run, p);
        return;
    }
    struct block *b = lookup(heap, p, "free");
    if (b == NULL)
        return;
    if (block_is_mmapped(b))
        unmap_block(heap, b);
    else
        heap_release(heap, b);
}

void *heap_calloc(struct heap *heap, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL; /* count * size would wrap around: a classic security bug */
    void *p = heap_malloc(heap, count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

/* realloc by moving: a new block, the contents (old_size bytes of them) copied,
 * the old block freed. */
static void *move(struct heap *heap, void *p, size_t old_size, size_t n)
{
    void *q = heap_malloc(heap, n);
    if (q == NULL)
        return NULL; /* the old block is left as it was, as C requires */
    memcpy(q, p, old_size < n ? old_size : n);
    heap_free(heap, p);
    return q;
}

/* realloc of a small object: it stays in its slot while n is in the same size
 * class, and moves otherwise (also when shrinking, so it stops taking a large slot). */
static void *small_realloc(struct heap *heap, struct run *run, void *p, size_t n)
{
    if (!small_slot_in_use(heap, run, p, "realloc") || n > REQUEST_MAX)
        return NULL;
    if (n <= heap->small_max && small_class(n) == small_class(run->slot_size))
        return p;
    return move(heap, p, run->slot_size, n);
}

void *heap_realloc(struct heap *heap, void *p, size_t n)
{
    if (p == NULL)
        return heap_malloc(heap, n);
    if (n == 0) { /* like glibc: free, and return NULL */
        heap_free(heap, p);
        return NULL;
    }
    struct run *run = small_run_of(heap, p);
    if (run != NULL)
        return small_realloc(heap, run, p, n);
    struct block *b = lookup(heap, p, "realloc");
    if (b == NULL || n > REQUEST_MAX)
        return NULL;
    if (block_is_mmapped(b)) {
        /* A mapped block stays mapped while it is big enough to be worth it, and
         * is resized by remapping. */
        void *q = n >= REALLOC_MAP_THRESHOLD ? remap_block(heap, b, n) : NULL;
        return q != NULL ? q : move(heap, p, usable(b), n);
    }
    size_t size = block_size_for(n);
    if (n >= MALLOC_MMAP_THRESHOLD)
        return move(heap, p, usable(b), n); /* it belongs in a mapping of its own now */
    /* Shrinking, or growing into free neighbours or the top of the heap: in place
     * (or slid down into the free block before), the spare tail split off. */
    struct block *grown = size <= block_size(b) ? b : heap_extend(heap, b, size);
    if (grown != NULL) {
        heap_place(heap, grown, size, n);
        return block_payload(grown);
    }
    /* The block has to move. A big one that keeps growing (a buffer, a vector)
     * would leave ever larger holes behind in the heap: it moves into a mapping
     * of its own instead, where from now on it grows by remapping. */
    if (n >= REALLOC_MAP_THRESHOLD) {
        void *q = map_block(heap, n, BLOCK_ALIGN);
        if (q != NULL) {
            memcpy(q, p, usable(b));
            heap_release(heap, b);
            return q;
        }
    }
    return move(heap, p, usable(b), n);
}

void *heap_aligned_alloc(struct heap *heap, size_t alignment, size_t n)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > PAGE_SIZE * 256 ||
        n > REQUEST_MAX)
        return NULL;
    if (alignment <= BLOCK_ALIGN)
        return heap_malloc(heap, n);
    if (n >= MALLOC_MMAP_THRESHOLD)
        return map_block(heap, n, alignment);
    struct want want = { .size = block_size_for(n), .alignment = alignment };
    struct block *b = heap_take(heap, &want, n);
    return b == NULL ? NULL : block_payload(b);
}

int heap_posix_memalign(struct heap *heap, void **out, size_t alignment, size_t n)
{
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0)
        return ERR_EINVAL;
    void *p = heap_aligned_alloc(heap, alignment, n);
    if (p == NULL)
        return ERR_ENOMEM;
    *out = p;
    return 0;
}

size_t heap_usable_size(struct heap *heap, void *p)
{
    if (p == NULL)
        return 0;
    struct run *run = small_run_of(heap, p);
    if (run != NULL)
        return small_slot_in_use(heap, run, p, "malloc_usable_size") ? run->slot_size : 0;
    struct block *b = lookup(heap, p, "malloc_usable_size");
    return b == NULL ? 0 : usable(b);
}
