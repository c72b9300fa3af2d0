/*
 * bitmap.h — the bitmaps of a block group: bit i of a group's block (inode) bitmap
 * is 1 when its block (inode) i is in use; bit i is bit i % 8 of byte i / 8.
 */
#ifndef KERNEL_FS_EXT2_BITMAP_H
#define KERNEL_FS_EXT2_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

static inline bool ext2_bit_test(const uint8_t *map, uint32_t i)
{
    return map[i / 8] & (1u << (i % 8));
}

static inline void ext2_bit_set(uint8_t *map, uint32_t i)
{
    map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static inline void ext2_bit_clear(uint8_t *map, uint32_t i)
{
    map[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

/* The first clear bit in [from, to), or `to` if none; whole bytes of ones are skipped. */
static inline uint32_t ext2_bit_find_clear(const uint8_t *map, uint32_t from, uint32_t to)
{
    uint32_t i = from;
    while (i < to) {
        if (i % 8 == 0 && map[i / 8] == 0xff && i + 8 <= to) {
            i += 8;
            continue;
        }
        if (!ext2_bit_test(map, i))
            return i;
        i++;
    }
    return to;
}

#endif
