/*
 * test_ext2_full.c — a disk that fills up, and a disk that fails. Full: writes
 * stop with -ENOSPC (after writing what fitted), creates and mkdirs fail cleanly,
 * nothing written before is lost and e2fsck still finds nothing wrong. Failing:
 * every operation returns -EIO, none crashes.
 */
#include <stdlib.h>

#include "kernel/errno.h"
#include "kernel/fs/ext2/file.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/super.h"
#include "lib/format.h"
#include "lib/string.h"
#include "tests/host/block_file.h"
#include "tests/host/check.h"
#include "tests/host/ext2_image.h"

#define KIB 1024u

static const char *empty_image(const char *name, uint32_t block_size, uint32_t size_kib)
{
    static char image[256];
    snprintf(image, sizeof image, "%s/%s.img", ext2_scratch(), name);
    CHECK(ext2_make_image(image, block_size, size_kib, NULL), "mke2fs %s", image);
    return image;
}

static uint8_t keep_byte(uint64_t i)
{
    return (uint8_t)(i * 13 + 5);
}

/* Fill the disk with one growing file after a small file we keep; then check. */
static void check_fill(uint32_t block_size)
{
    const char *image = empty_image(block_size == 1024 ? "full-1k" : "full-4k", block_size, 2048);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t keep, big, ino;
    uint8_t kept[10000];
    for (uint64_t i = 0; i < sizeof kept; i++)
        kept[i] = keep_byte(i);
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "keep", 4, 0644, &keep), 0);
    CHECK_EQ(ext2_file_write(fs, keep, 0, kept, sizeof kept), sizeof kept);
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "big", 3, 0644, &big), 0);
    static uint8_t chunk[64 * KIB];
    memset(chunk, 0xab, sizeof chunk);
    uint64_t written = 0;
    int64_t n;
    int rounds = 0;
    while ((n = ext2_file_write(fs, big, written, chunk, sizeof chunk)) == (int64_t)sizeof chunk &&
           rounds++ < 1000)
        written += (uint64_t)n;
    CHECK(n >= 0 && n < (int64_t)sizeof chunk, "the last write was short: %ld", (long)n);
    written += n > 0 ? (uint64_t)n : 0;
    CHECK_EQ(ext2_file_write(fs, big, written, chunk, 1), -ENOSPC);
    CHECK_EQ(fs->sb.s_free_blocks_count, 0);
    struct ext2_stat st;
    CHECK_EQ(ext2_stat(fs, big, &st), 0);
    CHECK_EQ(st.size, written);
    /* No block for a directory: mkdir fails and leaves no inode behind. */
    uint32_t free_inodes = fs->sb.s_free_inodes_count;
    CHECK_EQ(ext2_mkdir(fs, EXT2_ROOT_INO, "d", 1, 0755, &ino), -ENOSPC);
    CHECK_EQ(fs->sb.s_free_inodes_count, free_inodes);
    uint8_t back[10000];
    CHECK_EQ(ext2_file_read(fs, keep, 0, back, sizeof back), sizeof back);
    CHECK(memcmp(back, kept, sizeof kept) == 0, "the file written before is intact");
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck after filling the disk");
    size_t size;
    uint8_t *host = ext2_debugfs_cat(image, "/keep", &size);
    CHECK(host != NULL && size == sizeof kept && memcmp(host, kept, size) == 0,
          "the host reads the kept file intact");
    free(host);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/big", "Size"), written);
    CHECK_EQ(ext2_dumpe2fs_field(image, "Free blocks"), 0);
}

TEST(ext2_fill_the_disk_1k)
{
    check_fill(1024);
}

TEST(ext2_fill_the_disk_4k)
{
    check_fill(4096);
}

/* Creating files until the inodes run out: -ENOSPC, and the directory is sound. */
TEST(ext2_run_out_of_inodes)
{
    const char *image = empty_image("inodes", 1024, 1024);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t free_inodes = fs->sb.s_free_inodes_count, ino;
    char name[32];
    int made = 0, err = 0;
    while (err == 0 && made < 100000) {
        snprintf(name, sizeof name, "f%d", made);
        err = ext2_create(fs, EXT2_ROOT_INO, name, strlen(name), 0644, &ino);
        made += err == 0;
    }
    CHECK_EQ(err, -ENOSPC);
    CHECK_EQ(made, free_inodes);
    CHECK_EQ(fs->sb.s_free_inodes_count, 0);
    CHECK_EQ(ext2_unlink(fs, EXT2_ROOT_INO, "f7", 2), 0);
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "again", 5, 0644, &ino), 0);
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck after running out of inodes");
}

/* A disk that stops answering after n requests, for n = 0, 1, 2, ...: every call
 * returns 0 or an error (-EIO), never anything else, and nothing crashes. */
TEST(ext2_device_errors_become_eio)
{
    char image[256];
    snprintf(image, sizeof image, "%s/eio.img", ext2_scratch());
    char staging[256];
    snprintf(staging, sizeof staging, "%s/staging", ext2_scratch());
    ext2_make_staging(staging);
    CHECK(ext2_make_image(image, 1024, 16 * 1024, staging), "mke2fs");
    int eio_seen = 0;
    for (int64_t after = 0; after < 400; after += 3) {
        ext2_sh("cp '%s' '%s.copy'", image, image);
        char copy[300];
        snprintf(copy, sizeof copy, "%s.copy", image);
        struct block_device *dev = block_file_open(copy, "vdb");
        block_file_fail_after(dev, after);
        struct ext2_fs *fs = NULL;
        int err = ext2_mount(dev, &fs);
        if (err != 0) {
            CHECK_EQ(err, -EIO);
            eio_seen++;
            block_file_close(dev);
            continue;
        }
        uint32_t ino = 0;
        uint8_t buf[4096];
        int results[6];
        results[0] = ext2_create(fs, EXT2_ROOT_INO, "n", 1, 0644, &ino);
        results[1] = (int)ext2_file_write(fs, ino ? ino : 12, 0, buf, sizeof buf);
        results[2] = ext2_mkdir(fs, EXT2_ROOT_INO, "m", 1, 0755, &ino);
        results[3] = (int)ext2_file_read(fs, 12, 0, buf, sizeof buf);
        results[4] = ext2_unlink(fs, EXT2_ROOT_INO, "hello.txt", 9);
        results[5] = ext2_unmount(fs);
        for (int i = 0; i < 6; i++) {
            CHECK(results[i] >= 0 || results[i] == -EIO || results[i] == -ENOENT ||
                      results[i] == -EEXIST || results[i] == -EISDIR,
                  "after %ld requests, step %d returned %d", (long)after, i, results[i]);
            eio_seen += results[i] == -EIO;
        }
        block_file_close(dev);
    }
    CHECK(eio_seen > 10, "-EIO came back %d times", eio_seen);
}

/* Eight block groups of 1024 blocks: directories spread over the groups, a file
 * fills the disk across all of them, and every group's counts stay exact. */
TEST(ext2_fill_many_groups)
{
    char image[256];
    snprintf(image, sizeof image, "%s/groups.img", ext2_scratch());
    CHECK_EQ(
        ext2_sh("mke2fs -q -F -t ext2 -b 1024 -g 1024 -N 512 '%s' 8192k >/dev/null 2>&1", image),
        0);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    CHECK_EQ(fs->group_count, 8);
    uint32_t groups_used = 0, ino, file;
    char name[16];
    for (int i = 0; i < 16; i++) {
        snprintf(name, sizeof name, "d%d", i);
        CHECK_EQ(ext2_mkdir(fs, EXT2_ROOT_INO, name, strlen(name), 0755, &ino), 0);
        groups_used |= 1u << ((ino - 1) / fs->sb.s_inodes_per_group);
    }
    /* Spread: each goes to the group with the most free inodes (group 0 has fewer:
     * the reserved ones), so groups 1..7 get them. */
    CHECK_EQ(groups_used, 0xfe);
    CHECK_EQ(ext2_create(fs, ino, "fill", 4, 0644, &file), 0);
    static uint8_t chunk[64 * KIB];
    uint64_t written = 0;
    int64_t n;
    while ((n = ext2_file_write(fs, file, written, chunk, sizeof chunk)) > 0)
        written += (uint64_t)n;
    CHECK_EQ(n, -ENOSPC);
    CHECK_EQ(fs->sb.s_free_blocks_count, 0);
    for (uint32_t g = 0; g < fs->group_count; g++)
        CHECK_EQ(fs->groups[g].bg_free_blocks_count, 0);
    CHECK_EQ(ext2_unlink(fs, ino, "fill", 4), 0);
    for (int i = 0; i < 16; i += 2) {
        snprintf(name, sizeof name, "d%d", i);
        CHECK_EQ(ext2_rmdir(fs, EXT2_ROOT_INO, name, strlen(name)), 0);
    }
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck after filling eight groups");
}
