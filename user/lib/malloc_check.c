/*
 * malloc_check.c — the allocator checks itself: an invariant checker that walks
 * every block and every free list, and statistics on fragmentation.
 *
 * The invariants (each broken one is printed with the block's address):
 *   - every header's checksum is right, and its footer repeats it
 *   - every block is 16-byte aligned, at least BLOCK_MIN_SIZE, and inside the heap
 *   - the walk by sizes lands exactly on the epilogue
 *   - no two free blocks are adjacent (coalescing would have merged them)
 *   - the free lists hold exactly the free blocks, each on its size class's list,
 *     with next and prev links that agree
 *   - every mapped block's header is sound and marked mapped
 *   - every run (small slots) has a sound header and a bitmap that agrees with its
 *     count, and the class lists hold exactly the runs with a free slot
 */
#include "malloc_heap.h"

#include <stdint.h>

#define PERCENT(part, whole) ((whole) == 0 ? 0 : (unsigned)((part)*100 / (whole)))

/* Check one heap block's tags; print and return -1 if they are wrong. */
static int check_block(struct heap *heap, struct block *b)
{
    struct block *top = (struct block *)(heap->end - HEAP_EPILOGUE_SIZE);
    if ((uintptr_t)b % BLOCK_ALIGN != 0 || !block_header_is_sound(b)) {
        heap_printf(heap, "malloc_check: block %p: header checksum wrong (corrupted)", (void *)b);
        return -1;
    }
    size_t size = block_size(b);
    if (size < BLOCK_MIN_SIZE || size % BLOCK_ALIGN != 0 ||
        size > (size_t)((char *)top - (char *)b)) {
        heap_printf(heap, "malloc_check: block %p: bad size %zu", (void *)b, size);
        return -1;
    }
    if (*block_footer(b) != b->size_and_flags || block_is_mmapped(b)) {
        heap_printf(heap, "malloc_check: block %p: footer 0x%lx does not match header 0x%lx",
                    (void *)b, (unsigned long)*block_footer(b), (unsigned long)b->size_and_flags);
        return -1;
    }
    return 0;
}

/* Walk the heap from the prologue to the epilogue; counts the free blocks and the
 * runs that have a free slot. */
static int check_heap_walk(struct heap *heap, size_t *free_blocks, size_t *runs_with_free)
{
    struct block *prologue = (struct block *)heap->start;
    if (!block_header_is_sound(prologue) || block_size(prologue) != HEAP_PROLOGUE_SIZE ||
        !block_is_allocated(prologue)) {
        heap_printf(heap, "malloc_check: prologue at %p damaged", (void *)prologue);
        return -1;
    }
    struct block *top = (struct block *)(heap->end - HEAP_EPILOGUE_SIZE);
    int previous_free = 0;
    for (struct block *b = block_next(prologue); b != top; b = block_next(b)) {
        if (check_block(heap, b) != 0)
            return -1;
        if (block_is_run(b)) {
            if (small_check_run(heap, b) != 0)
                return -1;
            *runs_with_free += run_of_block(b)->free_count != 0;
        }
        int is_free = !block_is_allocated(b);
        if (is_free && previous_free) {
            heap_printf(heap, "malloc_check: free blocks %p and %p are adjacent (not coalesced)",
                        (void *)block_prev(b), (void *)b);
            return -1;
        }
        *free_blocks += is_free;
        previous_free = is_free;
    }
    if (!block_header_is_sound(top) || block_size(top) != 0 || !block_is_allocated(top)) {
        heap_printf(heap, "malloc_check: epilogue at %p damaged", (void *)top);
        return -1;
    }
    return 0;
}

/* Is b a free block lying inside the heap (safe to read before trusting it)? */
static int is_free_heap_block(struct heap *heap, struct block *b)
{
    char *c = (char *)b;
    return c >= heap->start + HEAP_PROLOGUE_SIZE && c < heap->end - HEAP_EPILOGUE_SIZE &&
           (uintptr_t)b % BLOCK_ALIGN == 0 && block_header_is_sound(b) && !block_is_allocated(b);
}

/* Walk every free list; the lists must hold exactly free_blocks blocks. */
static int check_free_lists(struct heap *heap, size_t free_blocks)
{
    size_t listed = 0;
    for (size_t index = 0; index < HEAP_SIZE_CLASSES; index++) {
        struct block *prev = NULL;
        for (struct block *b = heap->free_lists[index]; b != NULL; prev = b, b = b->next) {
            if (++listed > free_blocks || !is_free_heap_block(heap, b) || b->prev != prev) {
                heap_printf(heap,
                            "malloc_check: free list %zu: %p is not a free block, "
                            "is linked wrongly, or the list has more blocks than the heap (%zu)",
                            index, (void *)b, free_blocks);
                return -1;
            }
            if (heap_list_index(heap, block_size(b)) != index) {
                heap_printf(heap, "malloc_check: free block %p (%zu bytes) on list %zu", (void *)b,
                            block_size(b), index);
                return -1;
            }
        }
    }
    if (listed != free_blocks) {
        heap_printf(heap, "malloc_check: %zu free blocks in the heap, %zu on the free lists",
                    free_blocks, listed);
        return -1;
    }
    if (heap->rover != NULL && !is_free_heap_block(heap, heap->rover)) {
        heap_printf(heap, "malloc_check: next-fit rover %p is not a free block",
                    (void *)heap->rover);
        return -1;
    }
    return 0;
}

static int check_mappings(struct heap *heap)
{
    struct heap_mapping *prev = NULL;
    for (struct heap_mapping *m = heap->mappings; m != NULL; prev = m, m = m->next) {
        struct block *b = (struct block *)(m + 1);
        if (m->prev != prev || !block_header_is_sound(b) || !block_is_mmapped(b) ||
            !block_is_allocated(b)) {
            heap_printf(heap, "malloc_check: mapped block %p: header or links damaged",
                        block_payload(b));
            return -1;
        }
    }
    return 0;
}

int heap_check(struct heap *heap)
{
    size_t free_blocks = 0, runs_with_free = 0;
    if (heap->start != NULL) {
        if (check_heap_walk(heap, &free_blocks, &runs_with_free) != 0 ||
            check_free_lists(heap, free_blocks) != 0 ||
            small_check_lists(heap, runs_with_free) != 0)
            return -1;
    }
    return check_mappings(heap);
}

/* ---- statistics ---- */

struct heap_figures {
    size_t used_blocks, used_bytes, requested_bytes;
    size_t free_blocks, free_bytes, largest_free;
    size_t mapped_blocks, mapped_bytes;
    size_t runs, slots, slots_used, slot_bytes_used;
};

/* Count a run block: its slots in use; the block itself is not "requested". */
static void measure_run(struct heap_figures *f, struct block *b)
{
    struct run *run = run_of_block(b);
    f->runs++;
    f->slots += run->slots;
    f->slots_used += (size_t)(run->slots - run->free_count);
    f->slot_bytes_used += (size_t)(run->slots - run->free_count) * run->slot_size;
}

static struct heap_figures measure(struct heap *heap)
{
    struct heap_figures f = { 0 };
    if (heap->start != NULL) {
        struct block *top = (struct block *)(heap->end - HEAP_EPILOGUE_SIZE);
        for (struct block *b = (struct block *)(heap->start + HEAP_PROLOGUE_SIZE); b < top;
             b = block_next(b)) {
            if (block_is_run(b)) {
                measure_run(&f, b);
            } else if (block_is_allocated(b)) {
                f.used_blocks++;
                f.used_bytes += block_size(b);
                f.requested_bytes += b->requested;
            } else {
                f.free_blocks++;
                f.free_bytes += block_size(b);
                if (block_size(b) > f.largest_free)
                    f.largest_free = block_size(b);
            }
        }
    }
    for (struct heap_mapping *m = heap->mappings; m != NULL; m = m->next) {
        f.mapped_blocks++;
        f.mapped_bytes += m->length;
    }
    return f;
}

void heap_stats(struct heap *heap)
{
    struct heap_figures f = measure(heap);
    size_t heap_size = heap->start == NULL ? 0 : (size_t)(heap->end - heap->start);
    heap_printf(heap, "malloc (%s fit): heap %zu bytes, %zu mapped blocks (%zu bytes)",
                heap_policy_name(heap->policy), heap_size, f.mapped_blocks, f.mapped_bytes);
    heap_printf(heap, "  in use: %zu blocks, %zu bytes (%zu requested)", f.used_blocks,
                f.used_bytes, f.requested_bytes);
    heap_printf(heap,
                "  small:  %zu objects in %zu runs of %d bytes (%zu bytes; %u%% of the slots used)",
                f.slots_used, f.runs, RUN_SIZE, f.slot_bytes_used, PERCENT(f.slots_used, f.slots));
    heap_printf(heap, "  free:   %zu blocks, %zu bytes, largest %zu", f.free_blocks, f.free_bytes,
                f.largest_free);
    /* Internal fragmentation: bytes inside allocated blocks nobody asked for (tags,
     * rounding, remainders too small to split off). External: free memory that is
     * not in the largest free block, so a request for all of it would fail. Runs
     * are left out of both: a slot does not remember what was asked of it. */
    heap_printf(heap, "  fragmentation: internal %u%% of in-use bytes, external %u%% of free bytes",
                PERCENT(f.used_bytes - f.requested_bytes, f.used_bytes),
                PERCENT(f.free_bytes - f.largest_free, f.free_bytes));
}
