/*
 * buffer.h — the buffer cache: file-system metadata blocks kept in memory.
 *
 * A file system reads its bitmaps, inode tables, indirect blocks and directories
 * one block at a time, and the same few blocks again and again. The cache keeps a
 * fixed number of block-sized buffers, found by (device, block number) through a
 * hash table. A caller gets a buffer (reading it from the disk on a miss), reads or
 * changes its bytes, marks it dirty if it changed them, and releases it:
 *
 *     struct buffer *b;
 *     int err = buffer_get(cache, dev, 42, &b);    // 0 or -EIO / -ENOMEM
 *     if (err) return err;
 *     b->data[0] = 1;  buffer_mark_dirty(b);  buffer_release(b);
 *
 * Dirty buffers reach the disk on buffer_sync (write-back), or when the cache needs
 * their buffer for another block and no clean one is free. A buffer nobody holds
 * goes to the tail of the LRU list; a miss takes the least recently used one.
 * Errors from the disk come back as -EIO; the cache never panics because of a disk.
 */
#ifndef KERNEL_FS_BUFFER_H
#define KERNEL_FS_BUFFER_H

#include <stdbool.h>
#include <stdint.h>

struct block_device;

struct buffer {
    struct block_device *dev;
    uint64_t block;   /* block number, in units of the cache's block size */
    uint8_t *data;    /* block_size bytes */
    uint32_t holders; /* buffer_get calls not yet released */
    bool valid;       /* data holds the block (a failed read leaves it false) */
    bool dirty;       /* data differs from the disk */
    struct buffer *hash_next;
    struct buffer *lru_prev, *lru_next; /* unheld buffers only, oldest first */
};

struct buffer_cache_stats {
    uint64_t hits, misses, writebacks, evictions;
};

struct buffer_cache; /* opaque: buffer.c */

/* A cache of count buffers of block_size bytes (1024..4096), or NULL (no memory). */
struct buffer_cache *buffer_cache_create(uint32_t block_size, uint32_t count);

/* Frees the cache; dirty buffers are lost (buffer_sync first). None may be held. */
void buffer_cache_destroy(struct buffer_cache *cache);

uint32_t buffer_cache_block_size(const struct buffer_cache *cache);

/* Block `block` of dev, read from the disk unless cached; *out is held until
 * buffer_release. 0, -EIO (read failed: nothing held), -ENOMEM (every buffer held). */
int buffer_get(struct buffer_cache *cache, struct block_device *dev, uint64_t block,
               struct buffer **out);

/* Like buffer_get, for a block whose old contents do not matter (just allocated):
 * no read; the buffer comes back zero-filled and dirty. */
int buffer_get_zeroed(struct buffer_cache *cache, struct block_device *dev, uint64_t block,
                      struct buffer **out);

/* The holder changed data: write it back on the next sync. */
void buffer_mark_dirty(struct buffer *b);

/* Drop one hold; the buffer stays cached (most recently used). */
void buffer_release(struct buffer_cache *cache, struct buffer *b);

/* The block was freed: drop any cached copy (dirty or not), so stale metadata is
 * never written over the block's next user. It must not be held. */
void buffer_forget(struct buffer_cache *cache, struct block_device *dev, uint64_t block);

/* Write every dirty buffer to the disk. 0, or -EIO from the first failed write
 * (the others are still attempted; failed ones stay dirty). */
int buffer_sync(struct buffer_cache *cache);

struct buffer_cache_stats buffer_cache_stats(const struct buffer_cache *cache);

#endif
