/*
 * test_ext2_symlink.c — symbolic links made by our ext2 code (symlink.c), judged by
 * the host: debugfs rdump copies the links out and the host's readlink reads each
 * target back; debugfs stat says which are fast; e2fsck -fn finds nothing wrong;
 * dumpe2fs's free counts return when the links are unlinked.
 */
#include <stdlib.h>
#include <unistd.h>

#include "kernel/errno.h"
#include "kernel/fs/ext2/file.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/super.h"
#include "kernel/fs/ext2/symlink.h"
#include "lib/format.h"
#include "lib/string.h"
#include "tests/host/check.h"
#include "tests/host/ext2_image.h"
#include "tests/host/fs_shim.h"

#define BLOCK 1024u

/* Target lengths around the two limits: 59 is the longest fast link, 60 the
 * shortest slow one, 1023 the longest that fits a 1 KiB block with its zero. */
static const uint32_t lengths[] = { 1, 10, 59, 60, 61, 200, 1023 };
#define LINKS (sizeof lengths / sizeof lengths[0])

/* A target of len bytes that differs per length ("t/"-separated digits). */
static char *target_of(uint32_t len)
{
    char *t = malloc(len + 1);
    for (uint32_t i = 0; i < len; i++)
        t[i] = i % 7 == 6 ? '/' : (char)('a' + (i * 3 + len) % 26);
    t[len] = '\0';
    return t;
}

static const char *fresh_image(void)
{
    static char image[256];
    snprintf(image, sizeof image, "%s/symlink.img", ext2_scratch());
    if (!ext2_make_image(image, BLOCK, 2048, NULL))
        CHECK(false, "mke2fs failed: see %s/mke2fs.log", ext2_scratch());
    return image;
}

/* Make every link of lengths[] in directory dir ("l<len>"), and read each back. */
static void make_links(struct ext2_fs *fs, uint32_t dir)
{
    for (size_t i = 0; i < LINKS; i++) {
        char name[16], *target = target_of(lengths[i]), back[BLOCK];
        snprintf(name, sizeof name, "l%u", lengths[i]);
        uint32_t ino = 0;
        CHECK_EQ(ext2_symlink(fs, dir, name, strlen(name), target, lengths[i], &ino), 0);
        CHECK_EQ(ext2_file_read(fs, ino, 0, back, sizeof back), lengths[i]);
        CHECK(memcmp(back, target, lengths[i]) == 0, "%s reads back its target", name);
        struct ext2_stat st;
        CHECK_EQ(ext2_stat(fs, ino, &st), 0);
        CHECK_EQ(st.mode, 0120777);
        CHECK_EQ(st.size, lengths[i]);
        CHECK_EQ(st.blocks, lengths[i] < 60 ? 0 : BLOCK / 512);
        free(target);
    }
}

/* The host copies /d out with debugfs rdump; each link must read its target. */
static void host_reads_links(const char *image)
{
    char out[256];
    snprintf(out, sizeof out, "%s/rdump", ext2_scratch());
    ext2_sh("rm -rf '%s' && mkdir -p '%s' && debugfs -R 'rdump /d %s' '%s' >/dev/null 2>&1", out,
            out, out, image);
    for (size_t i = 0; i < LINKS; i++) {
        char path[320], got[BLOCK + 1], *want = target_of(lengths[i]);
        snprintf(path, sizeof path, "%s/d/l%u", out, lengths[i]);
        ssize_t n = readlink(path, got, sizeof got - 1);
        got[n > 0 ? n : 0] = '\0';
        CHECK(n == (ssize_t)lengths[i] && strcmp(got, want) == 0,
              "host readlink of l%u: %zd bytes, want %u", lengths[i], n, lengths[i]);
        free(want);
    }
    char *stat = ext2_sh_output("debugfs -R 'stat /d/l59' '%s' 2>/dev/null", image);
    CHECK(ext2_text_contains(stat, "Fast link dest:"), "l59 is a fast link: %s", stat);
    free(stat);
    stat = ext2_sh_output("debugfs -R 'stat /d/l60' '%s' 2>/dev/null", image);
    CHECK(!ext2_text_contains(stat, "Fast link dest:"), "l60 is a slow link: %s", stat);
    free(stat);
}

TEST(ext2_symlinks_fast_and_slow_read_back_on_the_host)
{
    const char *image = fresh_image();
    int64_t blocks = ext2_dumpe2fs_field(image, "Free blocks");
    int64_t inodes = ext2_dumpe2fs_field(image, "Free inodes");
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t dir = 0, ino = 0;
    CHECK_EQ(ext2_mkdir(fs, EXT2_ROOT_INO, "d", 1, 0755, &dir), 0);
    make_links(fs, dir);
    char *too_long = target_of(BLOCK);
    CHECK_EQ(ext2_symlink(fs, dir, "x", 1, too_long, BLOCK, &ino), -ENAMETOOLONG);
    CHECK_EQ(ext2_symlink(fs, dir, "l1", 2, "y", 1, &ino), -EEXIST); /* EEXIST before length */
    CHECK_EQ(ext2_symlink(fs, dir, "l1", 2, too_long, BLOCK, &ino), -EEXIST);
    free(too_long);
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck -fn after making links");
    host_reads_links(image);
    /* unlinking them all gives back every block and inode */
    fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount again"))
        return;
    for (size_t i = 0; i < LINKS; i++) {
        char name[16];
        snprintf(name, sizeof name, "l%u", lengths[i]);
        CHECK_EQ(ext2_unlink(fs, dir, name, strlen(name)), 0);
    }
    CHECK_EQ(ext2_rmdir(fs, EXT2_ROOT_INO, "d", 1), 0);
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck -fn after unlinking them");
    CHECK_EQ(ext2_dumpe2fs_field(image, "Free blocks"), blocks);
    CHECK_EQ(ext2_dumpe2fs_field(image, "Free inodes"), inodes);
}

static uint64_t size_of(struct ext2_fs *fs, uint32_t ino)
{
    struct ext2_stat st = { 0 };
    ext2_stat(fs, ino, &st);
    return st.size;
}

/* A full disk: a slow link gets -ENOSPC and leaves nothing behind (its inode
 * is freed again); a fast one, needing no block, is still made. */
TEST(ext2_symlink_on_a_full_disk)
{
    const char *image = fresh_image();
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    if (!CHECK(fs != NULL, "mount"))
        return;
    uint32_t ino = 0;
    CHECK_EQ(ext2_create(fs, EXT2_ROOT_INO, "fill", 4, 0644, &ino), 0);
    static uint8_t chunk[64 * BLOCK];
    while (ext2_file_write(fs, ino, size_of(fs, ino), chunk, sizeof chunk) > 0)
        ;
    uint32_t inodes = fs->sb.s_free_inodes_count;
    char *target = target_of(100);
    CHECK_EQ(ext2_symlink(fs, EXT2_ROOT_INO, "slow", 4, target, 100, &ino), -ENOSPC);
    CHECK_EQ(fs->sb.s_free_inodes_count, inodes);
    CHECK_EQ(ext2_symlink(fs, EXT2_ROOT_INO, "fast", 4, target, 40, &ino), 0);
    free(target);
    CHECK_EQ(ext2_close_image(fs), 0);
    CHECK(ext2_fsck_clean(image), "e2fsck -fn after a full disk");
}
