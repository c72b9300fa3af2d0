/*
 * test_swap_map.c — kernel/swap/swap_map.c on the host: the extents of a swap
 * area, and the walk of a swap file's blocks that builds them (Linux 6.1's
 * generic_swapfile_activate). Each file is a made-up block map, drawn as the
 * disk block of each file block (0: a hole); pages are 4096 bytes.
 */
#include <stddef.h>

#include "check.h"
#include "kernel/errno.h"
#include "kernel/swap/swap_map.h"

#define SECTORS_PER_PAGE 8

/* A made-up file: its blocks' disk numbers. */
struct layout {
    const uint64_t *blocks;
    uint64_t count;
    int reads; /* bmap calls */
};

static int layout_bmap(void *ctx, uint64_t block, uint64_t *disk_block)
{
    struct layout *l = ctx;
    l->reads++;
    *disk_block = block < l->count ? l->blocks[block] : 0;
    return 0;
}

/* Build the map of blocks (of block_size bytes) for an area of max_pages. */
static int build(struct swap_map *map, struct layout *l, uint32_t block_size, uint64_t max_pages)
{
    *map = (struct swap_map){ 0 };
    struct swap_map_file f = { block_size, l->count, max_pages, layout_bmap, l };
    return swap_map_build_file(map, &f);
}

static uint64_t sector_of(const struct swap_map *map, uint64_t slot)
{
    uint64_t sector = 0, run = 0;
    return swap_map_find(map, slot, &sector, &run) ? sector : UINT64_MAX;
}

/* A disk: one extent, slot N at sector 8N. */
TEST(swap_map_whole_disk)
{
    struct swap_map map = { 0 };
    CHECK_EQ(swap_map_append(&map, 0, 16384), 0);
    CHECK_EQ(map.count, 1u);
    uint64_t sector, run;
    CHECK(swap_map_find(&map, 100, &sector, &run), "slot 100 not found");
    CHECK_EQ(sector, 800u);
    CHECK_EQ(run, 16284u);
    CHECK(!swap_map_find(&map, 16384, &sector, &run), "slot 16384 is past the area");
    CHECK_EQ(swap_map_kernel_frames(&map), 1u);
    swap_map_free(&map);
    CHECK_EQ(map.count, 0u);
}

/* 4 KiB blocks in two runs (blocks 100..103, then 500..503): two extents, and a
 * slot in each lies where its block does. */
TEST(swap_map_two_runs_of_pages)
{
    static const uint64_t blocks[] = { 100, 101, 102, 103, 500, 501, 502, 503 };
    struct layout l = { blocks, 8, 0 };
    struct swap_map map;
    CHECK_EQ(build(&map, &l, 4096, 8), 0);
    CHECK_EQ(map.pages, 8u);
    CHECK_EQ(map.count, 2u);
    CHECK_EQ(sector_of(&map, 0), 100u * SECTORS_PER_PAGE);
    CHECK_EQ(sector_of(&map, 3), 103u * SECTORS_PER_PAGE);
    CHECK_EQ(sector_of(&map, 4), 500u * SECTORS_PER_PAGE);
    CHECK_EQ(sector_of(&map, 7), 503u * SECTORS_PER_PAGE);
    uint64_t sector, run;
    CHECK(swap_map_find(&map, 2, &sector, &run), "slot 2 not found");
    CHECK_EQ(run, 2u); /* slots 2 and 3, then the next extent */
    swap_map_free(&map);
}

/* The header says 3 pages: the walk stops there; the blocks after them are
 * only looked at for holes. */
TEST(swap_map_stops_at_the_area)
{
    static const uint64_t blocks[] = { 10, 11, 12, 40, 41 };
    struct layout l = { blocks, 5, 0 };
    struct swap_map map;
    CHECK_EQ(build(&map, &l, 4096, 3), 0);
    CHECK_EQ(map.pages, 3u);
    CHECK_EQ(map.count, 1u);
    CHECK_EQ(l.reads, 5);
    swap_map_free(&map);
}

/* A hole past the pages the header names is refused all the same (Debian's
 * Linux 6.1, whose ext4 driver serves ext2, answers EINVAL). */
TEST(swap_map_hole_past_the_area_is_refused)
{
    static const uint64_t blocks[] = { 10, 11, 12, 0, 14 };
    struct layout l = { blocks, 5, 0 };
    struct swap_map map;
    CHECK_EQ(build(&map, &l, 4096, 3), -EINVAL);
    CHECK_EQ(map.pages, 0u);
}

/* A hole inside the area: refused, and the map is left empty. */
TEST(swap_map_hole_is_refused)
{
    static const uint64_t blocks[] = { 10, 11, 0, 13 };
    struct layout l = { blocks, 4, 0 };
    struct swap_map map;
    CHECK_EQ(build(&map, &l, 4096, 4), -EINVAL);
    CHECK_EQ(map.pages, 0u);
    CHECK(map.extents == NULL, "the extents were not freed");
}

/* 1 KiB blocks, four to a page. File blocks 0..2 lie at disk blocks 201..203,
 * not on a page boundary of the disk (201 % 4 != 0): the walk moves on one
 * block at a time. File blocks 3..6 lie at 204..207: page 0 (the header's).
 * Blocks 7..10 at 208, 209, 300, 301: not contiguous, skipped block by block
 * until blocks 9..12 (300..303): page 1. Blocks 13..16 at 304..307: page 2,
 * joining page 1's extent. */
TEST(swap_map_small_blocks_skip_as_linux)
{
    static const uint64_t blocks[] = { 201, 202, 203, 204, 205, 206, 207, 208, 209,
                                       300, 301, 302, 303, 304, 305, 306, 307 };
    struct layout l = { blocks, 17, 0 };
    struct swap_map map;
    CHECK_EQ(build(&map, &l, 1024, 100), 0);
    CHECK_EQ(map.pages, 3u);
    CHECK_EQ(map.count, 2u);
    CHECK_EQ(sector_of(&map, 0), 204u * 2);
    CHECK_EQ(sector_of(&map, 1), 300u * 2);
    CHECK_EQ(sector_of(&map, 2), 304u * 2);
    swap_map_free(&map);
}

/* Every page of a 1 KiB-block file scattered: no page at all (swapon then says
 * the file is empty: fewer than 2 pages). */
TEST(swap_map_scattered_blocks_give_no_page)
{
    static const uint64_t blocks[] = { 4, 9, 14, 19, 24, 29, 34, 39 };
    struct layout l = { blocks, 8, 0 };
    struct swap_map map;
    CHECK_EQ(build(&map, &l, 1024, 100), 0);
    CHECK_EQ(map.pages, 0u);
    swap_map_free(&map);
}

/* Many extents: the array grows past its first page, and lookups still find
 * every slot (binary search over 1000 extents). */
TEST(swap_map_many_extents)
{
    struct swap_map map = { 0 };
    for (uint64_t i = 0; i < 1000; i++)
        CHECK_EQ(swap_map_append(&map, 1000 * i * SECTORS_PER_PAGE, 1), 0);
    CHECK_EQ(map.count, 1000u);
    CHECK(swap_map_kernel_frames(&map) > 1, "%lu frames",
          (unsigned long)swap_map_kernel_frames(&map));
    for (uint64_t slot = 0; slot < 1000; slot++)
        CHECK_EQ(sector_of(&map, slot), 1000 * slot * SECTORS_PER_PAGE);
    swap_map_free(&map);
}
