/*
 * malloc_block.h — one block of the malloc heap: its boundary tags and accessors.
 *
 * Every block in the heap is a multiple of 16 bytes and starts 16-byte aligned:
 *
 *   header (16 bytes)                       payload ...               footer (8)
 *   +------------------+----------+--------+----------------------+------------------+
 *   | size | M | A     | requested| check  |  what malloc returned | size | M | A     |
 *   +------------------+----------+--------+----------------------+------------------+
 *   ^ block            8          12       16 = the payload (16-byte aligned)   size-8
 *
 *   size       the whole block in bytes, header and footer included (low 4 bits free)
 *   A          bit 0: allocated          M  bit 1: has its own mmap (not in the heap)
 *              bit 2 (R): a run of small slots (malloc_small.h)
 *   requested  what the caller asked for (for internal-fragmentation figures)
 *   check      a checksum of the other fields and the block's address: a header that
 *              was overwritten (a buffer overflow from the block before) is caught
 *
 * The header and the footer are the *boundary tags*: from any block we can read the
 * size of the next one (our header) and of the previous one (the footer just before
 * our header), which is what makes coalescing O(1).
 *
 * A free block also keeps its free-list links at the start of its payload:
 *
 *   | header | next | prev | ...unused... | footer |
 *
 * so the smallest block is 16 + 16 + 8 bytes, rounded up to 48 (BLOCK_MIN_SIZE).
 */
#ifndef USER_LIB_MALLOC_BLOCK_H
#define USER_LIB_MALLOC_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#define BLOCK_ALIGN       16
#define BLOCK_HEADER_SIZE 16
#define BLOCK_FOOTER_SIZE 8
#define BLOCK_OVERHEAD    (BLOCK_HEADER_SIZE + BLOCK_FOOTER_SIZE)
#define BLOCK_MIN_SIZE    48

#define BLOCK_ALLOCATED 0x1UL
#define BLOCK_MMAPPED   0x2UL
#define BLOCK_RUN       0x4UL /* a run of small slots (malloc_small.h) */
#define BLOCK_FLAGS     0xfUL

#define BLOCK_CHECK_SEED 0x6d616c6cU /* "mall" */

struct block {
    uint64_t size_and_flags;
    uint32_t requested;
    uint32_t check;
    /* Only while the block is free (these lie in the payload): */
    struct block *next;
    struct block *prev;
};

static inline size_t align_up(size_t n, size_t alignment)
{
    return (n + alignment - 1) & ~(alignment - 1);
}

static inline size_t block_size(const struct block *b)
{
    return b->size_and_flags & ~BLOCK_FLAGS;
}

static inline int block_is_allocated(const struct block *b)
{
    return (b->size_and_flags & BLOCK_ALLOCATED) != 0;
}

static inline int block_is_mmapped(const struct block *b)
{
    return (b->size_and_flags & BLOCK_MMAPPED) != 0;
}

static inline int block_is_run(const struct block *b)
{
    return (b->size_and_flags & BLOCK_RUN) != 0;
}

static inline void *block_payload(struct block *b)
{
    return (char *)b + BLOCK_HEADER_SIZE;
}

static inline struct block *block_of_payload(void *payload)
{
    return (struct block *)((char *)payload - BLOCK_HEADER_SIZE);
}

static inline uint64_t *block_footer(struct block *b)
{
    return (uint64_t *)((char *)b + block_size(b) - BLOCK_FOOTER_SIZE);
}

/* The next block in address order: our size tells where it starts. */
static inline struct block *block_next(struct block *b)
{
    return (struct block *)((char *)b + block_size(b));
}

/* The previous block: its footer lies just before our header. */
static inline struct block *block_prev(struct block *b)
{
    uint64_t prev_footer = *(uint64_t *)((char *)b - BLOCK_FOOTER_SIZE);
    return (struct block *)((char *)b - (prev_footer & ~BLOCK_FLAGS));
}

static inline int block_prev_is_allocated(struct block *b)
{
    return (*(uint64_t *)((char *)b - BLOCK_FOOTER_SIZE) & BLOCK_ALLOCATED) != 0;
}

/* A 32-bit checksum of x: a 64-bit mixer, so every input bit moves many output bits. */
static inline uint32_t checksum64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x ^ BLOCK_CHECK_SEED;
}

static inline uint32_t block_checksum(const struct block *b)
{
    return checksum64(b->size_and_flags ^ ((uint64_t)b->requested << 20) ^ (uintptr_t)b);
}

static inline int block_header_is_sound(const struct block *b)
{
    return b->check == block_checksum(b);
}

/* Write the header only (the epilogue and mmapped blocks have no footer). */
static inline void block_set_header(struct block *b, size_t size, uint64_t flags, size_t requested)
{
    b->size_and_flags = size | flags;
    b->requested = requested > UINT32_MAX ? UINT32_MAX : (uint32_t)requested;
    b->check = block_checksum(b);
}

/* Write both boundary tags of a heap block. */
static inline void block_set_tags(struct block *b, size_t size, uint64_t flags, size_t requested)
{
    block_set_header(b, size, flags, requested);
    *block_footer(b) = size | flags;
}

/* The block size that holds n payload bytes: tags added, rounded to 16, at least
 * the minimum. The difference from n is the block's internal fragmentation. */
static inline size_t block_size_for(size_t n)
{
    size_t size = align_up(n + BLOCK_OVERHEAD, BLOCK_ALIGN);
    return size < BLOCK_MIN_SIZE ? BLOCK_MIN_SIZE : size;
}

#endif
