/*
 * malloc_small.c — runs of equal slots for small requests (see malloc_small.h).
 *
 * Each size class has a list of its runs that still have a free slot. malloc takes
 * the lowest free slot of the first run on its class's list (a new run comes from
 * the heap when the list is empty); free sets the slot's bit again. A run whose
 * slots are all free goes back to the heap as an ordinary free block, unless it is
 * the last run of its class: a program that frees and mallocs one object in a loop
 * should not make and unmake a run each time.
 */
#include "malloc_small.h"

#include "malloc_heap.h"

_Static_assert(sizeof(struct run) <= RUN_HEADER_SIZE, "the run header fits before the first slot");

static uint32_t run_checksum(const struct run *run)
{
    return checksum64((uintptr_t)run ^ ((uint64_t)run->slot_size << 48) ^
                      ((uint64_t)run->slots << 32));
}

static char *slot_address(struct run *run, size_t index)
{
    return (char *)run + RUN_HEADER_SIZE + index * run->slot_size;
}

/* ---- the class lists ---- */

static void run_list_insert(struct heap *heap, struct run *run)
{
    struct run **head = &heap->runs[small_class(run->slot_size)];
    run->prev = NULL;
    run->next = *head;
    if (*head != NULL)
        (*head)->prev = run;
    *head = run;
}

static void run_list_remove(struct heap *heap, struct run *run)
{
    if (run->prev != NULL)
        run->prev->next = run->next;
    else
        heap->runs[small_class(run->slot_size)] = run->next;
    if (run->next != NULL)
        run->next->prev = run->prev;
}

/* ---- making and unmaking runs ---- */

/* A new run of slot_size slots, all free, on its class's list; NULL if the heap
 * has no memory left. */
static struct run *run_create(struct heap *heap, size_t slot_size)
{
    char *origin = heap_origin(heap);
    if (origin == NULL)
        return NULL;
    /* On the grid: RUN_SIZE apart, counted from the first block's payload, so the
     * first run can be the heap's first block and runs made in a row touch. */
    struct want want = { .size = RUN_SIZE,
                         .alignment = RUN_SIZE,
                         .offset = (uintptr_t)origin % RUN_SIZE };
    struct block *b = heap_take(heap, &want, RUN_SIZE);
    if (b == NULL)
        return NULL;
    block_set_tags(b, block_size(b), BLOCK_ALLOCATED | BLOCK_RUN, RUN_SIZE);
    struct run *run = run_of_block(b);
    size_t slots = RUN_SLOT_SPACE / slot_size;
    *run = (struct run){ .slot_size = (uint16_t)slot_size,
                         .slots = (uint16_t)slots,
                         .free_count = (uint16_t)slots };
    for (size_t i = 0; i < slots; i++)
        run->free_map[i / 64] |= 1ULL << (i % 64);
    run->check = run_checksum(run);
    run_list_insert(heap, run);
    return run;
}

static void run_destroy(struct heap *heap, struct run *run)
{
    run_list_remove(heap, run);
    run->check = 0; /* the memory is no longer a run: let no pointer into it say so */
    heap_release(heap, block_of_payload(run));
}

/* ---- slots ---- */

void *small_malloc(struct heap *heap, size_t n)
{
    size_t class = small_class(n);
    struct run *run = heap->runs[class];
    if (run == NULL && (run = run_create(heap, (class + 1) * SMALL_GRANULE)) == NULL)
        return NULL;
    size_t word = 0;
    while (run->free_map[word] == 0)
        word++; /* the run is on the list, so some bit is set */
    size_t bit = (size_t)__builtin_ctzll(run->free_map[word]);
    run->free_map[word] &= ~(1ULL << bit);
    if (--run->free_count == 0)
        run_list_remove(heap, run); /* full: nothing more to find here */
    return slot_address(run, word * 64 + bit);
}

/* Where the run holding p would start: p rounded down to the grid of runs. */
static char *grid_point(struct heap *heap, void *p)
{
    char *origin = heap->start + HEAP_PROLOGUE_SIZE + BLOCK_HEADER_SIZE;
    return origin + (((char *)p - origin) & ~(ptrdiff_t)(RUN_SIZE - 1));
}

struct run *small_run_of(struct heap *heap, void *p)
{
    if (!heap_holds(heap, p))
        return NULL;
    char *start = grid_point(heap, p);
    /* Both the heap block's header (flag R) and the run's own checksum must agree:
     * bytes a program stored in some other block do not pass for a run by chance. */
    struct block *b = block_of_payload(start);
    struct run *run = (struct run *)start;
    if (!block_is_run(b) || !block_is_allocated(b) || !block_header_is_sound(b) ||
        run->check != run_checksum(run))
        return NULL;
    return run;
}

int small_run_was_released(struct heap *heap, void *p)
{
    if (!heap_holds(heap, p))
        return 0;
    /* run_destroy left the run's block header behind with "free" tags (heap_release
     * writes them before coalescing), as long as nothing has reused the memory. */
    char *start = grid_point(heap, p);
    struct block *b = block_of_payload(start);
    return (char *)p >= start + RUN_HEADER_SIZE && (char *)p < (char *)b + RUN_SIZE &&
           block_header_is_sound(b) && !block_is_allocated(b);
}

/* The slot index of p in run, or -1 if p is not the start of a slot. */
static long slot_index(struct run *run, void *p)
{
    char *first = slot_address(run, 0);
    if ((char *)p < first)
        return -1;
    size_t offset = (size_t)((char *)p - first);
    if (offset % run->slot_size != 0 || offset / run->slot_size >= run->slots)
        return -1;
    return (long)(offset / run->slot_size);
}

static int slot_is_free(struct run *run, size_t index)
{
    return (run->free_map[index / 64] >> (index % 64)) & 1;
}

int small_slot_in_use(struct heap *heap, struct run *run, void *p, const char *operation)
{
    long index = slot_index(run, p);
    if (index < 0) {
        heap_misuse(heap,
                    "%s(): invalid pointer %p (inside a run of %u-byte blocks, not at one's start)",
                    operation, p, run->slot_size);
        return 0;
    }
    if (slot_is_free(run, (size_t)index)) {
        heap_misuse(heap, "%s(): double free of %p", operation, p);
        return 0;
    }
    return 1;
}

void small_free(struct heap *heap, struct run *run, void *p)
{
    size_t index = (size_t)slot_index(run, p);
    run->free_map[index / 64] |= 1ULL << (index % 64);
    if (run->free_count++ == 0)
        run_list_insert(heap, run); /* it has a free slot again */
    if (run->free_count == run->slots)
        run_destroy(heap, run);
}

/* ---- the checker's part ---- */

static int count_free_bits(const struct run *run)
{
    int count = 0;
    for (size_t w = 0; w < RUN_MAP_WORDS; w++)
        count += __builtin_popcountll(run->free_map[w]);
    return count;
}

int small_check_run(struct heap *heap, struct block *b)
{
    struct run *run = run_of_block(b);
    int sound = grid_point(heap, run) == (char *)run && run->check == run_checksum(run) &&
                block_size(b) >= RUN_SIZE && run->slot_size != 0 &&
                run->slot_size % SMALL_GRANULE == 0 && run->slot_size <= SMALL_MAX &&
                run->slots == RUN_SLOT_SPACE / run->slot_size;
    if (!sound) {
        heap_printf(heap, "malloc_check: run %p: header damaged", (void *)run);
        return -1;
    }
    if (count_free_bits(run) != run->free_count || run->free_count > run->slots) {
        heap_printf(heap, "malloc_check: run %p: %u free slots counted, %d in the bitmap",
                    (void *)run, run->free_count, count_free_bits(run));
        return -1;
    }
    for (size_t i = run->slots; i < RUN_MAP_WORDS * 64; i++) {
        if (slot_is_free(run, i)) {
            heap_printf(heap, "malloc_check: run %p: bit %zu set past the last slot", (void *)run,
                        i);
            return -1;
        }
    }
    return 0;
}

int small_check_lists(struct heap *heap, size_t runs_with_free)
{
    size_t listed = 0;
    for (size_t class = 0; class < SMALL_CLASSES; class ++) {
        struct run *prev = NULL;
        for (struct run *run = heap->runs[class]; run != NULL; prev = run, run = run->next) {
            if (++listed > runs_with_free || small_run_of(heap, run + 1) != run ||
                run->prev != prev || small_class(run->slot_size) != class || run->free_count == 0) {
                heap_printf(heap,
                            "malloc_check: run list %zu: %p is not a run with a free slot of "
                            "this class, is linked wrongly, or the list is too long",
                            class, (void *)run);
                return -1;
            }
        }
    }
    if (listed != runs_with_free) {
        heap_printf(heap, "malloc_check: %zu runs have a free slot, %zu are on the lists",
                    runs_with_free, listed);
        return -1;
    }
    return 0;
}
