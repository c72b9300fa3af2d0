/*
 * test_ext2_buffer.c — the buffer cache (kernel/fs/buffer.c) over a file-backed
 * device: hits and misses, LRU reuse of clean buffers, write-back of a dirty
 * buffer when its buffer is needed, sync, forget, and read errors as -EIO.
 */
#undef snprintf
#include <stdio.h>
#include <stdlib.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "lib/string.h"
#include "tests/host/block_file.h"
#include "tests/host/check.h"
#include "tests/host/ext2_image.h"

#define BLOCK       1024
#define DISK_BLOCKS 64

/* A 64-block device whose block i is filled with byte i. */
static struct block_device *numbered_disk(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.disk", ext2_scratch(), name);
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < DISK_BLOCKS; i++)
        for (int j = 0; j < BLOCK; j++)
            fputc(i, f);
    fclose(f);
    return block_file_open(path, name);
}

static uint8_t first_byte(struct buffer_cache *cache, struct block_device *dev, uint64_t block)
{
    struct buffer *b;
    if (!CHECK_EQ(buffer_get(cache, dev, block, &b), 0))
        return 0xff;
    uint8_t byte = b->data[0];
    buffer_release(cache, b);
    return byte;
}

TEST(buffer_cache_hits_misses_and_lru)
{
    struct block_device *dev = numbered_disk("lru");
    struct buffer_cache *cache = buffer_cache_create(BLOCK, 4);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(first_byte(cache, dev, i), i);
    CHECK_EQ(first_byte(cache, dev, 0), 0); /* a hit; block 1 is now the oldest */
    CHECK_EQ(first_byte(cache, dev, 9), 9); /* evicts block 1 */
    struct buffer_cache_stats s = buffer_cache_stats(cache);
    CHECK_EQ(s.hits, 1);
    CHECK_EQ(s.misses, 5);
    CHECK_EQ(s.evictions, 1);
    uint64_t reads = block_stats(dev).sectors_read;
    CHECK_EQ(first_byte(cache, dev, 0), 0); /* still cached */
    CHECK_EQ(block_stats(dev).sectors_read, reads);
    CHECK_EQ(first_byte(cache, dev, 1), 1); /* was evicted: read again */
    CHECK_EQ(block_stats(dev).sectors_read, reads + BLOCK / 512);
    buffer_cache_destroy(cache);
    block_file_close(dev);
}

TEST(buffer_cache_writes_back_dirty_buffers)
{
    struct block_device *dev = numbered_disk("dirty");
    struct buffer_cache *cache = buffer_cache_create(BLOCK, 2);
    struct buffer *b, *held;
    CHECK_EQ(buffer_get(cache, dev, 5, &b), 0);
    b->data[0] = 0x55;
    buffer_mark_dirty(b);
    buffer_release(cache, b);
    CHECK_EQ(block_stats(dev).sectors_written, 0); /* write-back, not write-through */
    CHECK_EQ(buffer_get(cache, dev, 6, &held), 0);
    CHECK_EQ(first_byte(cache, dev, 7), 7); /* needs 5's buffer: written back first */
    CHECK_EQ(block_stats(dev).sectors_written, BLOCK / 512);
    CHECK_EQ(first_byte(cache, dev, 5), 0x55); /* from the disk again */
    /* Every buffer held: -ENOMEM, not a panic or a wrong block. */
    struct buffer *other;
    CHECK_EQ(buffer_get(cache, dev, 8, &other), 0);
    struct buffer *third;
    CHECK_EQ(buffer_get(cache, dev, 9, &third), -ENOMEM);
    buffer_release(cache, other);
    held->data[1] = 0x66;
    buffer_mark_dirty(held);
    buffer_release(cache, held);
    CHECK_EQ(buffer_sync(cache), 0);
    CHECK_EQ(block_stats(dev).sectors_written, 2 * BLOCK / 512);
    /* A freed block's dirty copy is dropped, never written over its next user. */
    CHECK_EQ(buffer_get(cache, dev, 10, &b), 0);
    b->data[0] = 0x77;
    buffer_mark_dirty(b);
    buffer_release(cache, b);
    buffer_forget(cache, dev, 10);
    CHECK_EQ(buffer_sync(cache), 0);
    CHECK_EQ(block_stats(dev).sectors_written, 2 * BLOCK / 512);
    CHECK_EQ(first_byte(cache, dev, 10), 10);
    buffer_cache_destroy(cache);
    block_file_close(dev);
}

TEST(buffer_cache_read_errors_are_eio)
{
    struct block_device *dev = numbered_disk("eio");
    struct buffer_cache *cache = buffer_cache_create(BLOCK, 2);
    struct buffer *b;
    block_file_fail_after(dev, 0);
    CHECK_EQ(buffer_get(cache, dev, 3, &b), -EIO);
    block_file_fail_after(dev, -1);
    CHECK_EQ(first_byte(cache, dev, 3), 3); /* the failed read was not cached */
    CHECK_EQ(buffer_get(cache, dev, 4, &b), 0);
    buffer_mark_dirty(b);
    buffer_release(cache, b);
    block_file_fail_after(dev, 0);
    CHECK_EQ(buffer_sync(cache), -EIO);
    block_file_fail_after(dev, -1);
    CHECK_EQ(buffer_sync(cache), 0); /* still dirty: written now */
    CHECK_EQ(block_stats(dev).sectors_written, BLOCK / 512);
    buffer_cache_destroy(cache);
    block_file_close(dev);
}
