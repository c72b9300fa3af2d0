/*
 * test_ext2_write.c — changing images through our ext2 code, then judging them
 * with the host's tools: after each test the image is unmounted and `e2fsck -fn`
 * must find nothing wrong; debugfs reads back the bytes and link counts, dumpe2fs
 * the free counts.
 */
#include <stdlib.h>

#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/balloc.h"
#include "kernel/fs/ext2/file.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/rename.h"
#include "kernel/fs/ext2/super.h"
#include "lib/format.h"
#include "lib/string.h"
#include "tests/host/check.h"
#include "tests/host/ext2_image.h"
#include "tests/host/fs_shim.h"

#define KIB 1024u
#define MIB (1024u * KIB)

/* A fresh image of the staging tree (size_kib, block_size) at a path of its own. */
static const char *fresh_image(uint32_t block_size, uint32_t size_kib, bool with_staging)
{
    static char image[256];
    static int serial;
    char staging[256];
    snprintf(staging, sizeof staging, "%s/staging", ext2_scratch());
    if (with_staging && serial == 0)
        ext2_make_staging(staging);
    snprintf(image, sizeof image, "%s/write-%d.img", ext2_scratch(), serial++);
    if (!ext2_make_image(image, block_size, size_kib, with_staging ? staging : NULL))
        CHECK(false, "mke2fs failed: see %s/mke2fs.log", ext2_scratch());
    return image;
}

/* Bytes of a pattern for files these tests write. */
static uint8_t byte_at(uint32_t seed, uint64_t offset)
{
    return (uint8_t)(offset * 7 + offset / 509 + seed);
}

static uint8_t *patterned(uint32_t seed, uint64_t offset, size_t n)
{
    uint8_t *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = byte_at(seed, offset + i);
    return buf;
}

/* The host's debugfs must see file path as size bytes of pattern seed, holes
 * (zeros) where hole_start <= offset < hole_end. */
static void host_sees(const char *image, const char *path, uint32_t seed, uint64_t size,
                      uint64_t hole_start, uint64_t hole_end)
{
    size_t got_size;
    uint8_t *got = ext2_debugfs_cat(image, path, &got_size);
    if (!CHECK(got != NULL && got_size == size, "debugfs cat %s: %zu bytes, expected %lu", path,
               got_size, (unsigned long)size)) {
        free(got);
        return;
    }
    for (uint64_t i = 0; i < size; i++) {
        uint8_t expected = i >= hole_start && i < hole_end ? 0 : byte_at(seed, i);
        if (!CHECK(got[i] == expected, "%s byte %lu: host reads 0x%x, expected 0x%x", path,
                   (unsigned long)i, got[i], expected))
            break;
    }
    free(got);
}

/* Unmount and let e2fsck judge. */
static void close_and_fsck(struct ext2_fs *fs, const char *image)
{
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck -fn %s found errors (above)", image);
}

static uint32_t create(struct ext2_fs *fs, uint32_t dir, const char *name)
{
    uint32_t ino = 0;
    CHECK_EQ(ext2_create(fs, dir, name, strlen(name), 0644, &ino), 0);
    return ino;
}

/* Write a file in uneven pieces (partial blocks, whole runs), with a hole, then a
 * piece far out that needs double (1 KiB: triple) indirect blocks. */
static void check_write_and_read_back(uint32_t block_size)
{
    const char *image = fresh_image(block_size, 16 * 1024, true);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t ino = create(fs, EXT2_ROOT_INO, "new.bin");
    const uint64_t size = 200 * KIB + 77, hole_start = 150 * KIB + 3, hole_end = 170 * KIB + 11;
    uint8_t *data = patterned(1, 0, size);
    static const uint32_t pieces[] = { 1, 1023, 1024, 3000, 4096, 9999, 65536 };
    uint64_t at = 0;
    for (int i = 0; at < hole_start; i = (i + 1) % 7) {
        uint64_t n = pieces[i] < hole_start - at ? pieces[i] : hole_start - at;
        CHECK_EQ(ext2_file_write(fs, ino, at, data + at, n), n);
        at += n;
    }
    CHECK_EQ(ext2_file_write(fs, ino, hole_end, data + hole_end, size - hole_end), size - hole_end);
    uint8_t *back = malloc(size);
    CHECK_EQ(ext2_file_read(fs, ino, 0, back, size), size);
    for (uint64_t i = 0; i < size; i++)
        if (!CHECK(back[i] == (i >= hole_start && i < hole_end ? 0 : data[i]), "byte %lu",
                   (unsigned long)i))
            break;
    uint32_t far = create(fs, EXT2_ROOT_INO, "far-new.bin");
    const uint64_t far_offset = 80ull * MIB + 5;
    CHECK_EQ(ext2_file_write(fs, far, far_offset, "far away", 8), 8);
    close_and_fsck(fs, image);
    host_sees(image, "/new.bin", 1, size, hole_start, hole_end);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/far-new.bin", "Size"), far_offset + 8);
    free(data);
    free(back);
}

TEST(ext2_write_reads_back_on_the_host_1k)
{
    check_write_and_read_back(1024);
}

TEST(ext2_write_reads_back_on_the_host_4k)
{
    check_write_and_read_back(4096);
}

/* A long write to a fresh file goes out in runs of blocks that lie one after the
 * other, one request per run (at most 64 blocks), not one request per block. */
TEST(ext2_write_sends_contiguous_blocks_in_one_request)
{
    const char *image = fresh_image(1024, 16 * 1024, true);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t ino = create(fs, EXT2_ROOT_INO, "run.bin");
    CHECK_EQ(ext2_sync(fs), 0);
    uint8_t *data = patterned(3, 0, 1 * MIB);
    uint64_t before = block_stats(fs->dev).requests;
    CHECK_EQ(ext2_file_write(fs, ino, 0, data, 1 * MIB), 1 * MIB);
    uint64_t requests = block_stats(fs->dev).requests - before;
    /* 1024 data blocks: 16 runs of 64 at best; indirect blocks and group edges break
     * a few more. One per block would be 1024. */
    CHECK(requests >= 16 && requests <= 64, "%lu requests for 1 MiB", (unsigned long)requests);
    uint8_t *back = malloc(1 * MIB);
    CHECK_EQ(ext2_file_read(fs, ino, 0, back, 1 * MIB), 1 * MIB);
    CHECK(memcmp(back, data, 1 * MIB) == 0, "1 MiB reads back");
    close_and_fsck(fs, image);
    free(back);
    free(data);
}

/* Truncating gives every block back: the free count returns to what it was, and a
 * file shrunk mid-block and grown again reads zeros past the cut. */
static void check_truncate(uint32_t block_size)
{
    const char *image = fresh_image(block_size, 16 * 1024, true);
    int64_t free_before = ext2_dumpe2fs_field(image, "Free blocks");
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t ino = create(fs, EXT2_ROOT_INO, "t.bin");
    uint8_t *data = patterned(2, 0, 600 * KIB);
    CHECK_EQ(ext2_file_write(fs, ino, 0, data, 600 * KIB), 600 * KIB);
    CHECK_EQ(ext2_file_write(fs, ino, 40ull * MIB, data, 3000), 3000);
    CHECK_EQ(ext2_file_truncate(fs, ino, 1000), 0);
    CHECK_EQ(ext2_file_truncate(fs, ino, 5000), 0);
    uint8_t back[5000];
    CHECK_EQ(ext2_file_read(fs, ino, 0, back, sizeof back), 5000);
    CHECK(memcmp(back, data, 1000) == 0, "the first 1000 bytes survive");
    bool zeros = true;
    for (int i = 1000; i < 5000; i++)
        zeros &= back[i] == 0;
    CHECK(zeros, "bytes past the cut read as zeros after growing again");
    struct ext2_stat st;
    CHECK_EQ(ext2_stat(fs, ino, &st), 0);
    CHECK_EQ(st.blocks, block_size / 512); /* one block left: 0..999 */
    /* Truncating far.bin (triple indirect) to 0 frees its indirect blocks too. */
    uint32_t far;
    CHECK_EQ(ext2_test_resolve(fs, "far.bin", &far), 0);
    CHECK_EQ(ext2_file_truncate(fs, far, 0), 0);
    CHECK_EQ(ext2_stat(fs, far, &st), 0);
    CHECK_EQ(st.blocks, 0);
    CHECK_EQ(ext2_unlink(fs, EXT2_ROOT_INO, "t.bin", 5), 0);
    close_and_fsck(fs, image);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/far.bin", "Size"), 0);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/far.bin", "Blockcount"), 0);
    /* Everything t.bin had is free again, and far.bin's blocks too. */
    CHECK(ext2_dumpe2fs_field(image, "Free blocks") > free_before,
          "free blocks %ld after, %ld before", (long)ext2_dumpe2fs_field(image, "Free blocks"),
          (long)free_before);
    free(data);
}

TEST(ext2_truncate_frees_blocks_1k)
{
    check_truncate(1024);
}

TEST(ext2_truncate_frees_blocks_4k)
{
    check_truncate(4096);
}

/* create + write + unlink returns the disk to its exact free counts. */
TEST(ext2_unlink_returns_every_block_and_inode)
{
    const char *image = fresh_image(1024, 16 * 1024, true);
    int64_t blocks = ext2_dumpe2fs_field(image, "Free blocks");
    int64_t inodes = ext2_dumpe2fs_field(image, "Free inodes");
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint8_t *data = patterned(3, 0, 400 * KIB);
    uint32_t ino = create(fs, EXT2_ROOT_INO, "gone.bin");
    CHECK_EQ(ext2_file_write(fs, ino, 0, data, 400 * KIB), 400 * KIB);
    CHECK_EQ(ext2_file_write(fs, ino, 30ull * MIB, data, 100), 100);
    CHECK(fs->sb.s_free_blocks_count < blocks - 400, "blocks were used");
    CHECK_EQ(ext2_unlink(fs, EXT2_ROOT_INO, "gone.bin", 8), 0);
    CHECK_EQ(fs->sb.s_free_blocks_count, blocks);
    CHECK_EQ(fs->sb.s_free_inodes_count, inodes);
    CHECK_EQ(ext2_unlink(fs, EXT2_ROOT_INO, "gone.bin", 8), -ENOENT);
    close_and_fsck(fs, image);
    CHECK_EQ(ext2_dumpe2fs_field(image, "Free blocks"), blocks);
    CHECK_EQ(ext2_dumpe2fs_field(image, "Free inodes"), inodes);
    free(data);
}

static uint32_t mkdir_at(struct ext2_fs *fs, uint32_t dir, const char *name)
{
    uint32_t ino = 0;
    CHECK_EQ(ext2_mkdir(fs, dir, name, strlen(name), 0755, &ino), 0);
    return ino;
}

static uint16_t links_of(struct ext2_fs *fs, uint32_t ino)
{
    struct ext2_stat st = { 0 };
    CHECK_EQ(ext2_stat(fs, ino, &st), 0);
    return st.nlink;
}

/* mkdir, rmdir, link, unlink, and their errors; link counts on both sides. */
TEST(ext2_namespace_operations)
{
    const char *image = fresh_image(1024, 8 * 1024, true);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint16_t root_links = links_of(fs, EXT2_ROOT_INO);
    uint32_t a = mkdir_at(fs, EXT2_ROOT_INO, "a");
    uint32_t b = mkdir_at(fs, a, "b");
    mkdir_at(fs, a, "c");
    CHECK_EQ(links_of(fs, EXT2_ROOT_INO), root_links + 1);
    CHECK_EQ(links_of(fs, a), 4); /* "a" in /, its ".", b's and c's ".." */
    CHECK_EQ(links_of(fs, b), 2);
    uint32_t ino, dotdot;
    CHECK_EQ(ext2_mkdir(fs, EXT2_ROOT_INO, "a", 1, 0755, &ino), -EEXIST);
    CHECK_EQ(ext2_lookup(fs, b, "..", 2, &dotdot), 0);
    CHECK_EQ(dotdot, a);
    uint32_t f = create(fs, b, "f");
    CHECK_EQ(ext2_create(fs, b, "f", 1, 0644, &ino), -EEXIST);
    CHECK_EQ(ext2_create(fs, f, "x", 1, 0644, &ino), -ENOTDIR);
    CHECK_EQ(ext2_file_write(fs, f, 0, "data", 4), 4);
    CHECK_EQ(ext2_link(fs, f, a, "f-link", 6), 0);
    CHECK_EQ(links_of(fs, f), 2);
    CHECK_EQ(ext2_link(fs, a, EXT2_ROOT_INO, "dir-link", 8), -EPERM);
    CHECK_EQ(ext2_rmdir(fs, a, "b", 1), -ENOTEMPTY);
    CHECK_EQ(ext2_rmdir(fs, b, "f", 1), -ENOTDIR);
    CHECK_EQ(ext2_unlink(fs, a, "b", 1), -EISDIR);
    CHECK_EQ(ext2_rmdir(fs, b, ".", 1), -EINVAL);
    CHECK_EQ(ext2_unlink(fs, b, "f", 1), 0);
    CHECK_EQ(links_of(fs, f), 1);
    char text[8];
    CHECK_EQ(ext2_lookup(fs, a, "f-link", 6, &ino), 0);
    CHECK_EQ(ext2_file_read(fs, ino, 0, text, sizeof text), 4);
    CHECK_EQ(ext2_rmdir(fs, a, "b", 1), 0);
    CHECK_EQ(links_of(fs, a), 3);
    CHECK_EQ(ext2_lookup(fs, a, "b", 1, &ino), -ENOENT);
    char long_name[300];
    memset(long_name, 'n', sizeof long_name);
    CHECK_EQ(ext2_create(fs, a, long_name, 256, 0644, &ino), -ENAMETOOLONG);
    CHECK_EQ(ext2_create(fs, a, long_name, 255, 0644, &ino), 0);
    close_and_fsck(fs, image);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/a", "Links"), 3);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/a/f-link", "Links"), 1);
}

/* rename: in a directory, across directories (a directory's ".." follows), over a
 * file, over an empty directory, and the errors of rename(2). */
TEST(ext2_rename_cases)
{
    const char *image = fresh_image(1024, 8 * 1024, true);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t r = EXT2_ROOT_INO, ino;
    uint32_t x = mkdir_at(fs, r, "x"), y = mkdir_at(fs, r, "y");
    uint32_t d = mkdir_at(fs, x, "d");
    mkdir_at(fs, d, "inner");
    uint32_t f = create(fs, x, "f");
    create(fs, y, "g");
    CHECK_EQ(ext2_rename(fs, x, "f", 1, x, "f2", 2), 0); /* same directory */
    CHECK_EQ(ext2_lookup(fs, x, "f2", 2, &ino), 0);
    CHECK_EQ(ino, f);
    CHECK_EQ(ext2_lookup(fs, x, "f", 1, &ino), -ENOENT);
    CHECK_EQ(ext2_rename(fs, x, "f2", 2, y, "g", 1), 0); /* over a file: g's inode goes */
    CHECK_EQ(ext2_lookup(fs, y, "g", 1, &ino), 0);
    CHECK_EQ(ino, f);
    CHECK_EQ(ext2_rename(fs, x, "d", 1, d, "self", 4), -EINVAL); /* into itself */
    uint32_t inner;
    CHECK_EQ(ext2_lookup(fs, d, "inner", 5, &inner), 0);
    CHECK_EQ(ext2_rename(fs, x, "d", 1, inner, "below", 5), -EINVAL);
    CHECK_EQ(ext2_rename(fs, r, "y", 1, x, "d", 1), -ENOTEMPTY); /* d holds inner */
    CHECK_EQ(ext2_rename(fs, y, "g", 1, x, "d", 1), -EISDIR);
    CHECK_EQ(ext2_rename(fs, x, "d", 1, y, "g", 1), -ENOTDIR);
    CHECK_EQ(ext2_rename(fs, x, "nope", 4, y, "z", 1), -ENOENT);
    CHECK_EQ(ext2_rename(fs, x, "..", 2, y, "z", 1), -EINVAL);
    CHECK_EQ(ext2_rename(fs, x, "d", 1, y, "d", 1), 0); /* a directory moves */
    CHECK_EQ(ext2_lookup(fs, d, "..", 2, &ino), 0);
    CHECK_EQ(ino, y);
    CHECK_EQ(links_of(fs, x), 2);
    CHECK_EQ(links_of(fs, y), 3);
    mkdir_at(fs, x, "empty");
    CHECK_EQ(ext2_rename(fs, y, "d", 1, x, "empty", 5), 0); /* over an empty directory */
    CHECK_EQ(links_of(fs, x), 3);
    CHECK_EQ(links_of(fs, y), 2);
    CHECK_EQ(ext2_link(fs, f, x, "same", 4), 0);
    CHECK_EQ(ext2_rename(fs, x, "same", 4, y, "g", 1), 0); /* two links to one inode */
    CHECK_EQ(ext2_lookup(fs, x, "same", 4, &ino), 0);
    close_and_fsck(fs, image);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/x/empty/inner", "Links"), 2);
    CHECK_EQ(ext2_debugfs_stat_field(image, "/y/g", "Links"), 2);
}

/* Many entries: the directory grows block by block; removed entries' space is
 * reused before the directory grows again. */
TEST(ext2_directory_grows_and_reuses_space)
{
    const char *image = fresh_image(1024, 8 * 1024, false);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t d = mkdir_at(fs, EXT2_ROOT_INO, "many"), ino;
    char name[32];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "entry-number-%d", i);
        create(fs, d, name);
    }
    struct ext2_stat st;
    CHECK_EQ(ext2_stat(fs, d, &st), 0);
    uint64_t size = st.size;
    CHECK(size > 10 * 1024, "500 entries take %lu bytes", (unsigned long)size);
    for (int i = 0; i < 500; i += 2) {
        snprintf(name, sizeof name, "entry-number-%d", i);
        CHECK_EQ(ext2_unlink(fs, d, name, strlen(name)), 0);
    }
    for (int i = 0; i < 500; i += 2) {
        snprintf(name, sizeof name, "entry-number-%d", i);
        create(fs, d, name);
    }
    CHECK_EQ(ext2_stat(fs, d, &st), 0);
    CHECK_EQ(st.size, size);
    CHECK_EQ(ext2_lookup(fs, d, "entry-number-498", 16, &ino), 0);
    close_and_fsck(fs, image);
}

/* Timestamps come from the clock: create sets all three, a write later mtime and ctime. */
TEST(ext2_timestamps_follow_the_clock)
{
    const char *image = fresh_image(1024, 4 * 1024, false);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint64_t saved = fs_shim_time_ns;
    fs_shim_time_ns = 1750000000ull * 1000000000ull; /* in the past: e2fsck checks */
    uint32_t ino = create(fs, EXT2_ROOT_INO, "t");
    struct ext2_stat st;
    CHECK_EQ(ext2_stat(fs, ino, &st), 0);
    CHECK_EQ(st.mtime, 1750000000u);
    CHECK_EQ(st.ctime, 1750000000u);
    fs_shim_time_ns += 5000000000ull;
    CHECK_EQ(ext2_file_write(fs, ino, 0, "x", 1), 1);
    CHECK_EQ(ext2_stat(fs, ino, &st), 0);
    CHECK_EQ(st.mtime, 1750000005u);
    CHECK_EQ(ext2_stat(fs, EXT2_ROOT_INO, &st), 0);
    CHECK_EQ(st.mtime, 1750000000u); /* the directory changed when t was made */
    close_and_fsck(fs, image);
    fs_shim_time_ns = saved;
    CHECK_EQ(ext2_debugfs_stat_field(image, "/t", "Size"), 1);
}

/* Shares b's attribute block with a (mke2fs -d gives each its own): the block's
 * refcount becomes 2 and b's own block is freed. */
static void share_attribute_block(struct ext2_fs *fs, uint32_t a, uint32_t b)
{
    struct ext2_inode ia, ib;
    CHECK_EQ(ext2_inode_read(fs, a, &ia), 0);
    CHECK_EQ(ext2_inode_read(fs, b, &ib), 0);
    if (!CHECK(ia.i_file_acl != 0 && ib.i_file_acl != 0, "both have attribute blocks"))
        return;
    struct buffer *buf;
    CHECK_EQ(buffer_get(fs->cache, fs->dev, ia.i_file_acl, &buf), 0);
    ((struct ext2_xattr_header *)buf->data)->h_refcount = 2;
    buffer_mark_dirty(buf);
    buffer_release(fs->cache, buf);
    CHECK_EQ(ext2_block_free(fs, ib.i_file_acl), 0);
    ib.i_file_acl = ia.i_file_acl;
    CHECK_EQ(ext2_inode_write(fs, b, &ib), 0);
}

/* Inodes with the same extended attributes share one attribute block: unlinking one
 * drops a reference, unlinking the last frees the block. */
TEST(ext2_unlink_releases_shared_attribute_blocks)
{
    char staging[256], image[256];
    snprintf(staging, sizeof staging, "%s/xattr", ext2_scratch());
    snprintf(image, sizeof image, "%s/xattr.img", ext2_scratch());
    CHECK_EQ(
        ext2_sh("mkdir -p '%s' && echo a > '%s/a' && echo b > '%s/b' && python3 -c "
                "\"import os; [os.setxattr('%s/' + n, 'user.note', b'shared') for n in 'ab']\"",
                staging, staging, staging, staging),
        0);
    /* 128-byte inodes have no room for attributes inside: they go to a block. */
    CHECK_EQ(ext2_sh("mke2fs -q -F -t ext2 -b 1024 -I 128 -d '%s' '%s' 2048k >/dev/null 2>&1",
                     staging, image),
             0);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t a, b;
    CHECK_EQ(ext2_lookup(fs, EXT2_ROOT_INO, "a", 1, &a), 0);
    CHECK_EQ(ext2_lookup(fs, EXT2_ROOT_INO, "b", 1, &b), 0);
    share_attribute_block(fs, a, b);
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck with a shared attribute block");
    int64_t free_before = ext2_dumpe2fs_field(image, "Free blocks");
    fs = ext2_open_image(image, "vda");
    CHECK_EQ(ext2_unlink(fs, EXT2_ROOT_INO, "a", 1), 0);
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck with one reference left");
    CHECK_EQ(ext2_dumpe2fs_field(image, "Free blocks"), free_before + 1); /* a's data block */
    fs = ext2_open_image(image, "vda");
    CHECK_EQ(ext2_unlink(fs, EXT2_ROOT_INO, "b", 1), 0);
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck with the attribute block freed");
    CHECK_EQ(ext2_dumpe2fs_field(image, "Free blocks"), free_before + 3);
}

static bool everything_is_open(void *ctx, uint32_t ino)
{
    (void)ctx;
    (void)ino;
    return true;
}

/* Unlinking an open file keeps its blocks until the VFS's last close calls
 * ext2_evict; and nothing can be written past the largest file the map addresses. */
TEST(ext2_unlinked_open_file_lives_until_evict)
{
    const char *image = fresh_image(1024, 4 * 1024, false);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t free_blocks = fs->sb.s_free_blocks_count;
    uint32_t ino = create(fs, EXT2_ROOT_INO, "open");
    CHECK_EQ(ext2_file_write(fs, ino, 0, "still here", 10), 10);
    fs->inode_is_open = everything_is_open;
    CHECK_EQ(ext2_unlink(fs, EXT2_ROOT_INO, "open", 4), 0);
    char text[16];
    CHECK_EQ(ext2_file_read(fs, ino, 0, text, sizeof text), 10); /* no name, still readable */
    CHECK(memcmp(text, "still here", 10) == 0, "reads %.10s", text);
    CHECK_EQ(ext2_file_write(fs, ino, 10, "!", 1), 1);
    struct ext2_stat st;
    CHECK_EQ(ext2_stat(fs, ino, &st), 0);
    CHECK_EQ(st.nlink, 0);
    CHECK_EQ(st.size, 11);
    struct ext2_inode inode;
    CHECK_EQ(ext2_inode_read(fs, ino, &inode), 0);
    CHECK(inode.i_block[0] != 0, "the data block is still allocated");
    CHECK_EQ(fs->sb.s_free_blocks_count, free_blocks - 1);
    CHECK_EQ(ext2_evict(fs, ino), 0);
    CHECK_EQ(fs->sb.s_free_blocks_count, free_blocks);
    uint32_t big = create(fs, EXT2_ROOT_INO, "big");
    CHECK_EQ(ext2_file_write(fs, big, fs->max_file_size, "x", 1), -EFBIG);
    CHECK_EQ(ext2_file_truncate(fs, big, fs->max_file_size + 1), -EFBIG);
    fs->inode_is_open = NULL;
    close_and_fsck(fs, image);
}

/* Link limits: a file at EXT2_LINK_MAX links takes no more (-EMLINK), nor does a
 * directory with that many subdirectories. (The counts are set by hand, so this
 * image is not shown to e2fsck.) */
TEST(ext2_link_limits_are_emlink)
{
    const char *image = fresh_image(1024, 4 * 1024, false);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t f = create(fs, EXT2_ROOT_INO, "f"), d = mkdir_at(fs, EXT2_ROOT_INO, "d"), ino;
    struct ext2_inode inode;
    CHECK_EQ(ext2_inode_read(fs, f, &inode), 0);
    inode.i_links_count = EXT2_LINK_MAX - 1;
    CHECK_EQ(ext2_inode_write(fs, f, &inode), 0);
    CHECK_EQ(ext2_link(fs, f, d, "one-more", 8), 0);
    CHECK_EQ(ext2_link(fs, f, d, "too-many", 8), -EMLINK);
    CHECK_EQ(ext2_inode_read(fs, d, &inode), 0);
    inode.i_links_count = EXT2_LINK_MAX;
    CHECK_EQ(ext2_inode_write(fs, d, &inode), 0);
    CHECK_EQ(ext2_mkdir(fs, d, "sub", 3, 0755, &ino), -EMLINK);
    uint32_t e = mkdir_at(fs, EXT2_ROOT_INO, "e");
    mkdir_at(fs, e, "moving");
    CHECK_EQ(ext2_rename(fs, e, "moving", 6, d, "moved", 5), -EMLINK);
    CHECK_EQ(ext2_rename(fs, e, "moving", 6, e, "renamed", 7), 0); /* same parent: fine */
    CHECK_EQ(ext2_close_image(fs), 0);
}

/* A directory with a hashed index (e2fsck -D builds one): we keep it as a plain
 * list and drop the index flag when we change it, so e2fsck still agrees. */
TEST(ext2_indexed_directory_is_changed_as_a_list)
{
    const char *image = fresh_image(1024, 16 * 1024, true);
    ext2_sh("e2fsck -fyD '%s' >/dev/null 2>&1", image);
    char *flags = ext2_sh_output(
        "debugfs -R 'stat /dir' '%s' 2>/dev/null | grep -o 'Flags: 0x[0-9a-f]*'", image);
    CHECK(ext2_text_contains(flags, "0x1000"), "e2fsck -D indexed /dir: %s", flags);
    free(flags);
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t dir, ino;
    CHECK_EQ(ext2_test_resolve(fs, "/dir", &dir), 0);
    CHECK_EQ(ext2_lookup(fs, dir, "file-123", 8, &ino), 0);
    CHECK_EQ(ext2_unlink(fs, dir, "file-123", 8), 0);
    CHECK_EQ(ext2_create(fs, dir, "a-new-name", 10, 0644, &ino), 0);
    struct ext2_inode inode;
    CHECK_EQ(ext2_inode_read(fs, dir, &inode), 0);
    CHECK_EQ(inode.i_flags & EXT2_INDEX_FL, 0);
    close_and_fsck(fs, image);
}
