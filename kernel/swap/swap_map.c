/*
 * swap_map.c — the extents of a swap area, and building them for a swap file
 * (swap_map.h). Pure bookkeeping: the file system is reached through the bmap
 * function it is given, so the host test drives it with made-up layouts.
 */
#include "swap_map.h"

#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/kheap.h"

#define MAP_PAGE     4096u /* a page, of memory and of swap */
#define SECTOR_BYTES 512u

/* ---- the extents ---- */

/* Bytes an array of n extents is given: at least a page, so that kmalloc gives
 * it frames of its own, which swap_map_kernel_frames can count exactly. */
static uint64_t array_bytes(uint32_t n)
{
    uint64_t bytes = (uint64_t)n * sizeof(struct swap_extent);
    return bytes > MAP_PAGE ? bytes : MAP_PAGE;
}

/* Room for one more extent: the array doubles when full. 0 or -ENOMEM. */
static int make_room(struct swap_map *map)
{
    if (map->count < map->capacity)
        return 0;
    uint32_t capacity = map->capacity == 0 ? (uint32_t)(array_bytes(0) / sizeof(struct swap_extent))
                                           : map->capacity * 2;
    struct swap_extent *extents = kmalloc(array_bytes(capacity));
    if (extents == NULL)
        return -ENOMEM;
    if (map->count > 0)
        memcpy(extents, map->extents, map->count * sizeof *extents);
    kfree(map->extents);
    map->extents = extents;
    map->capacity = capacity;
    return 0;
}

int swap_map_append(struct swap_map *map, uint64_t sector, uint64_t slots)
{
    struct swap_extent *last = map->count > 0 ? &map->extents[map->count - 1] : NULL;
    if (last != NULL && last->first_sector + last->slots * (MAP_PAGE / SECTOR_BYTES) == sector) {
        last->slots += slots; /* the run goes on */
        map->pages += slots;
        return 0;
    }
    int error = make_room(map);
    if (error != 0)
        return error;
    map->extents[map->count++] = (struct swap_extent){ map->pages, slots, sector };
    map->pages += slots;
    return 0;
}

bool swap_map_find(const struct swap_map *map, uint64_t slot, uint64_t *sector, uint64_t *run)
{
    if (slot >= map->pages)
        return false;
    /* binary search: the last extent starting at or before slot holds it (they
     * cover 0 .. pages - 1 without a gap) */
    uint32_t low = 0, high = map->count - 1;
    while (low < high) {
        uint32_t middle = low + (high - low + 1) / 2;
        if (map->extents[middle].first_slot <= slot)
            low = middle;
        else
            high = middle - 1;
    }
    const struct swap_extent *e = &map->extents[low];
    uint64_t into = slot - e->first_slot;
    *sector = e->first_sector + into * (MAP_PAGE / SECTOR_BYTES);
    *run = e->slots - into;
    return true;
}

void swap_map_free(struct swap_map *map)
{
    kfree(map->extents);
    *map = (struct swap_map){ 0 };
}

uint64_t swap_map_kernel_frames(const struct swap_map *map)
{
    return map->capacity == 0 ? 0 : (array_bytes(map->capacity) + MAP_PAGE - 1) / MAP_PAGE;
}

/* ---- a swap file's pages (generic_swapfile_activate's walk) ---- */

enum probe {
    PAGE_FOUND = 0, /* a page's worth of blocks, contiguous, from a page boundary */
    PAGE_SKIP = 1,  /* not so: try again one block further on */
};

/* Blocks probe .. probe + per_page - 1 of f: PAGE_FOUND and *first (the disk
 * block of the first), PAGE_SKIP, or -EINVAL (a hole), -EIO. */
static int probe_page(const struct swap_map_file *f, uint64_t probe, uint32_t per_page,
                      uint64_t *first)
{
    int error = f->bmap(f->ctx, probe, first);
    if (error != 0)
        return error;
    if (*first == 0)
        return -EINVAL;
    if (*first % per_page != 0)
        return PAGE_SKIP; /* it must start on a page boundary of the disk */
    for (uint32_t i = 1; i < per_page; i++) {
        uint64_t block;
        error = f->bmap(f->ctx, probe + i, &block);
        if (error != 0)
            return error;
        if (block == 0)
            return -EINVAL;
        if (block != *first + i)
            return PAGE_SKIP; /* the page's blocks are not contiguous on the disk */
    }
    return PAGE_FOUND;
}

/* Blocks from..f->blocks - 1 of f past the walk: 0, or -EINVAL at the first
 * hole, -EIO. Linux 6.1 as Debian builds it serves ext2 with the ext4 driver,
 * whose walk (iomap_swapfile_activate) refuses a hole anywhere in the file's
 * whole pages, even past the pages the header names; vmlab answers as it does. */
static int check_no_hole_from(const struct swap_map_file *f, uint64_t from)
{
    for (uint64_t block = from; block < f->blocks; block++) {
        uint64_t disk_block;
        int error = f->bmap(f->ctx, block, &disk_block);
        if (error != 0)
            return error;
        if (disk_block == 0)
            return -EINVAL;
    }
    return 0;
}

int swap_map_build_file(struct swap_map *map, const struct swap_map_file *f)
{
    uint32_t per_page = MAP_PAGE / f->block_size;
    uint32_t sectors_per_block = f->block_size / SECTOR_BYTES;
    uint64_t probe = 0;
    int result = 0;
    while (result == 0 && probe + per_page <= f->blocks && map->pages < f->max_pages) {
        uint64_t first;
        result = probe_page(f, probe, per_page, &first);
        if (result == PAGE_SKIP) {
            probe++;
            result = 0;
        } else if (result == PAGE_FOUND) {
            result = swap_map_append(map, first * sectors_per_block, 1);
            probe += per_page;
        }
    }
    if (result == 0)
        result = check_no_hole_from(f, probe);
    if (result != 0)
        swap_map_free(map);
    return result;
}
