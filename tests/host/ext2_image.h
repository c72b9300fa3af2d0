/*
 * ext2_image.h — what the ext2 host tests share: a staging tree of known files,
 * images made from it by the host's mke2fs, the host's e2fsck and debugfs to judge
 * what our code wrote, and a walk of a mounted tree that reads every file.
 */
#ifndef TESTS_HOST_EXT2_IMAGE_H
#define TESTS_HOST_EXT2_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ext2_fs;

/* A fresh scratch directory for this test program (removed at exit). */
const char *ext2_scratch(void);

/* Run a shell command (formatted); its exit status, or -1. Output goes to a log. */
int ext2_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command; its standard output (malloc'ed, NUL-terminated; free it). */
char *ext2_sh_output(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The known files (see ext2_image.c's table), written under dir. */
void ext2_make_staging(const char *dir);

/* The bytes of the staging file at path (relative), size in *size; malloc'ed.
 * Sparse files are described, not read: see ext2_expected_byte. */
uint8_t ext2_expected_byte(const char *name, uint64_t offset);

/* Make image (size_kib KiB, block_size bytes) holding the staging dir, with
 * mke2fs -t ext2 -d. Deterministic: fixed UUID, hash seed and time. false on error. */
bool ext2_make_image(const char *image, uint32_t block_size, uint32_t size_kib,
                     const char *staging);

/* Run e2fsck -fn on image: true if it found nothing wrong; else its report goes to
 * stdout (the test log) and false. */
bool ext2_fsck_clean(const char *image);

/* debugfs -R "cat PATH": the file's bytes as the host reads them (malloc'ed). */
uint8_t *ext2_debugfs_cat(const char *image, const char *path, size_t *size);

/* One field of debugfs -R "stat PATH" (e.g. "Links", "Size"): its number, or -1. */
int64_t ext2_debugfs_stat_field(const char *image, const char *path, const char *field);

/* The superblock's free counts as dumpe2fs -h prints them. */
int64_t ext2_dumpe2fs_field(const char *image, const char *field);

/* Mount image as device `name`: the fs, or NULL. */
struct ext2_fs *ext2_open_image(const char *image, const char *name);

/* Unmount fs and close its device. The unmount's result. */
int ext2_close_image(struct ext2_fs *fs);

/* Walk the tree under directory ino (depth levels at most), reading every file
 * (at most max_bytes of each). Counts what was seen; errors are counted, not
 * fatal. */
struct ext2_walk_counts {
    uint64_t dirs, files, bytes, errors;
};
void ext2_walk(struct ext2_fs *fs, uint32_t ino, int depth, uint64_t max_bytes,
               struct ext2_walk_counts *counts);

/* Does text contain needle? (strstr, which lib/string.h does not have.) */
bool ext2_text_contains(const char *text, const char *needle);

/* Path lookup for tests: "/dir/sub/x" from the root. 0 and *ino, or the error. */
int ext2_test_resolve(struct ext2_fs *fs, const char *path, uint32_t *ino);

#endif
