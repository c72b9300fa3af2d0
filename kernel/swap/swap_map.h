/*
 * swap_map.h — where each slot of the swap area lies on its disk: a short list of
 * *extents*, runs of consecutive slots on consecutive sectors (Linux's
 * swap_extent).
 *
 *   a disk:      one extent                slots 0..last_page  at sectors 0, 8, 16...
 *   a swap file: one per run of the file   slots 0..99     at the sectors of blocks 3000..
 *                lying contiguously         slots 100..4095 at the sectors of blocks 9000..
 *
 * A 16 MiB file that ext2 laid out in two runs is two extents (48 bytes), not
 * 4096 entries: the map is built once at swapon, and each page moved looks its
 * slot up by binary search.
 *
 * Building the map of a file follows Linux 6.1's generic_swapfile_activate
 * (mm/page_io.c), since ext2 has no swap_activate of its own: walk the file a
 * page at a time; a page whose blocks are not all present is a hole, and the
 * file is refused ("swapfile has holes", -EINVAL); a page whose blocks are not
 * contiguous on the disk, or do not start on a page boundary of the disk, is
 * skipped one *block* at a time until an aligned contiguous run is found (only
 * possible with blocks smaller than a page). Every page found becomes the next
 * slot, the first being slot 0, the header's. The walk stops after `max_pages`
 * (the header's size) or at the end of the file's whole blocks; the blocks after
 * it must not be holes either (the ext4 driver's rule, which Debian's Linux 6.1
 * applies to ext2 files: swap_map.c, check_no_hole_from).
 */
#ifndef KERNEL_SWAP_SWAP_MAP_H
#define KERNEL_SWAP_SWAP_MAP_H

#include <stdbool.h>
#include <stdint.h>

struct swap_extent {
    uint64_t first_slot;   /* the first slot of the run */
    uint64_t slots;        /* how many */
    uint64_t first_sector; /* where first_slot lies: 512-byte sectors of the disk */
};

struct swap_map {
    struct swap_extent *extents; /* by first_slot, which they cover without a gap */
    uint32_t count, capacity;
    uint64_t pages; /* slots mapped: extents cover 0 .. pages - 1 */
};

/* The next `slots` slots (from map->pages on) lie from sector on: appended,
 * joining the last extent when they continue it. 0 or -ENOMEM. */
int swap_map_append(struct swap_map *map, uint64_t sector, uint64_t slots);

/* Where slot lies: true, its *sector, and *run, the slots from it to the end of
 * its extent (consecutive on the disk); false for a slot past the map. */
bool swap_map_find(const struct swap_map *map, uint64_t slot, uint64_t *sector, uint64_t *run);

/* Forget the extents (the map is empty again). */
void swap_map_free(struct swap_map *map);

/* Frames the extents take: whole frames of their own (the end-of-run memory
 * check counts them, as it does mm/'s slot array). */
uint64_t swap_map_kernel_frames(const struct swap_map *map);

/* A file to map, seen through its file system: its block size (512..4096, a
 * power of two), the blocks of its whole pages, and bmap: where block b lies, 0
 * and *disk_block (0: a hole), or -EIO. */
struct swap_map_file {
    uint32_t block_size;
    uint64_t blocks;
    uint64_t max_pages;
    int (*bmap)(void *ctx, uint64_t block, uint64_t *disk_block);
    void *ctx;
};

/* Build the map of file f (the walk above) into the empty map: 0 and
 * map->pages (may be fewer than max_pages: skipped pages, a short file), or
 * -EINVAL (a hole: one kernel line says so), -EIO, -ENOMEM; the map is empty
 * again on failure. */
int swap_map_build_file(struct swap_map *map, const struct swap_map_file *f);

#endif
