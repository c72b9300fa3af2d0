/*
 * test_ext2_fuzz.c — a corrupted disk must give errors, never a crash, a hang or
 * an access out of bounds (ASan watches every byte). For each seed, a pristine
 * image (the staging tree, 1 KiB blocks) gets a few random corruptions in the
 * superblock, the group descriptors, the inode table, directory blocks,
 * indirect blocks and the bitmaps; then we mount it, walk the whole tree reading every file, try
 * a few changes, and unmount. EXT2_FUZZ_SEEDS=N runs more seeds (default 400).
 *
 * A failing seed is named; rerun it alone with EXT2_FUZZ_FIRST=seed EXT2_FUZZ_SEEDS=1.
 */
#undef snprintf
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/bmap.h"
#include "kernel/fs/ext2/file.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/rename.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"
#include "lib/xorshift.h"
#include "tests/host/block_file.h"
#include "tests/host/check.h"
#include "tests/host/ext2_image.h"
#include "tests/host/kernel_shim.h"

#define BLOCK         1024
#define IMAGE_KIB     8192
#define MAX_TARGETS   256
#define SUPER_FIELDS  264 /* the superblock's bytes that mean something to us */
#define FUZZED_INODES 48  /* the inode table's first inodes: root, lost+found, the files */

/* Where corruptions go: byte ranges of the pristine image. */
enum area { SUPER, GROUPS, INODES, DIRECTORY, INDIRECT, BITMAP, AREAS };
static const char *const area_names[AREAS] = { "superblock",     "group descriptors",
                                               "inode table",    "directory block",
                                               "indirect block", "bitmap" };

struct target {
    enum area area;
    uint64_t offset, size;
};

static struct target targets[MAX_TARGETS];
static int target_count;
static uint8_t *pristine;
static char image[256];

static void add_target(enum area area, uint64_t offset, uint64_t size)
{
    if (target_count < MAX_TARGETS)
        targets[target_count++] = (struct target){ area, offset, size };
}

/* The blocks of file `path` (data for directories, the indirect ones for files). */
static void add_blocks_of(struct ext2_fs *fs, const char *path, enum area area)
{
    uint32_t ino;
    struct ext2_inode inode;
    if (ext2_test_resolve(fs, path, &ino) != 0 || ext2_inode_read(fs, ino, &inode) != 0)
        return;
    if (area == INDIRECT) {
        for (int i = EXT2_IND_BLOCK; i < EXT2_N_BLOCKS; i++)
            if (inode.i_block[i] != 0)
                add_target(area, (uint64_t)inode.i_block[i] * BLOCK, BLOCK);
        return;
    }
    for (uint64_t i = 0; i < ext2_inode_size(&inode) / BLOCK; i++) {
        uint32_t block;
        if (ext2_bmap_lookup(fs, ino, &inode, i, &block) == 0 && block != 0)
            add_target(area, (uint64_t)block * BLOCK, BLOCK);
    }
}

/* Make the pristine image once and find the targets in it. */
static bool prepare(void)
{
    char staging[256];
    snprintf(staging, sizeof staging, "%s/staging", ext2_scratch());
    ext2_make_staging(staging);
    snprintf(image, sizeof image, "%s/fuzz.img", ext2_scratch());
    if (!ext2_make_image(image, BLOCK, IMAGE_KIB, staging))
        return false;
    struct ext2_fs *fs = ext2_open_image(image, "vdf");
    if (fs == NULL)
        return false;
    add_target(SUPER, EXT2_SUPERBLOCK_OFFSET, SUPER_FIELDS);
    add_target(GROUPS, 2 * BLOCK, fs->group_count * sizeof(struct ext2_group_desc));
    add_target(INODES, (uint64_t)fs->groups[0].bg_inode_table * BLOCK,
               FUZZED_INODES * fs->inode_size);
    add_target(BITMAP, (uint64_t)fs->groups[0].bg_block_bitmap * BLOCK, BLOCK);
    add_target(BITMAP, (uint64_t)fs->groups[0].bg_inode_bitmap * BLOCK, BLOCK);
    add_blocks_of(fs, "/", DIRECTORY);
    add_blocks_of(fs, "/dir", DIRECTORY);
    add_blocks_of(fs, "/dir/sub", DIRECTORY);
    add_blocks_of(fs, "/medium.bin", INDIRECT);
    add_blocks_of(fs, "/far.bin", INDIRECT);
    ext2_close_image(fs);
    FILE *f = fopen(image, "rb");
    pristine = malloc(IMAGE_KIB * 1024);
    bool ok = fread(pristine, 1, IMAGE_KIB * 1024, f) == IMAGE_KIB * 1024;
    fclose(f);
    return ok;
}

/* A value likely to hit an edge: 0, 1, all ones, a sign bit, near a power of two,
 * or anything. */
static uint32_t edgy_value(uint64_t *rng)
{
    static const uint32_t edges[] = { 0,      1,       2,    0xffffffff, 0x80000000, 0x7fffffff,
                                      0xffff, 0x10000, 1024, 4096,       8192,       12 };
    uint64_t r = xorshift64star(rng);
    return r % 3 == 0 ? (uint32_t)(r >> 32) : edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
}

/* Corrupt the image file in place: flip a bit, set a byte, or set an aligned
 * 16/32-bit field to an edge value, somewhere in a random target. */
static void corrupt_once(int fd, uint64_t *rng, unsigned *areas_hit)
{
    const struct target *t = &targets[xorshift64star(rng) % target_count];
    *areas_hit |= 1u << t->area;
    uint64_t at = t->offset + xorshift64star(rng) % t->size;
    uint8_t bytes[4];
    int n = 1;
    switch (xorshift64star(rng) % 4) {
    case 0:
        if (pread(fd, bytes, 1, (off_t)at) == 1)
            bytes[0] ^= (uint8_t)(1u << (xorshift64star(rng) % 8));
        break;
    case 1: bytes[0] = (uint8_t)xorshift64star(rng); break;
    case 2: {
        uint16_t v = (uint16_t)edgy_value(rng);
        at &= ~1ull;
        memcpy(bytes, &v, 2);
        n = 2;
        break;
    }
    default: {
        uint32_t v = edgy_value(rng);
        at &= ~3ull;
        memcpy(bytes, &v, 4);
        n = 4;
    }
    }
    if (pwrite(fd, bytes, n, (off_t)at) != n)
        perror("pwrite");
}

struct tally {
    int refused, mounted, walk_errors, change_errors;
};

/* Changes on a corrupted disk: each must end in a result, not a crash. */
static void try_changes(struct ext2_fs *fs, struct tally *tally)
{
    static uint8_t data[20000];
    uint32_t ino = 0, dir = 0;
    int results[6];
    results[0] = ext2_create(fs, EXT2_ROOT_INO, "fz", 2, 0644, &ino);
    results[1] = ino ? (int)ext2_file_write(fs, ino, 5000, data, sizeof data) : 0;
    results[2] = ext2_mkdir(fs, EXT2_ROOT_INO, "fzd", 3, 0755, &dir);
    results[3] = ext2_unlink(fs, EXT2_ROOT_INO, "medium.bin", 10);
    results[4] = ext2_rename(fs, EXT2_ROOT_INO, "dir", 3, dir ? dir : EXT2_ROOT_INO, "moved", 5);
    uint32_t far;
    results[5] = ext2_test_resolve(fs, "/far.bin", &far) == 0 ? ext2_file_truncate(fs, far, 10) : 0;
    for (int i = 0; i < 6; i++)
        tally->change_errors += results[i] < 0;
}

static void run_seed(uint64_t seed, struct tally *tally)
{
    int fd = open(image, O_RDWR);
    if (pwrite(fd, pristine, IMAGE_KIB * 1024, 0) != IMAGE_KIB * 1024)
        perror(image);
    uint64_t rng = seed * 0x9e3779b97f4a7c15ull + 1;
    unsigned areas_hit = 0;
    int corruptions = 1 + (int)(xorshift64star(&rng) % 6);
    for (int i = 0; i < corruptions; i++)
        corrupt_once(fd, &rng, &areas_hit);
    close(fd);
    struct block_device *dev = block_file_open(image, "vdf");
    struct ext2_fs *fs = NULL;
    if (ext2_mount(dev, &fs) != 0) {
        tally->refused++;
        block_file_close(dev);
        return;
    }
    tally->mounted++;
    struct ext2_walk_counts counts = { 0 };
    ext2_walk(fs, EXT2_ROOT_INO, 8, 256 * 1024, &counts);
    tally->walk_errors += counts.errors > 0;
    try_changes(fs, tally);
    ext2_unmount(fs);
    block_file_close(dev);
}

TEST(ext2_fuzzed_images_give_errors_not_crashes)
{
    if (!CHECK(prepare(), "making the pristine image"))
        return;
    uint64_t first = getenv("EXT2_FUZZ_FIRST") ? strtoull(getenv("EXT2_FUZZ_FIRST"), NULL, 0) : 1;
    uint64_t seeds = getenv("EXT2_FUZZ_SEEDS") ? strtoull(getenv("EXT2_FUZZ_SEEDS"), NULL, 0) : 400;
    struct tally tally = { 0 };
    for (uint64_t seed = first; seed < first + seeds; seed++) {
        printf("seed %lu\n", (unsigned long)seed); /* the last one printed is the culprit */
        fflush(stdout);
        run_seed(seed, &tally);
    }
    printf("fuzz: %lu seeds over %d targets (%s...): %d refused to mount, %d mounted, "
           "%d walks met errors, %d changes failed\n",
           (unsigned long)seeds, target_count, area_names[0], tally.refused, tally.mounted,
           tally.walk_errors, tally.change_errors);
    /* The fuzzer must reach both sides: corruptions mount refuses, and ones it only
     * meets while reading. */
    if (seeds >= 100) {
        CHECK((uint64_t)tally.refused > seeds / 20, "only %d of %lu refused", tally.refused,
              (unsigned long)seeds);
        CHECK((uint64_t)tally.walk_errors > seeds / 20, "only %d walks met errors",
              tally.walk_errors);
    }
}

/* Found by seed 16823: an indirect block whose entry points back at itself. Freeing
 * the file must say so (-EIO), not free a block it is still reading. */
TEST(ext2_indirect_block_pointing_at_itself)
{
    char path[256];
    snprintf(path, sizeof path, "%s/loop.img", ext2_scratch());
    CHECK(ext2_make_image(path, BLOCK, 2048, NULL), "mke2fs");
    struct ext2_fs *fs = ext2_open_image(path, "vdl");
    if (!CHECK(fs != NULL, "mount"))
        return;
    static uint8_t data[20 * BLOCK];
    uint32_t ino;
    struct ext2_inode inode;
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "loop", 4, 0644, &ino), 0);
    CHECK_EQ(ext2_file_write(fs, ino, 0, data, sizeof data), sizeof data);
    CHECK_EQ(ext2_inode_read(fs, ino, &inode), 0);
    uint32_t indirect = inode.i_block[EXT2_IND_BLOCK];
    struct buffer *b;
    CHECK_EQ(buffer_get(fs->cache, fs->dev, indirect, &b), 0);
    ((uint32_t *)b->data)[3] = indirect;
    buffer_mark_dirty(b);
    buffer_release(fs->cache, b);
    CHECK_EQ(ext2_file_truncate(fs, ino, 0), -EIO);
    CHECK(ext2_text_contains(shim_kprintf_last, "points back at itself"), "message: %s",
          shim_kprintf_last);
    ext2_close_image(fs);
}

/* Found by the in-kernel fuzz (tests/boot/fs-fuzz.sh, seed 168 with writes): a
 * descriptor moved the inode bitmap into the inode table, whose bytes said the
 * inodes of /dir and lost+found were free, and mkdir took them over. A clear bit
 * whose inode is in use must give -EIO, not a second owner. */
TEST(ext2_inode_free_in_the_bitmap_but_in_use)
{
    char path[256];
    snprintf(path, sizeof path, "%s/inuse.img", ext2_scratch());
    CHECK(ext2_make_image(path, BLOCK, 2048, NULL), "mke2fs");
    struct ext2_fs *fs = ext2_open_image(path, "vdi");
    if (!CHECK(fs != NULL, "mount"))
        return;
    static uint8_t data[3000];
    uint32_t keep, other;
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "keep", 4, 0644, &keep), 0);
    CHECK_EQ(ext2_file_write(fs, keep, 0, data, sizeof data), sizeof data);
    struct buffer *b;
    uint32_t bit = (keep - 1) % fs->sb.s_inodes_per_group;
    CHECK_EQ(buffer_get(fs->cache, fs->dev, fs->groups[0].bg_inode_bitmap, &b), 0);
    b->data[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
    buffer_mark_dirty(b);
    buffer_release(fs->cache, b);
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "other", 5, 0644, &other), -EIO);
    CHECK(ext2_text_contains(shim_kprintf_last, "free in the bitmap but in use"), "message: %s",
          shim_kprintf_last);
    struct ext2_inode inode;
    CHECK_EQ(ext2_inode_read(fs, keep, &inode), 0);
    CHECK_EQ(inode.i_links_count, 1);
    CHECK_EQ(ext2_inode_size(&inode), sizeof data);
    ext2_close_image(fs);
}
