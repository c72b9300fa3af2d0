/*
 * test_slab.c — mm/slab.c (one page cut into equal objects) on the host, under
 * ASan and UBSan.
 *
 * Each test formats its own page-aligned 4 KiB buffer as a slab. The header takes
 * the first 64 bytes; objects start at max(64, size), aligned to their size:
 *
 *   size   first object   capacity = (4096 - first) / size
 *     16        64            252
 *     32        64            126
 *     64        64             63
 *    128       128             31
 *    256       256             15
 *    512       512              7
 *   1024      1024              3
 */
#include "check.h"
#include "kernel_shim.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "lib/xorshift.h"

#define CLASS_COUNT 7
#define HEADER_ROOM 64

static const struct {
    size_t size;
    size_t first_offset;
    size_t capacity;
} classes[CLASS_COUNT] = {
    { 16, 64, 252 },  { 32, 64, 126 }, { 64, 64, 63 },    { 128, 128, 31 },
    { 256, 256, 15 }, { 512, 512, 7 }, { 1024, 1024, 3 },
};

static _Alignas(SLAB_SIZE) uint8_t page[SLAB_SIZE];
static struct slab *const slab = (struct slab *)page;

static void *objects[SLAB_MAX_OBJECTS];

/* Allocate until the slab says full; returns how many objects came out. */
static size_t fill(void)
{
    size_t n = 0;
    void *object;
    while (n < SLAB_MAX_OBJECTS && (object = slab_alloc(slab)) != NULL)
        objects[n++] = object;
    return n;
}

/* ---- layout ---- */

TEST(slab_init_header_fields)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        memset(page, 0xee, sizeof page);
        slab_init(slab, classes[c].size);
        CHECK_EQ(slab->magic, SLAB_MAGIC);
        CHECK_EQ(slab->object_size, classes[c].size);
        CHECK_EQ(slab->first_offset, classes[c].first_offset);
        CHECK_EQ(slab->capacity, classes[c].capacity);
        CHECK_EQ(slab->in_use, 0);
        CHECK(slab->next == NULL, "size %zu: next not NULL", classes[c].size);
        CHECK(slab_empty(slab) && !slab_full(slab), "size %zu: a new slab is not empty",
              classes[c].size);
    }
}

TEST(slab_capacity_per_size_class)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        CHECK(fill() == classes[c].capacity, "size %zu: %u objects, expected %zu", classes[c].size,
              slab->in_use, classes[c].capacity);
    }
}

TEST(slab_objects_aligned_to_their_size)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        size_t n = fill();
        for (size_t i = 0; i < n; i++)
            CHECK((uintptr_t)objects[i] % classes[c].size == 0,
                  "size %zu: object %zu at offset %zu", classes[c].size, i,
                  (size_t)((uint8_t *)objects[i] - page));
    }
}

TEST(slab_objects_inside_page_clear_of_header)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        size_t size = classes[c].size;
        slab_init(slab, size);
        size_t n = fill();
        for (size_t i = 0; i < n; i++) {
            size_t offset = (size_t)((uint8_t *)objects[i] - page);
            CHECK(offset >= HEADER_ROOM && offset >= sizeof(struct slab) &&
                      offset + size <= SLAB_SIZE,
                  "size %zu: object %zu at [%zu, %zu)", size, i, offset, offset + size);
        }
    }
}

/* Objects a slab hands out are distinct and do not overlap. Being aligned to
 * their size, two objects overlap only if they start at the same slot, so marking
 * each object's slot (offset / size) as seen finds any overlap. */
TEST(slab_objects_distinct)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        size_t size = classes[c].size;
        static bool seen[SLAB_SIZE / SLAB_MIN_OBJECT];
        memset(seen, 0, sizeof seen);
        slab_init(slab, size);
        size_t n = fill();
        for (size_t i = 0; i < n; i++) {
            size_t slot = (size_t)((uint8_t *)objects[i] - page) / size;
            CHECK(!seen[slot], "size %zu: object at offset %zu handed out twice", size,
                  slot * size);
            seen[slot] = true;
        }
    }
}

TEST(slab_alloc_lowest_address_first)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        size_t n = fill();
        for (size_t i = 0; i < n; i++)
            CHECK(objects[i] == page + classes[c].first_offset + i * classes[c].size,
                  "size %zu: object %zu at offset %zu", classes[c].size, i,
                  (size_t)((uint8_t *)objects[i] - page));
    }
}

/* ---- full, empty, counts ---- */

TEST(slab_alloc_from_full_slab_returns_null)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        fill();
        CHECK(slab_full(slab), "size %zu: not full after %u objects", classes[c].size,
              slab->in_use);
        CHECK(slab_alloc(slab) == NULL, "size %zu: an object beyond capacity", classes[c].size);
        CHECK_EQ(slab->in_use, classes[c].capacity); /* the failure counted nothing */
    }
}

TEST(slab_in_use_counts_allocs_and_frees)
{
    slab_init(slab, 64);
    void *a = slab_alloc(slab), *b = slab_alloc(slab), *c = slab_alloc(slab);
    CHECK_EQ(slab->in_use, 3);
    slab_free(slab, b);
    CHECK_EQ(slab->in_use, 2);
    slab_free(slab, a);
    slab_free(slab, c);
    CHECK_EQ(slab->in_use, 0);
    CHECK(slab_empty(slab), "not empty after freeing every object");
}

TEST(slab_full_slab_with_one_freed_is_neither_full_nor_empty)
{
    slab_init(slab, 1024);
    fill();
    slab_free(slab, objects[1]);
    CHECK(!slab_full(slab) && !slab_empty(slab), "in_use %u of %u", slab->in_use, slab->capacity);
    CHECK(slab_alloc(slab) == objects[1], "the one free object was not handed out");
    CHECK(slab_full(slab), "not full again");
}

TEST(slab_free_all_then_refill_gives_full_capacity)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        size_t n = fill();
        for (size_t i = 0; i < n; i++)
            CHECK_EQ(slab_free(slab, objects[i]), SLAB_FREED);
        CHECK(slab_empty(slab), "size %zu: in_use %u", classes[c].size, slab->in_use);
        CHECK_EQ(fill(), classes[c].capacity);
    }
}

/* ---- reuse and poison ---- */

TEST(slab_free_then_alloc_reuses_last_freed)
{
    slab_init(slab, 32);
    void *a = slab_alloc(slab), *b = slab_alloc(slab);
    slab_alloc(slab);
    slab_free(slab, a);
    slab_free(slab, b);
    /* the free list is a stack: last freed, first reused */
    CHECK(slab_alloc(slab) == b, "expected the last freed object");
    CHECK(slab_alloc(slab) == a, "expected the one freed before");
}

TEST(slab_free_poisons_object_except_link)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        size_t size = classes[c].size;
        slab_init(slab, size);
        uint8_t *a = slab_alloc(slab), *b = slab_alloc(slab);
        memset(a, 0x11, size);
        memset(b, 0x22, size);
        slab_free(slab, a);
        slab_free(slab, b);
        size_t unpoisoned = 0;
        for (size_t i = sizeof(void *); i < size; i++)
            unpoisoned += (a[i] != SLAB_POISON) + (b[i] != SLAB_POISON);
        CHECK(unpoisoned == 0, "size %zu: %zu bytes not poisoned", size, unpoisoned);
        /* the link words: b -> a -> the next never-used object */
        CHECK(*(void **)b == a, "size %zu: freed object's link is %p, expected %p", size,
              *(void **)b, (void *)a);
        CHECK(*(void **)a == page + classes[c].first_offset + 2 * size, "size %zu: link %p", size,
              *(void **)a);
    }
}

/* ---- slab_free's verdicts ---- */

TEST(slab_free_interior_pointer_not_an_object)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        uint8_t *a = slab_alloc(slab);
        CHECK_EQ(slab_free(slab, a + 1), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab_free(slab, a + 8), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab_free(slab, a + classes[c].size - 1), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab->in_use, 1);
    }
}

TEST(slab_free_header_pointer_not_an_object)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        slab_alloc(slab);
        CHECK_EQ(slab_free(slab, page), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab_free(slab, page + 16), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab_free(slab, page + classes[c].first_offset - 16), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab->magic, SLAB_MAGIC); /* the header was not poisoned */
        CHECK_EQ(slab->in_use, 1);
    }
}

TEST(slab_free_pointer_outside_page_not_an_object)
{
    static _Alignas(SLAB_SIZE) uint8_t pages[3 * SLAB_SIZE];
    struct slab *middle = (struct slab *)(pages + SLAB_SIZE);
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(middle, classes[c].size);
        slab_alloc(middle);
        /* one object-size before the page, the next page's start, and its first
         * object slot if it were a slab of the same size */
        CHECK_EQ(slab_free(middle, pages + SLAB_SIZE - classes[c].size), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab_free(middle, pages + 2 * SLAB_SIZE), SLAB_NOT_AN_OBJECT);
        CHECK_EQ(slab_free(middle, pages + 2 * SLAB_SIZE + classes[c].first_offset),
                 SLAB_NOT_AN_OBJECT);
        CHECK_EQ(middle->in_use, 1);
    }
}

TEST(slab_free_twice_is_double_free)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        slab_init(slab, classes[c].size);
        void *a = slab_alloc(slab);
        slab_alloc(slab);
        CHECK_EQ(slab_free(slab, a), SLAB_FREED);
        CHECK_EQ(slab_free(slab, a), SLAB_DOUBLE_FREE);
        CHECK_EQ(slab->in_use, 1);
        /* the free list was not corrupted: a comes back once, then a fresh object */
        CHECK(slab_alloc(slab) == a, "size %zu: freed object not reused", classes[c].size);
        CHECK(slab_alloc(slab) != a, "size %zu: object handed out twice", classes[c].size);
    }
}

TEST(slab_free_never_allocated_is_double_free)
{
    slab_init(slab, 128);
    CHECK_EQ(slab_free(slab, page + 128), SLAB_DOUBLE_FREE);
    CHECK_EQ(slab->in_use, 0);
}

/* ---- bad sizes ---- */

/* True if slab_init(slab, size) panics; a function of its own, so that
 * EXPECT_PANIC's setjmp is not inside the caller's loop. */
static bool init_panics(size_t size)
{
    return EXPECT_PANIC(slab_init(slab, size));
}

TEST(slab_init_bad_size_panics)
{
    static const size_t bad[] = { 0, 1, 8, 15, 17, 24, 48, 100, 1000, 1023, 1025, 2048, 4096 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(init_panics(bad[i]), "slab_init(%zu) did not panic", bad[i]);
        CHECK(shim_panic_message[0] != '\0', "no message");
    }
    CHECK(init_panics(48), "slab_init(48) did not panic");
    CHECK_STR(shim_panic_message, "slab_init: bad object size 48");
}

/* ---- a random workload ---- */

static uint64_t rng_state;

/* The same sequence on every run. */
static uint64_t rng_next(void)
{
    return xorshift64(&rng_state);
}

/* The byte at offset i of the object holding value tag. */
static uint8_t pattern(uint32_t tag, size_t i)
{
    return (uint8_t)(tag * 31 + i * 7 + (i >> 8));
}

/* Fill or verify an object; returns the first wrong offset, or size if none. */
static size_t verify(const uint8_t *object, size_t size, uint32_t tag)
{
    for (size_t i = 0; i < size; i++) {
        if (object[i] != pattern(tag, i))
            return i;
    }
    return size;
}

static void stamp(uint8_t *object, size_t size, uint32_t tag)
{
    for (size_t i = 0; i < size; i++)
        object[i] = pattern(tag, i);
}

/* Random allocs and frees (biased 60:40 toward allocating), every object filled
 * with a pattern of its allocation number and checked before it is freed; the
 * live count must always equal in_use. */
TEST(slab_random_workload_keeps_contents)
{
    for (size_t c = 0; c < CLASS_COUNT; c++) {
        size_t size = classes[c].size, capacity = classes[c].capacity, live = 0;
        static uint8_t *live_objects[SLAB_MAX_OBJECTS];
        static uint32_t tags[SLAB_MAX_OBJECTS];
        uint32_t next_tag = 1;
        bool ok = true;
        rng_state = 0x9e3779b97f4a7c15ull + c;
        slab_init(slab, size);
        for (int op = 0; op < 20000 && ok; op++) {
            bool allocate = live == 0 || (live < capacity && rng_next() % 10 < 6);
            if (allocate) {
                uint8_t *object = slab_alloc(slab);
                ok = CHECK(object != NULL, "size %zu, op %d: NULL with %zu of %zu live", size, op,
                           live, capacity);
                if (!ok)
                    break;
                stamp(object, size, next_tag);
                live_objects[live] = object;
                tags[live++] = next_tag++;
            } else {
                size_t i = rng_next() % live;
                size_t wrong = verify(live_objects[i], size, tags[i]);
                ok = CHECK(wrong == size, "size %zu, op %d: object %u changed at byte %zu", size,
                           op, tags[i], wrong) &&
                     CHECK_EQ(slab_free(slab, live_objects[i]), SLAB_FREED);
                live_objects[i] = live_objects[--live];
                tags[i] = tags[live];
            }
            ok = ok && CHECK_EQ(slab->in_use, live);
        }
        if (!ok)
            continue;
        CHECK(slab_full(slab) == (live == capacity), "size %zu: slab_full wrong", size);
        for (size_t i = 0; i < live; i++) {
            size_t wrong = verify(live_objects[i], size, tags[i]);
            CHECK(wrong == size, "size %zu: object %u changed at byte %zu", size, tags[i], wrong);
        }
        CHECK_EQ(slab->magic, SLAB_MAGIC);
    }
}
