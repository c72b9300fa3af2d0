/*
 * test_ext2_read.c — reading images made by the host's mke2fs from a staging tree
 * of known files (tests/host/ext2_image.c), with 1 KiB and 4 KiB blocks: every
 * byte read must be the staging file's, holes zeros, far offsets (double and
 * triple indirect blocks) included; directories list every entry with its type.
 */
#include <stdlib.h>

#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/ext2/dir.h"
#include "kernel/fs/ext2/file.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/super.h"
#include "lib/format.h"
#include "lib/string.h"
#include "tests/host/check.h"
#include "tests/host/ext2_image.h"

#define GIB (1ull << 30)

/* The image with the staging tree, made once per block size. */
static const char *image_of(uint32_t block_size)
{
    static char images[3][256];
    char *image = images[block_size / 2048];
    if (image[0] == '\0') {
        char staging[256];
        snprintf(staging, sizeof staging, "%s/staging", ext2_scratch());
        ext2_make_staging(staging);
        snprintf(image, 256, "%s/read-%u.img", ext2_scratch(), block_size);
        if (!ext2_make_image(image, block_size, 16 * 1024, staging))
            image[0] = '\0';
    }
    return image;
}

/* Compare n bytes of name read at offset (in one call) with the staging file. */
static bool read_matches(struct ext2_fs *fs, const char *name, uint64_t offset, uint64_t n)
{
    uint32_t ino;
    if (!CHECK_EQ(ext2_test_resolve(fs, name, &ino), 0))
        return false;
    uint8_t *buf = malloc(n);
    int64_t got = ext2_file_read(fs, ino, offset, buf, n);
    bool ok = CHECK(got == (int64_t)n, "%s at %lu: read %ld of %lu bytes", name,
                    (unsigned long)offset, (long)got, (unsigned long)n);
    for (uint64_t i = 0; ok && i < n; i++)
        ok = CHECK(buf[i] == ext2_expected_byte(name, offset + i),
                   "%s byte %lu: got 0x%x, expected 0x%x", name, (unsigned long)(offset + i),
                   buf[i], ext2_expected_byte(name, offset + i));
    free(buf);
    return ok;
}

static void check_known_files(uint32_t block_size)
{
    struct ext2_fs *fs = ext2_open_image(image_of(block_size), "vda");
    if (!CHECK(fs != NULL, "mounting the %u-byte-block image", block_size))
        return;
    CHECK_EQ(fs->block_size, block_size);
    read_matches(fs, "small.bin", 0, 5000);
    read_matches(fs, "medium.bin", 0, 300 * 1024 + 123);
    read_matches(fs, "medium.bin", 1000, 77777); /* unaligned start and length */
    read_matches(fs, "sparse.bin", 0, 2 * 1024 * 1024 + 100);
    read_matches(fs, "far.bin", 0, 65536);
    read_matches(fs, "far.bin", 5 * GIB - 3000, 7096); /* hole, then the data */
    uint32_t ino;
    char text[32];
    CHECK_EQ(ext2_test_resolve(fs, "/hello.txt", &ino), 0);
    CHECK_EQ(ext2_file_read(fs, ino, 0, text, sizeof text), 12);
    CHECK(memcmp(text, "hello, ext2\n", 12) == 0, "hello.txt reads %.12s", text);
    CHECK_EQ(ext2_file_read(fs, ino, 12, text, sizeof text), 0); /* at the end */
    CHECK_EQ(ext2_file_read(fs, ino, 1000, text, sizeof text), 0);
    CHECK_EQ(ext2_test_resolve(fs, "/link", &ino), 0);
    CHECK_EQ(ext2_file_read(fs, ino, 0, text, sizeof text), 9);
    CHECK(memcmp(text, "hello.txt", 9) == 0, "link reads %.9s", text);
    CHECK_EQ(ext2_test_resolve(fs, "/dir/sub/deep/x.txt", &ino), 0);
    CHECK_EQ(ext2_file_read(fs, ino, 0, text, sizeof text), 5);
    CHECK_EQ(ext2_test_resolve(fs, "/dir", &ino), 0);
    CHECK_EQ(ext2_file_read(fs, ino, 0, text, sizeof text), -EISDIR);
    CHECK_EQ(ext2_test_resolve(fs, "/nope", &ino), -ENOENT);
    CHECK_EQ(ext2_test_resolve(fs, "/hello.txt/x", &ino), -ENOTDIR);
    CHECK_EQ(ext2_close_image(fs), 0);
}

TEST(ext2_reads_known_files_1k)
{
    check_known_files(1024);
}

TEST(ext2_reads_known_files_2k)
{
    check_known_files(2048);
}

TEST(ext2_reads_known_files_4k)
{
    check_known_files(4096);
}

/* far.bin's block at 5 GiB needs a triple indirect block with 1 KiB blocks (double
 * covers up to 12 + 256 + 65536 blocks = about 64 MiB) and with 4 KiB blocks
 * (double: up to about 4 GiB). The host agrees on the size and block count. */
static void check_far_file_map(uint32_t block_size)
{
    const char *image = image_of(block_size);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t ino;
    struct ext2_inode inode;
    CHECK_EQ(ext2_test_resolve(fs, "far.bin", &ino), 0);
    CHECK_EQ(ext2_inode_read(fs, ino, &inode), 0);
    CHECK(inode.i_block[EXT2_TIND_BLOCK] != 0, "far.bin has a triple indirect block");
    CHECK_EQ(ext2_inode_size(&inode), 5 * GIB + 4096);
    CHECK_EQ(inode.i_blocks, (uint64_t)ext2_debugfs_stat_field(image, "/far.bin", "Blockcount"));
    CHECK_EQ(ext2_close_image(fs), 0);
}

TEST(ext2_far_file_uses_triple_indirect_1k)
{
    check_far_file_map(1024);
}

TEST(ext2_far_file_uses_triple_indirect_4k)
{
    check_far_file_map(4096);
}

/* getdents-style listing: collects names and types; stops when `room` runs out. */
struct listing {
    int count, room, dirs, regular;
    bool seen[300];
};

static int list_entry(void *ctx, const char *name, uint32_t len, uint32_t ino, uint8_t type,
                      uint64_t next)
{
    (void)ino;
    (void)next;
    struct listing *l = ctx;
    if (l->room-- == 0)
        return 1;
    l->count++;
    l->dirs += type == 4;
    l->regular += type == 8;
    int n;
    char copy[16] = { 0 };
    if (len == 8 && memcmp(name, "file-", 5) == 0) {
        memcpy(copy, name + 5, 3);
        n = (copy[0] - '0') * 100 + (copy[1] - '0') * 10 + (copy[2] - '0');
        if (n >= 0 && n < 300)
            l->seen[n] = true;
    }
    return 0;
}

/* 300 entries plus . .. sub, read in batches of 7 as getdents64 would, resuming at
 * the position each batch stopped. */
static void check_big_directory(uint32_t block_size)
{
    struct ext2_fs *fs = ext2_open_image(image_of(block_size), "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t ino;
    struct ext2_inode dir;
    CHECK_EQ(ext2_test_resolve(fs, "dir", &ino), 0);
    CHECK_EQ(ext2_inode_read(fs, ino, &dir), 0);
    struct listing l = { 0 };
    uint64_t pos = 0;
    for (int batch = 0; batch < 100; batch++) {
        l.room = 7;
        CHECK_EQ(ext2_dir_iterate(fs, ino, &dir, &pos, list_entry, &l), 0);
        if (l.room >= 0)
            break; /* the directory ended before the batch was full */
    }
    CHECK_EQ(l.count, 303);
    CHECK_EQ(l.dirs, 3); /* ".", "..", "sub" */
    CHECK_EQ(l.regular, 300);
    for (int i = 0; i < 300; i++)
        CHECK(l.seen[i], "file-%03d listed", i);
    uint32_t found;
    CHECK_EQ(ext2_lookup(fs, ino, "file-299", 8, &found), 0);
    char text[16];
    CHECK_EQ(ext2_file_read(fs, found, 0, text, sizeof text), 9);
    CHECK(memcmp(text, "file 299\n", 9) == 0, "file-299 reads %.9s", text);
    CHECK_EQ(ext2_close_image(fs), 0);
}

TEST(ext2_lists_a_big_directory_1k)
{
    check_big_directory(1024);
}

TEST(ext2_lists_a_big_directory_4k)
{
    check_big_directory(4096);
}

static int count_unknown_types(void *ctx, const char *name, uint32_t len, uint32_t ino,
                               uint8_t type, uint64_t next)
{
    (void)name;
    (void)len;
    (void)ino;
    (void)next;
    *(int *)ctx += type == EXT2_DT_UNKNOWN ? 1 : 1000;
    return 0;
}

/* Revision 0 (mke2fs -r 0): 128-byte inodes, no features, so no file types in
 * directory entries (d_type is DT_UNKNOWN). Read it, change it, and e2fsck agrees. */
TEST(ext2_revision_0_read_and_write)
{
    char staging[256], image[256];
    snprintf(staging, sizeof staging, "%s/rev0", ext2_scratch());
    snprintf(image, sizeof image, "%s/rev0.img", ext2_scratch());
    CHECK_EQ(ext2_sh("mkdir -p '%s/d' && echo zero > '%s/d/f' && mke2fs -q -F -t ext2 -r 0 -b 1024 "
                     "-d '%s' '%s' 4096k >/dev/null 2>&1",
                     staging, staging, staging, image),
             0);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    CHECK_EQ(fs->sb.s_rev_level, 0);
    CHECK_EQ(fs->inode_size, 128);
    CHECK(!fs->has_filetype, "no filetype feature in revision 0");
    uint32_t d, f, g;
    char text[8];
    CHECK_EQ(ext2_test_resolve(fs, "/d/f", &f), 0);
    CHECK_EQ(ext2_file_read(fs, f, 0, text, sizeof text), 5);
    CHECK_EQ(ext2_test_resolve(fs, "/d", &d), 0);
    CHECK_EQ(ext2_create(fs, d, "g", 1, 0644, &g), 0);
    CHECK_EQ(ext2_file_write(fs, g, 0, "one", 3), 3);
    CHECK_EQ(ext2_mkdir(fs, d, "sub", 3, 0755, &g), 0);
    struct ext2_inode dir;
    CHECK_EQ(ext2_inode_read(fs, d, &dir), 0);
    int types = 0;
    uint64_t pos = 0;
    CHECK_EQ(ext2_dir_iterate(fs, d, &dir, &pos, count_unknown_types, &types), 0);
    CHECK_EQ(types, 5); /* . .. f g sub, all DT_UNKNOWN */
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck on the revision 0 image");
}

/* The superblock's numbers as we read them are dumpe2fs's. */
TEST(ext2_superblock_matches_dumpe2fs)
{
    const char *image = image_of(1024);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    CHECK_EQ(fs->sb.s_blocks_count, ext2_dumpe2fs_field(image, "Block count"));
    CHECK_EQ(fs->sb.s_inodes_count, ext2_dumpe2fs_field(image, "Inode count"));
    CHECK_EQ(fs->sb.s_free_blocks_count, ext2_dumpe2fs_field(image, "Free blocks"));
    CHECK_EQ(fs->sb.s_free_inodes_count, ext2_dumpe2fs_field(image, "Free inodes"));
    CHECK_EQ(fs->inode_size, ext2_dumpe2fs_field(image, "Inode size"));
    CHECK_EQ(fs->sb.s_blocks_per_group, ext2_dumpe2fs_field(image, "Blocks per group"));
    CHECK_EQ(ext2_close_image(fs), 0);
}
