/*
 * buffer.c — the buffer cache (see buffer.h): a hash table from (device, block) to
 * a buffer, and an LRU list of the buffers nobody holds, oldest first.
 */
#include "kernel/fs/buffer.h"

#include <stddef.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/kheap.h"

struct buffer_cache {
    uint32_t block_size;
    uint32_t count;
    uint32_t bucket_count;    /* a power of two */
    struct buffer *buffers;   /* count of them, each with its own block_size bytes */
    struct buffer **buckets;  /* hash chains */
    struct buffer *lru_first; /* least recently used unheld buffer */
    struct buffer *lru_last;
    struct buffer_cache_stats stats;
};

/* Which hash chain holds (dev, block). */
static struct buffer **bucket_of(struct buffer_cache *cache, struct block_device *dev,
                                 uint64_t block)
{
    uint64_t h = (block ^ ((uintptr_t)dev >> 4)) * 0x9e3779b97f4a7c15ull;
    return &cache->buckets[(h >> 32) & (cache->bucket_count - 1)];
}

static void lru_remove(struct buffer_cache *cache, struct buffer *b)
{
    if (b->lru_prev != NULL)
        b->lru_prev->lru_next = b->lru_next;
    else
        cache->lru_first = b->lru_next;
    if (b->lru_next != NULL)
        b->lru_next->lru_prev = b->lru_prev;
    else
        cache->lru_last = b->lru_prev;
    b->lru_prev = b->lru_next = NULL;
}

/* Append b as the most recently used unheld buffer. */
static void lru_append(struct buffer_cache *cache, struct buffer *b)
{
    b->lru_next = NULL;
    b->lru_prev = cache->lru_last;
    if (cache->lru_last != NULL)
        cache->lru_last->lru_next = b;
    else
        cache->lru_first = b;
    cache->lru_last = b;
}

static void hash_remove(struct buffer_cache *cache, struct buffer *b)
{
    if (b->dev == NULL)
        return;
    struct buffer **link = bucket_of(cache, b->dev, b->block);
    while (*link != b)
        link = &(*link)->hash_next;
    *link = b->hash_next;
    b->hash_next = NULL;
}

static void hash_insert(struct buffer_cache *cache, struct buffer *b)
{
    struct buffer **head = bucket_of(cache, b->dev, b->block);
    b->hash_next = *head;
    *head = b;
}

static struct buffer *hash_find(struct buffer_cache *cache, struct block_device *dev,
                                uint64_t block)
{
    for (struct buffer *b = *bucket_of(cache, dev, block); b != NULL; b = b->hash_next)
        if (b->dev == dev && b->block == block)
            return b;
    return NULL;
}

static uint32_t sectors_per_block(const struct buffer_cache *cache)
{
    return cache->block_size / BLOCK_SECTOR_SIZE;
}

/* Write b's data to its block. 0 (b is clean now) or -EIO (b stays dirty). */
static int write_back(struct buffer_cache *cache, struct buffer *b)
{
    uint32_t n = sectors_per_block(cache);
    if (block_write(b->dev, b->block * n, n, b->data) != 0)
        return -EIO;
    b->dirty = false;
    cache->stats.writebacks++;
    return 0;
}

struct buffer_cache *buffer_cache_create(uint32_t block_size, uint32_t count)
{
    assert(block_size % BLOCK_SECTOR_SIZE == 0 && count > 0, "buffer cache of %u x %u bytes", count,
           block_size);
    struct buffer_cache *cache = kzalloc(sizeof *cache);
    if (cache == NULL)
        return NULL;
    cache->block_size = block_size;
    cache->count = count;
    cache->bucket_count = 1;
    while (cache->bucket_count < 2 * count)
        cache->bucket_count *= 2;
    cache->buffers = kzalloc(count * sizeof(struct buffer));
    cache->buckets = kzalloc(cache->bucket_count * sizeof(struct buffer *));
    if (cache->buffers == NULL || cache->buckets == NULL) {
        buffer_cache_destroy(cache);
        return NULL;
    }
    /* One allocation per buffer, so an access past a block's end leaves its
     * allocation (a guard page in the kernel, ASan in the host tests). */
    for (uint32_t i = 0; i < count; i++) {
        cache->buffers[i].data = kmalloc(block_size);
        if (cache->buffers[i].data == NULL) {
            buffer_cache_destroy(cache);
            return NULL;
        }
        lru_append(cache, &cache->buffers[i]);
    }
    return cache;
}

void buffer_cache_destroy(struct buffer_cache *cache)
{
    if (cache == NULL)
        return;
    for (uint32_t i = 0; cache->buffers != NULL && i < cache->count; i++) {
        assert(cache->buffers[i].holders == 0, "buffer of block %lu still held by %u",
               cache->buffers[i].block, cache->buffers[i].holders);
        kfree(cache->buffers[i].data);
    }
    kfree(cache->buffers);
    kfree(cache->buckets);
    kfree(cache);
}

uint32_t buffer_cache_block_size(const struct buffer_cache *cache)
{
    return cache->block_size;
}

/* ASSIGNMENT(lru): choose the buffer to reuse (clean first, least recently used). */
/* An unheld buffer to reuse, taken off the LRU list and out of the hash: the oldest
 * clean one, else the oldest dirty one written back first. NULL: every buffer is
 * held (-ENOMEM) or the write-back failed (-EIO), in *err. */
static struct buffer *take_victim(struct buffer_cache *cache, int *err)
{
    struct buffer *victim = cache->lru_first;
    while (victim != NULL && victim->dirty)
        victim = victim->lru_next;
    if (victim == NULL && cache->lru_first != NULL) {
        victim = cache->lru_first;
        if (write_back(cache, victim) != 0) {
            *err = -EIO;
            return NULL;
        }
    }
    if (victim == NULL) {
        *err = -ENOMEM;
        return NULL;
    }
    if (victim->dev != NULL)
        cache->stats.evictions++;
    lru_remove(cache, victim);
    hash_remove(cache, victim);
    victim->valid = false;
    return victim;
}

/* The buffer of (dev, block), held, valid or not. 0 or -ENOMEM / -EIO. */
static int lookup_or_claim(struct buffer_cache *cache, struct block_device *dev, uint64_t block,
                           struct buffer **out)
{
    struct buffer *b = hash_find(cache, dev, block);
    if (b != NULL) {
        if (b->holders++ == 0)
            lru_remove(cache, b);
        cache->stats.hits += b->valid;
        *out = b;
        return 0;
    }
    int err = 0;
    b = take_victim(cache, &err);
    if (b == NULL)
        return err;
    cache->stats.misses++;
    b->dev = dev;
    b->block = block;
    b->holders = 1;
    b->dirty = false;
    hash_insert(cache, b);
    *out = b;
    return 0;
}

int buffer_get(struct buffer_cache *cache, struct block_device *dev, uint64_t block,
               struct buffer **out)
{
    struct buffer *b;
    int err = lookup_or_claim(cache, dev, block, &b);
    if (err != 0)
        return err;
    if (!b->valid) {
        uint32_t n = sectors_per_block(cache);
        if (block_read(dev, block * n, n, b->data) != 0) {
            buffer_release(cache, b);
            return -EIO;
        }
        b->valid = true;
    }
    *out = b;
    return 0;
}

int buffer_get_zeroed(struct buffer_cache *cache, struct block_device *dev, uint64_t block,
                      struct buffer **out)
{
    struct buffer *b;
    int err = lookup_or_claim(cache, dev, block, &b);
    if (err != 0)
        return err;
    memset(b->data, 0, cache->block_size);
    b->valid = true;
    b->dirty = true;
    *out = b;
    return 0;
}

void buffer_mark_dirty(struct buffer *b)
{
    assert(b->holders > 0 && b->valid, "marking block %lu dirty without holding it", b->block);
    b->dirty = true;
}

void buffer_release(struct buffer_cache *cache, struct buffer *b)
{
    assert(b->holders > 0, "block %lu released more often than got", b->block);
    if (--b->holders > 0)
        return;
    if (!b->valid) {
        /* A failed read: forget the block so the next get tries the disk again. */
        hash_remove(cache, b);
        b->dev = NULL;
    }
    lru_append(cache, b);
}

void buffer_forget(struct buffer_cache *cache, struct block_device *dev, uint64_t block)
{
    struct buffer *b = hash_find(cache, dev, block);
    if (b == NULL)
        return;
    assert(b->holders == 0, "forgetting block %lu while %u hold it", block, b->holders);
    hash_remove(cache, b);
    b->dev = NULL;
    b->valid = false;
    b->dirty = false;
    /* Move it to the front of the LRU list: the first to be reused. */
    lru_remove(cache, b);
    b->lru_next = cache->lru_first;
    if (cache->lru_first != NULL)
        cache->lru_first->lru_prev = b;
    else
        cache->lru_last = b;
    cache->lru_first = b;
}

int buffer_sync(struct buffer_cache *cache)
{
    int result = 0;
    for (uint32_t i = 0; i < cache->count; i++) {
        struct buffer *b = &cache->buffers[i];
        if (b->dirty && write_back(cache, b) != 0 && result == 0)
            result = -EIO;
    }
    return result;
}

struct buffer_cache_stats buffer_cache_stats(const struct buffer_cache *cache)
{
    return cache->stats;
}
