/*
 * bench_ext2.c — how fast the ext2 core is on the host, over the file-backed
 * block device (so the disk is the host's page cache: this measures our code, not
 * a disk). Not a test: it prints numbers.
 *
 *   build/host/bench_ext2        (built by make test-host; optimised, no sanitizers)
 *
 * 1. read a 64 MiB file (made by mke2fs -d) through ext2_file_read in 64 KiB pieces;
 * 2. create 1,000 small files (100 bytes each) in one directory, then delete them,
 *    then sync; e2fsck checks the image afterwards.
 */
#undef snprintf
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernel/dev/block.h"
#include "kernel/fs/buffer.h"
#include "kernel/fs/ext2/file.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/super.h"
#include "lib/string.h"
#include "tests/host/ext2_image.h"

#define MIB        (1024u * 1024u)
#define FILE_SIZE  (64u * MIB)
#define PIECE      (64u * 1024u)
#define SMALL      1000
#define SMALL_SIZE 100

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Read the whole file once; MB/s, or 0 if a byte is wrong. */
static double read_file(struct ext2_fs *fs, uint32_t ino)
{
    static uint8_t buf[PIECE];
    double start = now();
    uint64_t sum = 0;
    for (uint64_t at = 0; at < FILE_SIZE; at += PIECE) {
        if (ext2_file_read(fs, ino, at, buf, PIECE) != PIECE)
            return 0;
        sum += buf[at % PIECE / 4096];
    }
    double seconds = now() - start;
    (void)sum;
    return FILE_SIZE / seconds / 1e6;
}

static void bench_read(uint32_t block_size)
{
    char staging[256], image[256];
    snprintf(staging, sizeof staging, "%s/big", ext2_scratch());
    snprintf(image, sizeof image, "%s/big-%u.img", ext2_scratch(), block_size);
    ext2_sh("mkdir -p '%s' && head -c %u /dev/urandom > '%s/big.bin'", staging, FILE_SIZE, staging);
    if (!ext2_make_image(image, block_size, 80 * 1024, staging)) {
        printf("mke2fs failed\n");
        return;
    }
    struct ext2_fs *fs = ext2_open_image(image, "vda");
    uint32_t ino;
    if (fs == NULL || ext2_test_resolve(fs, "/big.bin", &ino) != 0) {
        printf("cannot open big.bin\n");
        return;
    }
    struct block_stats before = block_stats(fs->dev);
    double first = read_file(fs, ino);
    struct block_stats after = block_stats(fs->dev);
    double second = read_file(fs, ino);
    printf("read 64 MiB in 64 KiB pieces, %u-byte blocks: %.0f MB/s (first), %.0f MB/s "
           "(again); %lu block requests for the first pass\n",
           block_size, first, second, (unsigned long)(after.requests - before.requests));
    ext2_close_image(fs);
}

static void bench_small_files(uint32_t block_size)
{
    char image[256];
    snprintf(image, sizeof image, "%s/small-%u.img", ext2_scratch(), block_size);
    if (!ext2_make_image(image, block_size, 32 * 1024, NULL))
        return;
    struct ext2_fs *fs = ext2_open_image(image, "vdb");
    uint32_t dir;
    ext2_mkdir(fs, EXT2_ROOT_INO, "d", 1, 0755, &dir);
    char name[32], data[SMALL_SIZE];
    memset(data, 'x', sizeof data);
    struct block_stats before = block_stats(fs->dev);
    double start = now();
    for (int i = 0; i < SMALL; i++) {
        uint32_t ino;
        int n = snprintf(name, sizeof name, "small-file-%04d", i);
        if (ext2_create(fs, dir, name, (uint32_t)n, 0644, &ino) != 0 ||
            ext2_file_write(fs, ino, 0, data, sizeof data) != sizeof data)
            printf("create %s failed\n", name);
    }
    double created = now();
    for (int i = 0; i < SMALL; i++) {
        int n = snprintf(name, sizeof name, "small-file-%04d", i);
        if (ext2_unlink(fs, dir, name, (uint32_t)n) != 0)
            printf("unlink %s failed\n", name);
    }
    ext2_sync(fs);
    double end = now();
    struct block_stats after = block_stats(fs->dev);
    printf("1,000 files of 100 bytes, %u-byte blocks: create+write %.0f files/s, unlink+sync "
           "%.0f files/s, both %.1f ms; %lu block requests\n",
           block_size, SMALL / (created - start), SMALL / (end - created), (end - start) * 1000,
           (unsigned long)(after.requests - before.requests));
    ext2_close_image(fs);
    printf("  e2fsck -fn afterwards: %s\n", ext2_fsck_clean(image) ? "clean" : "ERRORS (above)");
}

int main(void)
{
    printf("ext2 on the host (file-backed block device, image in the host's page cache)\n");
    bench_read(4096);
    bench_read(1024);
    bench_small_files(4096);
    bench_small_files(1024);
    return 0;
}
