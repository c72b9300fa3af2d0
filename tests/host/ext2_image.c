/*
 * ext2_image.c — the shared helpers of the ext2 host tests (ext2_image.h).
 * It calls the C library's formatting (not vmlab's), so it undoes host_names.h's
 * renames of the functions it uses.
 */
#define _GNU_SOURCE /* vasprintf */
#undef snprintf
#undef vsnprintf
#undef strlen
#undef strcmp
#undef strncmp
#undef memcmp
#undef memset
#undef memcpy
#undef strchr

#include "tests/host/ext2_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/fs/ext2/dir.h"
#include "kernel/fs/ext2/file.h"
#include "kernel/fs/ext2/inode.h"
#include "kernel/fs/ext2/namei.h"
#include "kernel/fs/ext2/super.h"
#include "tests/host/block_file.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)

/* Deterministic images: the README's worked example must not change between runs. */
#define IMAGE_UUID      "0b6c1f2a-5e1d-4c3b-9a8f-7e6d5c4b3a29"
#define IMAGE_HASH_SEED "d0c5e1a2-3b4c-4d5e-8f60-718293a4b5c6"
#define IMAGE_TIME      "1700000000"

static char scratch[64];

static void remove_scratch(void)
{
    if (scratch[0] != '\0')
        ext2_sh("rm -rf '%s'", scratch);
}

const char *ext2_scratch(void)
{
    if (scratch[0] == '\0') {
        /* e2fsprogs lives in /sbin on Debian, outside an ordinary user's PATH. */
        char path[4096];
        snprintf(path, sizeof path, "%s:/usr/sbin:/sbin", getenv("PATH") ? getenv("PATH") : "");
        setenv("PATH", path, 1);
        snprintf(scratch, sizeof scratch, "/tmp/vmlab-ext2-XXXXXX");
        if (mkdtemp(scratch) == NULL) {
            perror("mkdtemp");
            exit(2);
        }
        atexit(remove_scratch);
    }
    return scratch;
}

/* vsnprintf into a fresh string. */
static char *format_command(const char *fmt, va_list args)
{
    char *command = NULL;
    if (vasprintf(&command, fmt, args) < 0)
        exit(2);
    return command;
}

int ext2_sh(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *command = format_command(fmt, args);
    va_end(args);
    int status = system(command);
    free(command);
    return status < 0 ? -1 : WEXITSTATUS(status);
}

char *ext2_sh_output(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *command = format_command(fmt, args);
    va_end(args);
    FILE *pipe = popen(command, "r");
    free(command);
    size_t size = 0, capacity = 4096;
    char *out = malloc(capacity);
    size_t n;
    while (pipe != NULL && (n = fread(out + size, 1, capacity - size - 1, pipe)) > 0) {
        size += n;
        if (capacity - size < 2)
            out = realloc(out, capacity *= 2);
    }
    if (pipe != NULL)
        pclose(pipe);
    out[size] = '\0';
    return out;
}

/* ---- the staging tree ---- */

/* A pattern no two files share: byte `offset` of the file `name`. */
static uint8_t pattern(const char *name, uint64_t offset)
{
    uint32_t seed = 0;
    for (const char *p = name; *p; p++)
        seed = seed * 31 + (uint8_t)*p;
    return (uint8_t)(offset * 131 + offset / 251 + seed);
}

/* The byte ranges of sparse.bin and far.bin that hold data (the rest are holes). */
struct range {
    uint64_t start, end;
};
static const struct range sparse_ranges[] = { { 0, 4096 },
                                              { 1 * MIB, 1 * MIB + 5000 },
                                              { 2 * MIB, 2 * MIB + 100 } };
static const struct range far_ranges[] = { { 0, 10 }, { 5 * GIB, 5 * GIB + 4096 } };

static bool in_ranges(const struct range *r, size_t n, uint64_t offset)
{
    for (size_t i = 0; i < n; i++)
        if (offset >= r[i].start && offset < r[i].end)
            return true;
    return false;
}

uint8_t ext2_expected_byte(const char *name, uint64_t offset)
{
    if (strcmp(name, "sparse.bin") == 0 && !in_ranges(sparse_ranges, 3, offset))
        return 0;
    if (strcmp(name, "far.bin") == 0 && !in_ranges(far_ranges, 2, offset))
        return 0;
    return pattern(name, offset);
}

/* Write the ranges of a patterned file (sized `size`) under dir. */
static void write_patterned(const char *dir, const char *name, uint64_t size,
                            const struct range *ranges, size_t count)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    for (size_t i = 0; i < count; i++) {
        size_t n = ranges[i].end - ranges[i].start;
        uint8_t *buf = malloc(n);
        for (size_t j = 0; j < n; j++)
            buf[j] = pattern(name, ranges[i].start + j);
        if (pwrite(fd, buf, n, (off_t)ranges[i].start) != (ssize_t)n)
            perror(path);
        free(buf);
    }
    if (ftruncate(fd, (off_t)size) != 0)
        perror(path);
    close(fd);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

void ext2_make_staging(const char *dir)
{
    ext2_sh("rm -rf '%s' && mkdir -p '%s/dir/sub/deep'", dir, dir);
    write_text(dir, "hello.txt", "hello, ext2\n");
    write_text(dir, "empty", "");
    write_text(dir, "dir/sub/deep/x.txt", "deep\n");
    const struct range small = { 0, 5000 }, medium = { 0, 300 * KIB + 123 };
    write_patterned(dir, "small.bin", small.end, &small, 1);
    write_patterned(dir, "medium.bin", medium.end, &medium, 1);
    write_patterned(dir, "sparse.bin", 2 * MIB + 100, sparse_ranges, 3);
    write_patterned(dir, "far.bin", 5 * GIB + 4096, far_ranges, 2);
    for (int i = 0; i < 300; i++) {
        char name[64], text[64];
        snprintf(name, sizeof name, "dir/file-%03d", i);
        snprintf(text, sizeof text, "file %d\n", i);
        write_text(dir, name, text);
    }
    ext2_sh("ln -s hello.txt '%s/link' && touch -d @%s '%s' '%s'/* '%s'/dir/*", dir, IMAGE_TIME,
            dir, dir, dir);
}

bool ext2_make_image(const char *image, uint32_t block_size, uint32_t size_kib, const char *staging)
{
    return ext2_sh("rm -f '%s' && E2FSPROGS_FAKE_TIME=%s mke2fs -q -F -t ext2 -b %u -U %s "
                   "-E hash_seed=%s,root_owner=0:0 %s%s '%s' %uk >>'%s/mke2fs.log' 2>&1",
                   image, IMAGE_TIME, block_size, IMAGE_UUID, IMAGE_HASH_SEED, staging ? "-d " : "",
                   staging ? staging : "", image, size_kib, ext2_scratch()) == 0;
}

bool ext2_fsck_clean(const char *image)
{
    char *report = ext2_sh_output("e2fsck -fn '%s' 2>&1; echo \"exit status $?\"", image);
    bool clean = strstr(report, "exit status 0\n") != NULL;
    if (!clean)
        printf("e2fsck -fn %s:\n%s", image, report);
    free(report);
    return clean;
}

uint8_t *ext2_debugfs_cat(const char *image, const char *path, size_t *size)
{
    char out[512];
    snprintf(out, sizeof out, "%s/cat.out", ext2_scratch());
    ext2_sh("debugfs -R 'dump %s %s' '%s' >/dev/null 2>&1", path, out, image);
    FILE *f = fopen(out, "rb");
    if (f == NULL) {
        *size = 0;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = malloc(*size + 1);
    if (fread(data, 1, *size, f) != *size)
        *size = 0;
    fclose(f);
    unlink(out);
    return data;
}

/* The number after "field:" in text, or -1. */
static int64_t field_value(const char *text, const char *field)
{
    char key[64];
    snprintf(key, sizeof key, "%s:", field);
    const char *p = strstr(text, key);
    return p == NULL ? -1 : strtoll(p + strlen(key), NULL, 10);
}

int64_t ext2_debugfs_stat_field(const char *image, const char *path, const char *field)
{
    char *text = ext2_sh_output("debugfs -R 'stat %s' '%s' 2>/dev/null", path, image);
    int64_t value = field_value(text, field);
    free(text);
    return value;
}

int64_t ext2_dumpe2fs_field(const char *image, const char *field)
{
    char *text = ext2_sh_output("dumpe2fs -h '%s' 2>/dev/null", image);
    int64_t value = field_value(text, field);
    free(text);
    return value;
}

struct ext2_fs *ext2_open_image(const char *image, const char *name)
{
    struct block_device *dev = block_file_open(image, name);
    struct ext2_fs *fs = NULL;
    if (dev == NULL)
        return NULL;
    if (ext2_mount(dev, &fs) != 0) {
        block_file_close(dev);
        return NULL;
    }
    return fs;
}

int ext2_close_image(struct ext2_fs *fs)
{
    struct block_device *dev = fs->dev;
    int err = ext2_unmount(fs);
    block_file_close(dev);
    return err;
}

bool ext2_text_contains(const char *text, const char *needle)
{
    return strstr(text, needle) != NULL;
}

int ext2_test_resolve(struct ext2_fs *fs, const char *path, uint32_t *ino)
{
    *ino = EXT2_ROOT_INO;
    while (*path != '\0') {
        while (*path == '/')
            path++;
        size_t len = strcspn(path, "/");
        if (len == 0)
            break;
        int err = ext2_lookup(fs, *ino, path, (uint32_t)len, ino);
        if (err != 0)
            return err;
        path += len;
    }
    return 0;
}

/* ---- walking a tree ---- */

struct walk_entry {
    char name[256];
    uint32_t ino;
};

struct walk_list {
    struct walk_entry *entries;
    size_t count, capacity;
};

static int collect(void *ctx, const char *name, uint32_t len, uint32_t ino, uint8_t type,
                   uint64_t next)
{
    (void)type;
    (void)next;
    struct walk_list *list = ctx;
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? 2 * list->capacity : 64;
        list->entries = realloc(list->entries, list->capacity * sizeof *list->entries);
    }
    memcpy(list->entries[list->count].name, name, len);
    list->entries[list->count].name[len] = '\0';
    list->entries[list->count].ino = ino;
    list->count++;
    return 0;
}

/* Read up to max_bytes of file ino in 64 KiB pieces. */
static void read_file(struct ext2_fs *fs, uint32_t ino, uint64_t size, uint64_t max_bytes,
                      struct ext2_walk_counts *counts)
{
    static uint8_t buf[64 * 1024];
    uint64_t limit = size < max_bytes ? size : max_bytes;
    for (uint64_t offset = 0; offset < limit;) {
        int64_t n = ext2_file_read(fs, ino, offset, buf, sizeof buf);
        if (n <= 0) {
            counts->errors += n < 0;
            return;
        }
        counts->bytes += (uint64_t)n;
        offset += (uint64_t)n;
    }
}

void ext2_walk(struct ext2_fs *fs, uint32_t ino, int depth, uint64_t max_bytes,
               struct ext2_walk_counts *counts)
{
    struct ext2_inode dir;
    if (ext2_inode_read_live(fs, ino, &dir) != 0 || !ext2_inode_is_dir(&dir)) {
        counts->errors++;
        return;
    }
    counts->dirs++;
    struct walk_list list = { 0 };
    uint64_t pos = 0;
    if (ext2_dir_iterate(fs, ino, &dir, &pos, collect, &list) != 0)
        counts->errors++;
    for (size_t i = 0; i < list.count; i++) {
        const struct walk_entry *e = &list.entries[i];
        if (strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0)
            continue;
        struct ext2_stat st;
        if (ext2_stat(fs, e->ino, &st) != 0) {
            counts->errors++;
            continue;
        }
        if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFDIR) {
            if (depth > 0)
                ext2_walk(fs, e->ino, depth - 1, max_bytes, counts);
            continue;
        }
        counts->files++;
        read_file(fs, e->ino, st.size, max_bytes, counts);
    }
    free(list.entries);
}
