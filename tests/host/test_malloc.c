/*
 * test_malloc.c — the user-space allocator's core (user/lib/malloc_*.c) on the host,
 * under ASan and UBSan, with a static arena standing in for brk and glibc's
 * aligned_alloc standing in for mmap. heap_check runs after every operation.
 *
 * The arena's break starts 8 bytes in, so the heap must align its own start:
 *
 *   arena  +8        +16
 *   |pad   |  pad    | prologue (32) | blocks ...             | epilogue (16) |
 *                    ^ heap.start                                            ^ heap.end
 */
#include <stdlib.h>

#include "check.h"
#include "lib/format.h"
#include "lib/string.h"
#include "user/lib/malloc_heap.h"
#include "lib/xorshift.h"

#define ARENA_SIZE (4 * 1024 * 1024)

static _Alignas(4096) char arena[ARENA_SIZE];
static size_t arena_break;
static int shrink_calls, map_calls, unmap_calls, remap_calls, abort_calls;
static char last_message[256];

static void *arena_sbrk(void *context, long increment)
{
    (void)context;
    if ((long)arena_break + increment < 0 || arena_break + increment > ARENA_SIZE)
        return NULL;
    shrink_calls += increment < 0;
    char *old = arena + arena_break;
    arena_break += increment;
    return old;
}

static void *test_map(void *context, size_t length)
{
    (void)context;
    map_calls++;
    return aligned_alloc(4096, length); /* glibc's, page-aligned like mmap */
}

static void test_unmap(void *context, void *start, size_t length)
{
    (void)context, (void)length;
    unmap_calls++;
    free(start);
}

/* Like mremap when it has to move: a new mapping, the contents copied, the old one
 * gone (so the allocator must follow its mapping record to the new place). */
static void *test_remap(void *context, void *start, size_t old_length, size_t new_length)
{
    (void)context;
    remap_calls++;
    char *moved = aligned_alloc(4096, new_length);
    memcpy(moved, start, old_length < new_length ? old_length : new_length);
    free(start);
    return moved;
}

static void record_line(void *context, const char *line)
{
    (void)context;
    vmlab_strlcpy(last_message, line, sizeof last_message);
}

/* The abort hook returns, so the operation is abandoned and the test goes on. */
static void record_abort(void *context, const char *message)
{
    abort_calls++;
    record_line(context, message);
}

static const struct heap_source arena_source = {
    .sbrk = arena_sbrk,
    .map = test_map,
    .unmap = test_unmap,
    .remap = test_remap,
    .print = record_line,
    .abort = record_abort,
};

static struct heap heap;

/* Most tests look at heap blocks and their tags, so small requests get blocks too
 * (no runs); fresh_heap_with_runs is the allocator as programs have it. */
static void fresh_heap_with_runs(enum heap_policy policy)
{
    arena_break = 8;
    shrink_calls = map_calls = unmap_calls = remap_calls = abort_calls = 0;
    last_message[0] = 0;
    heap_init(&heap, &arena_source, policy);
}

static void fresh_heap(enum heap_policy policy)
{
    fresh_heap_with_runs(policy);
    heap.small_max = 0;
}

static int contains(const char *text, const char *part)
{
    for (size_t n = strlen(part); *text != 0; text++) {
        if (strncmp(text, part, n) == 0)
            return 1;
    }
    return 0;
}

static int message_names(const char *what, void *p)
{
    char pointer[32];
    snprintf(pointer, sizeof pointer, "%p", p);
    return contains(last_message, what) && contains(last_message, pointer);
}

/* ---- the random workload ---- */

#define SLOTS 128
#define STEPS 4000

static uint64_t rng_state;

static uint64_t xorshift(void)
{
    return xorshift64(&rng_state);
}

static size_t random_size(void)
{
    uint64_t r = xorshift() % 100;
    if (r < 70)
        return xorshift() % 256;
    if (r < 98)
        return xorshift() % 8192;
    return MALLOC_MMAP_THRESHOLD + xorshift() % 65536; /* the mmap path now and then */
}

struct slot {
    unsigned char *p;
    size_t size;
    unsigned char fill;
};

static int slot_intact(const struct slot *s)
{
    for (size_t i = 0; i < s->size; i++) {
        if (s->p[i] != s->fill)
            return 0;
    }
    return 1;
}

/* One random operation on slot s; returns 0 if the contents were wrong. */
static int random_step(struct slot *s)
{
    int intact = s->p == NULL || slot_intact(s);
    uint64_t op = xorshift() % 4;
    if (s->p != NULL && op != 2) { /* free (and then, for op 3, calloc) */
        heap_free(&heap, s->p);
        s->p = NULL;
        if (op < 3)
            return intact;
    }
    size_t size = random_size();
    unsigned char *p;
    if (op == 2 && s->p != NULL) {
        p = heap_realloc(&heap, s->p, size);
        size_t kept = size < s->size ? size : s->size;
        for (size_t i = 0; i < kept && p != NULL; i++)
            intact &= p[i] == s->fill;
    } else if (op == 3) {
        p = heap_calloc(&heap, 1, size);
        for (size_t i = 0; i < size && p != NULL; i++)
            intact &= p[i] == 0;
    } else {
        p = heap_malloc(&heap, size);
    }
    if (p == NULL) { /* only realloc(p, 0) may return NULL here: it freed p */
        s->p = NULL;
        return size == 0 && op == 2 ? intact : 0;
    }
    intact &= (uintptr_t)p % 16 == 0 && heap_usable_size(&heap, p) >= size;
    *s = (struct slot){ .p = p, .size = size, .fill = (unsigned char)xorshift() };
    memset(p, s->fill, size);
    return intact;
}

static void run_workload(enum heap_policy policy, int with_runs)
{
    static struct slot slots[SLOTS];
    memset(slots, 0, sizeof slots);
    if (with_runs)
        fresh_heap_with_runs(policy);
    else
        fresh_heap(policy);
    rng_state = 0x9e3779b97f4a7c15ULL;
    for (int step = 0; step < STEPS; step++) {
        struct slot *s = &slots[xorshift() % SLOTS];
        if (!CHECK(random_step(s), "step %d: contents or alignment wrong", step) ||
            !CHECK(heap_check(&heap) == 0, "step %d: %s", step, last_message))
            break;
    }
    for (int i = 0; i < SLOTS; i++)
        heap_free(&heap, slots[i].p);
    CHECK_EQ(heap_check(&heap), 0);
    CHECK_EQ(abort_calls, 0);
    CHECK_EQ(map_calls, unmap_calls);
}

TEST(malloc_workload_first_fit)
{
    run_workload(POLICY_FIRST_FIT, 0);
    run_workload(POLICY_FIRST_FIT, 1);
}
TEST(malloc_workload_next_fit)
{
    run_workload(POLICY_NEXT_FIT, 0);
    run_workload(POLICY_NEXT_FIT, 1);
}
TEST(malloc_workload_best_fit)
{
    run_workload(POLICY_BEST_FIT, 0);
    run_workload(POLICY_BEST_FIT, 1);
}
TEST(malloc_workload_segregated)
{
    run_workload(POLICY_SEGREGATED, 0);
    run_workload(POLICY_SEGREGATED, 1);
}

TEST(malloc_policy_names)
{
    CHECK_EQ(heap_policy_from_name("first", POLICY_BEST_FIT), POLICY_FIRST_FIT);
    CHECK_EQ(heap_policy_from_name("next", POLICY_FIRST_FIT), POLICY_NEXT_FIT);
    CHECK_EQ(heap_policy_from_name("best", POLICY_FIRST_FIT), POLICY_BEST_FIT);
    CHECK_EQ(heap_policy_from_name("segregated", POLICY_FIRST_FIT), POLICY_SEGREGATED);
    CHECK_EQ(heap_policy_from_name("worst", POLICY_NEXT_FIT), POLICY_NEXT_FIT);
    CHECK_EQ(heap_policy_from_name(NULL, POLICY_BEST_FIT), POLICY_BEST_FIT);
}

/* ---- layout: splitting and coalescing ---- */

TEST(malloc_heap_start_is_aligned)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *p = heap_malloc(&heap, 1);
    CHECK_EQ((uintptr_t)heap.start % 16, 0);
    CHECK_EQ((char *)p, heap.start + HEAP_PROLOGUE_SIZE + BLOCK_HEADER_SIZE);
    CHECK_EQ(block_size(block_of_payload(p)), BLOCK_MIN_SIZE);
    CHECK_EQ(heap_usable_size(&heap, p), BLOCK_MIN_SIZE - BLOCK_OVERHEAD);
}

TEST(malloc_split_leaves_free_remainder)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *p = heap_malloc(&heap, 1000);
    struct block *b = block_of_payload(p);
    CHECK_EQ(block_size(b), 1024); /* 1000 + 24 bytes of tags, rounded to 16 */
    CHECK(!block_is_allocated(block_next(b)), "the rest of the page is free");
    CHECK_EQ(block_size(block_next(b)), HEAP_GROW_UNIT - 1024); /* the heap grew by one page */
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_split_skips_tiny_remainder)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *a = heap_malloc(&heap, 1000);
    void *guard = heap_malloc(&heap, 16);
    heap_free(&heap, a);
    void *b = heap_malloc(&heap, 1000 - 32); /* 992-byte block: 32 left, too small */
    CHECK_EQ(b, a);
    CHECK_EQ(block_size(block_of_payload(b)), 1024);
    CHECK_EQ(heap_check(&heap), 0);
    heap_free(&heap, guard);
}

TEST(malloc_coalesce_both_neighbours)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *a = heap_malloc(&heap, 100), *b = heap_malloc(&heap, 200);
    void *c = heap_malloc(&heap, 300), *guard = heap_malloc(&heap, 16);
    size_t total = block_size(block_of_payload(a)) + block_size(block_of_payload(b)) +
                   block_size(block_of_payload(c));
    heap_free(&heap, a);
    heap_free(&heap, c);
    CHECK_EQ(heap_check(&heap), 0);
    heap_free(&heap, b); /* merges with a before it and c after it */
    struct block *merged = block_of_payload(a);
    CHECK(!block_is_allocated(merged), "a's block is free");
    CHECK_EQ(block_size(merged), total);
    CHECK_EQ(block_next(merged), block_of_payload(guard));
    CHECK_EQ(heap_check(&heap), 0);
}

/* ---- realloc ---- */

TEST(malloc_realloc_grows_in_place_into_free_next)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *a = heap_malloc(&heap, 100);
    void *b = heap_malloc(&heap, 400), *guard = heap_malloc(&heap, 16);
    memset(a, 'x', 100);
    heap_free(&heap, b);
    char *grown = heap_realloc(&heap, a, 300);
    CHECK_EQ(grown, a);
    CHECK_EQ(grown[99], 'x');
    CHECK(heap_usable_size(&heap, grown) >= 300, "room for 300");
    CHECK_EQ(heap_check(&heap), 0);
    heap_free(&heap, guard);
}

TEST(malloc_realloc_shrinks_in_place)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *a = heap_malloc(&heap, 1000);
    void *guard = heap_malloc(&heap, 16);
    memset(a, 'y', 1000);
    char *shrunk = heap_realloc(&heap, a, 100);
    CHECK_EQ(shrunk, a);
    CHECK_EQ(shrunk[99], 'y');
    CHECK_EQ(block_size(block_of_payload(a)), 128);
    CHECK(!block_is_allocated(block_next(block_of_payload(a))), "the tail was freed");
    CHECK_EQ(heap_check(&heap), 0);
    heap_free(&heap, guard);
}

TEST(malloc_realloc_moves_when_next_is_taken)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *a = heap_malloc(&heap, 100);
    void *guard = heap_malloc(&heap, 16);
    memset(a, 'z', 100);
    char *moved = heap_realloc(&heap, a, 5000);
    CHECK(moved != a, "moved");
    CHECK_EQ(moved[0], 'z');
    CHECK_EQ(moved[99], 'z');
    CHECK(!block_is_allocated(block_of_payload(a)), "old block freed");
    CHECK_EQ(heap_check(&heap), 0);
    CHECK(heap_realloc(&heap, moved, 0) == NULL, "realloc to 0 frees");
    CHECK_EQ(heap_check(&heap), 0);
    heap_free(&heap, guard);
}

TEST(malloc_realloc_grows_at_the_top_of_the_heap)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *a = heap_malloc(&heap, 3000);
    memset(a, 'g', 3000);
    size_t before = (size_t)(heap.end - heap.start);
    char *grown = heap_realloc(&heap, a, 7000); /* more than the page the heap has */
    CHECK_EQ(grown, a);
    CHECK_EQ(grown[2999], 'g');
    CHECK((size_t)(heap.end - heap.start) > before, "the heap grew under the block");
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_realloc_slides_down_into_a_free_block_before)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *before = heap_malloc(&heap, 500);
    char *a = heap_malloc(&heap, 300);
    void *guard = heap_malloc(&heap, 16);
    size_t usable = heap_usable_size(&heap, a); /* all of it may hold data */
    for (size_t i = 0; i < usable; i++)
        a[i] = (char)i;
    heap_free(&heap, before);
    char *slid = heap_realloc(&heap, a, 700); /* next is taken; before + a is enough */
    CHECK_EQ(slid, before);
    int same = 1;
    for (size_t i = 0; i < usable; i++)
        same &= slid[i] == (char)i;
    CHECK(same, "the contents (all %zu usable bytes) moved with the block", usable);
    struct block *tail = block_next(block_of_payload(slid)); /* 528 + 336 - 736 bytes */
    CHECK(!block_is_allocated(tail) && block_size(tail) == 128, "the spare tail is free");
    CHECK_EQ(block_next(tail), block_of_payload(guard));
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_realloc_moves_a_growing_buffer_into_a_mapping)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *a = heap_malloc(&heap, REALLOC_MAP_THRESHOLD);
    void *guard = heap_malloc(&heap, 16), *other = heap_malloc(&heap, 5000);
    memset(a, 'm', REALLOC_MAP_THRESHOLD);
    char *mapped = heap_realloc(&heap, a, REALLOC_MAP_THRESHOLD + 100); /* next is taken */
    CHECK_EQ(map_calls, 1);
    CHECK(mapped < heap.start || mapped >= heap.end, "in a mapping of its own");
    CHECK(mapped[0] == 'm' && mapped[REALLOC_MAP_THRESHOLD - 1] == 'm', "contents copied");
    CHECK(!block_is_allocated(block_of_payload(a)), "its heap block is free");
    char *p = heap_malloc(&heap, 20000); /* a second mapping-free block between the links */
    char *bigger = heap_realloc(&heap, mapped, 100000);
    CHECK_EQ(remap_calls, 1);
    CHECK(bigger[0] == 'm' && bigger[REALLOC_MAP_THRESHOLD - 1] == 'm', "contents remapped");
    CHECK(heap_usable_size(&heap, bigger) >= 100000, "room for 100000");
    CHECK_EQ(heap_check(&heap), 0); /* the mapping record was relinked */
    char *smaller = heap_realloc(&heap, bigger, REALLOC_MAP_THRESHOLD);
    CHECK_EQ(remap_calls, 2);
    CHECK_EQ(smaller[100], 'm');
    CHECK_EQ(heap_check(&heap), 0);
    char *back = heap_realloc(&heap, smaller, 1000); /* too small for a mapping now */
    CHECK(back >= heap.start && back < heap.end, "back in the heap");
    CHECK_EQ(back[999], 'm');
    CHECK_EQ(unmap_calls, 1);
    CHECK(heap.mappings == NULL, "no mappings left");
    heap_free(&heap, back), heap_free(&heap, p), heap_free(&heap, guard), heap_free(&heap, other);
    CHECK_EQ(heap_check(&heap), 0);
}

/* ---- small objects: runs ---- */

TEST(malloc_small_objects_share_a_run)
{
    fresh_heap_with_runs(POLICY_SEGREGATED);
    char *first = heap_malloc(&heap, 48);
    /* The first run is the heap's first block: its slots follow the run header. */
    CHECK_EQ(first, heap_origin(&heap) + RUN_HEADER_SIZE);
    char *prev = first;
    for (int i = 1; i < 50; i++) {
        char *p = heap_malloc(&heap, 40 + i % 9); /* 41..48: all in the 48-byte class */
        CHECK_EQ(p, prev + 48);                   /* no header between them */
        prev = p;
    }
    CHECK_EQ(heap_usable_size(&heap, first), 48);
    CHECK((size_t)(heap.end - heap.start) <= RUN_SIZE + 64, "one run: heap %zu bytes",
          (size_t)(heap.end - heap.start));
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_small_run_goes_back_when_empty)
{
    fresh_heap_with_runs(POLICY_SEGREGATED);
    size_t per_run = RUN_SLOT_SPACE / 16;
    void *p[300];
    for (size_t i = 0; i < per_run + 10; i++)
        p[i] = heap_malloc(&heap, 16); /* one full run and ten in a second */
    CHECK(block_is_run(block_of_payload(heap_origin(&heap))), "the first block is a run");
    for (size_t i = 0; i < per_run; i++)
        heap_free(&heap, p[i]); /* the first run is now empty */
    CHECK(!block_is_allocated(block_of_payload(heap_origin(&heap))), "its block is free");
    CHECK_EQ(heap_check(&heap), 0);
    void *again = heap_malloc(&heap, 16);
    CHECK(again > p[per_run - 1], "the slot comes from the run still in use");
    heap_free(&heap, again);
    for (size_t i = per_run; i < per_run + 10; i++)
        heap_free(&heap, p[i]);
    CHECK(heap.runs[0] == NULL, "no runs left");
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_small_realloc_stays_in_its_class)
{
    fresh_heap_with_runs(POLICY_SEGREGATED);
    char *a = heap_malloc(&heap, 20);
    memcpy(a, "twenty bytes here..", 20);
    CHECK_EQ(heap_realloc(&heap, a, 32), a); /* 17..32: the same class */
    char *b = heap_realloc(&heap, a, 60);
    CHECK(b != a && memcmp(b, "twenty bytes here..", 20) == 0, "moved to 64 with contents");
    char *c = heap_realloc(&heap, b, 2000);
    CHECK(!block_is_run(block_of_payload(c)) && memcmp(c, "twenty bytes here..", 20) == 0,
          "moved to a heap block with contents");
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_small_misuse_is_reported)
{
    fresh_heap_with_runs(POLICY_SEGREGATED);
    char *a = heap_malloc(&heap, 48), *b = heap_malloc(&heap, 48);
    heap_free(&heap, a);
    heap_free(&heap, a);
    CHECK(message_names("double free", a), "message: %s", last_message);
    heap_free(&heap, b + 16); /* inside b, not at a slot's start */
    CHECK(message_names("invalid pointer", b + 16), "message: %s", last_message);
    CHECK(contains(last_message, "48-byte"), "names the class: %s", last_message);
    CHECK_EQ(abort_calls, 2);
    CHECK_EQ(heap_check(&heap), 0);
    heap_free(&heap, b); /* the run is empty now and goes back to the heap */
    heap_free(&heap, b);
    CHECK(message_names("double free", b), "after the run went: %s", last_message);
    CHECK_EQ(abort_calls, 3);
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_check_finds_a_damaged_run)
{
    fresh_heap_with_runs(POLICY_SEGREGATED);
    char *a = heap_malloc(&heap, 32);
    struct run *run = small_run_of(&heap, a);
    CHECK(run != NULL, "a is in a run");
    run->free_map[0] |= 1; /* a's slot marked free behind the allocator's back */
    CHECK_EQ(heap_check(&heap), -1);
    CHECK(contains(last_message, "run"), "check says: %s", last_message);
}

/* ---- alignment, calloc ---- */

TEST(malloc_aligned_alloc_16_to_4096)
{
    fresh_heap(POLICY_BEST_FIT);
    for (size_t alignment = 16; alignment <= 4096; alignment *= 2) {
        char *p = heap_aligned_alloc(&heap, alignment, 100);
        CHECK(p != NULL && (uintptr_t)p % alignment == 0, "alignment %zu: %p", alignment,
              (void *)p);
        memset(p, 1, 100);
        CHECK_EQ(heap_check(&heap), 0);
    }
    CHECK(heap_aligned_alloc(&heap, 24, 10) == NULL, "24 is not a power of two");
    void *big = heap_aligned_alloc(&heap, 4096, MALLOC_MMAP_THRESHOLD);
    CHECK_EQ((uintptr_t)big % 4096, 0);
    heap_free(&heap, big);
    void *q = NULL;
    CHECK_EQ(heap_posix_memalign(&heap, &q, 12, 8), 22); /* EINVAL */
    CHECK_EQ(heap_posix_memalign(&heap, &q, 64, 8), 0);
    CHECK_EQ((uintptr_t)q % 64, 0);
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_calloc_overflow_and_zeros)
{
    fresh_heap(POLICY_FIRST_FIT);
    CHECK(heap_calloc(&heap, SIZE_MAX / 2, 3) == NULL, "overflow refused");
    CHECK(heap_calloc(&heap, (size_t)1 << 33, (size_t)1 << 33) == NULL, "2^66 refused");
    char *p = heap_malloc(&heap, 500);
    memset(p, 0xaa, 500);
    heap_free(&heap, p);
    char *z = heap_calloc(&heap, 50, 10);
    int zeros = 1;
    for (int i = 0; i < 500; i++)
        zeros &= z[i] == 0;
    CHECK(zeros, "calloc's memory is zero");
}

/* ---- growing, trimming, mapping ---- */

TEST(malloc_mmap_threshold)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *below = heap_malloc(&heap, MALLOC_MMAP_THRESHOLD - 1);
    CHECK_EQ(map_calls, 0);
    CHECK(below >= heap.start && below < heap.end, "from the heap");
    char *large = heap_malloc(&heap, MALLOC_MMAP_THRESHOLD);
    CHECK_EQ(map_calls, 1);
    CHECK(large < heap.start || large >= heap.end, "its own mapping");
    memset(large, 7, MALLOC_MMAP_THRESHOLD);
    CHECK(heap_usable_size(&heap, large) >= MALLOC_MMAP_THRESHOLD, "usable size");
    CHECK_EQ(heap_check(&heap), 0);
    heap_free(&heap, large);
    CHECK_EQ(unmap_calls, 1);
    CHECK(heap.mappings == NULL, "no mappings left");
    heap_free(&heap, below);
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_trims_top_of_heap)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *blocks[100];
    for (int i = 0; i < 100; i++)
        blocks[i] = heap_malloc(&heap, 8000);
    size_t grown = (size_t)(heap.end - heap.start);
    CHECK(grown > 800000, "heap grew to %zu", grown);
    for (int i = 0; i < 100; i++)
        heap_free(&heap, blocks[i]);
    CHECK(shrink_calls > 0, "the shrink callback was called");
    CHECK((size_t)(heap.end - heap.start) < HEAP_TRIM_THRESHOLD, "heap now %zu",
          (size_t)(heap.end - heap.start));
    CHECK_EQ(heap_check(&heap), 0);
    CHECK(heap_malloc(&heap, 50000) != NULL, "grows again");
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_out_of_memory_returns_null)
{
    fresh_heap(POLICY_FIRST_FIT);
    int got = 0;
    while (heap_malloc(&heap, 100000) != NULL)
        got++;
    CHECK(got > 30, "%d blocks of 100000 from a 4 MiB arena", got);
    CHECK_EQ(heap_check(&heap), 0);
}

/* ---- misuse ---- */

TEST(malloc_detects_double_free)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *a = heap_malloc(&heap, 64), *b = heap_malloc(&heap, 64);
    heap_free(&heap, a);
    heap_free(&heap, a);
    CHECK_EQ(abort_calls, 1);
    CHECK(message_names("double free", a), "message: %s", last_message);
    heap_free(&heap, b); /* b merges with a: a's stale header still says free */
    heap_free(&heap, b);
    CHECK_EQ(abort_calls, 2);
    CHECK(message_names("double free", b), "message: %s", last_message);
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_detects_invalid_pointers)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *a = heap_malloc(&heap, 256);
    char local[32];
    heap_free(&heap, local + 16);
    CHECK(message_names("invalid pointer", local + 16), "message: %s", last_message);
    heap_free(&heap, a + 64); /* the middle of a block */
    CHECK(message_names("invalid pointer", a + 64), "message: %s", last_message);
    heap_free(&heap, a + 3);
    CHECK(message_names("invalid pointer", a + 3), "message: %s", last_message);
    CHECK_EQ(abort_calls, 3);
    CHECK_EQ(heap_check(&heap), 0);
}

TEST(malloc_detects_corrupted_header)
{
    fresh_heap(POLICY_FIRST_FIT);
    char *a = heap_malloc(&heap, 40), *b = heap_malloc(&heap, 40);
    /* Overflow a by 16 bytes: over its footer and into b's size. */
    memset(a, 'A', heap_usable_size(&heap, a) + 16);
    heap_free(&heap, b);
    CHECK_EQ(abort_calls, 1);
    CHECK(message_names("corrupted header", b), "message: %s", last_message);
    CHECK_EQ(heap_check(&heap), -1);
    CHECK(contains(last_message, "malloc_check"), "check says: %s", last_message);
}

TEST(malloc_check_finds_uncoalesced_neighbours)
{
    fresh_heap(POLICY_FIRST_FIT);
    void *a = heap_malloc(&heap, 64), *b = heap_malloc(&heap, 64);
    heap_malloc(&heap, 64);
    heap_free(&heap, a);
    struct block *bb = block_of_payload(b); /* mark b free behind the allocator's back */
    block_set_tags(bb, block_size(bb), 0, 0);
    CHECK_EQ(heap_check(&heap), -1);
    CHECK(contains(last_message, "adjacent"), "check says: %s", last_message);
}

TEST(malloc_stats_prints_figures)
{
    fresh_heap(POLICY_SEGREGATED);
    heap_malloc(&heap, 10);
    heap_stats(&heap);
    CHECK(contains(last_message, "fragmentation: internal"), "last line: %s", last_message);
}
