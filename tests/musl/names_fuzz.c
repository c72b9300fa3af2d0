/*
 * names_fuzz — random sequences of namespace calls over a small set of names,
 * each call's result printed, so the same binary on Linux and on vmlab can be
 * compared call by call (tests/boot/names.sh).
 *
 *   names_fuzz /DIR SEED... [-n CALLS]      (a SEED may be a range: 5-300)
 *
 * For each seed, a directory DIR/fuzz-SEED is made and CALLS calls (default 400)
 * are drawn from: mkdir, rmdir, unlink, rename, renameat2 (NOREPLACE), link,
 * symlink, "create" (a link to DIR/seed, a file of known bytes: O_CREAT comes with
 * the writing VFS), open (kept open a while: reading and fstat of files whose
 * names go meanwhile), close, stat and a listing. The names include nested ones,
 * trailing slashes, "." and "..", so most error cases come up. It ends with
 * sync(). It prints no inode numbers, times or directory sizes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_CALLS 400
#define HELD_FDS      4

/* Plain names come up most; then nested ones, trailing slashes, dots. */
static const char *const names[] = {
    "a",   "b",     "c",   "d",  "a",  "b",    "c", "d",  "d/a",  "d/b",
    "d/d", "d/d/a", "a/x", "b/", "d/", "d/a/", ".", "..", "d/..", "e/f",
};
#define NAME_COUNT (sizeof names / sizeof names[0])

static uint64_t rng;

static uint32_t next_random(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33);
}

static const char *any_name(void)
{
    return names[next_random() % NAME_COUNT];
}

static void said(int step, const char *what, long r)
{
    if (r < 0)
        printf("%d %s: -1 %s\n", step, what, strerror(errno));
    else
        printf("%d %s: %ld\n", step, what, r);
}

/* Type, permission bits and link count (and a file's size) of path. */
static void stat_name(int step, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("%d lstat %s: -1 %s\n", step, path, strerror(errno));
        return;
    }
    char type = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'f';
    printf("%d lstat %s: %c %04o nlink %lu", step, path, type, (unsigned)(st.st_mode & 07777),
           (unsigned long)st.st_nlink);
    if (type != 'd')
        printf(" size %lld", (long long)st.st_size);
    printf("\n");
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The names in a directory, sorted. */
static void list(int step, const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        printf("%d ls %s: -1 %s\n", step, dir, strerror(errno));
        return;
    }
    static char found[512][40];
    char buf[2048];
    int count = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            off += d->d_reclen;
            if (count < 512)
                snprintf(found[count++], sizeof found[0], "%.30s%s", d->d_name,
                         d->d_type == DT_DIR   ? "/"
                         : d->d_type == DT_LNK ? "@"
                                               : "");
        }
    }
    close(fd);
    qsort(found, (size_t)count, sizeof found[0], compare_names);
    printf("%d ls %s:", step, dir);
    for (int i = 0; i < count; i++)
        printf(" %s", found[i]);
    printf("\n");
}

static int held[HELD_FDS];

/* Read what an open descriptor still holds and how many names it has left. */
static void close_held(int step, int slot)
{
    char buf[256];
    long n = read(held[slot], buf, sizeof buf);
    struct stat st;
    fstat(held[slot], &st);
    unsigned sum = 0;
    for (long i = 0; i < n; i++)
        sum = sum * 31 + (unsigned char)buf[i];
    if (n < 0)
        printf("%d read fd%d: -1 %s, nlink %lu\n", step, slot, strerror(errno),
               (unsigned long)st.st_nlink);
    else
        printf("%d read fd%d: %ld bytes sum %08x, nlink %lu\n", step, slot, n, sum,
               S_ISDIR(st.st_mode) ? 0ul : (unsigned long)st.st_nlink);
    close(held[slot]);
    held[slot] = -1;
}

static void open_one(int step, const char *name)
{
    int slot = (int)(next_random() % HELD_FDS);
    if (held[slot] >= 0)
        close_held(step, slot);
    held[slot] = open(name, O_RDONLY);
    char what[64];
    snprintf(what, sizeof what, "open %s as fd%d", name, slot);
    said(step, what, held[slot] < 0 ? -1 : 0);
}

/* One random call. */
static void one_call(int step, const char *seed_file)
{
    const char *x = any_name(), *y = any_name();
    char what[96];
    uint32_t op = next_random() % 15;
    long r;
    switch (op) {
    case 0: r = mkdir(x, 0755), snprintf(what, sizeof what, "mkdir %s", x); break;
    case 1:
    case 13: r = rmdir(x), snprintf(what, sizeof what, "rmdir %s", x); break;
    case 2:
    case 14: r = unlink(x), snprintf(what, sizeof what, "unlink %s", x); break;
    case 3:
    case 4: r = rename(x, y), snprintf(what, sizeof what, "rename %s %s", x, y); break;
    case 5:
        r = syscall(SYS_renameat2, AT_FDCWD, x, AT_FDCWD, y, 1);
        snprintf(what, sizeof what, "renameat2 NOREPLACE %s %s", x, y);
        break;
    case 6: r = link(x, y), snprintf(what, sizeof what, "link %s %s", x, y); break;
    case 7: r = symlink(y, x), snprintf(what, sizeof what, "symlink %s %s", y, x); break;
    case 8:
    case 9:
    case 12: r = link(seed_file, x), snprintf(what, sizeof what, "create %s", x); break;
    case 10: open_one(step, x); return;
    case 11:
        stat_name(step, x);
        for (int slot = 0; slot < HELD_FDS; slot++)
            if (held[slot] >= 0) {
                close_held(step, slot);
                break;
            }
        return;
    default: stat_name(step, x); return;
    }
    said(step, what, r);
    if (step % 20 == 0)
        list(step, ".");
}

/* One seed's run in DIR/fuzz-SEED. */
static void run_seed(const char *dir, unsigned seed, int calls)
{
    char home[64], seed_file[256];
    snprintf(home, sizeof home, "fuzz-%u", seed);
    snprintf(seed_file, sizeof seed_file, "%s/seed", dir);
    if (chdir(dir) != 0 || mkdir(home, 0755) != 0 || chdir(home) != 0) {
        printf("seed %u: cannot make %s/%s: %s\n", seed, dir, home, strerror(errno));
        return;
    }
    printf("== seed %u\n", seed);
    rng = seed * 0x9e3779b97f4a7c15ull + 1;
    for (int i = 0; i < HELD_FDS; i++)
        held[i] = -1;
    for (int step = 1; step <= calls; step++)
        one_call(step, seed_file);
    for (int slot = 0; slot < HELD_FDS; slot++)
        if (held[slot] >= 0)
            close_held(calls + 1, slot);
    list(calls + 1, ".");
    list(calls + 1, "d");
}

int main(int argc, char **argv)
{
    if (argc < 3 || argv[1][0] != '/') {
        printf("usage: names_fuzz /DIR SEED... [-n CALLS]\n");
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(022); /* vmlab has no umask yet (ENOSYS): the modes asked are all 0755 */
    int calls = DEFAULT_CALLS;
    for (int i = 2; i + 1 < argc; i++)
        if (strcmp(argv[i], "-n") == 0)
            calls = atoi(argv[i + 1]);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0) {
            i++;
            continue;
        }
        char *end;
        unsigned first = (unsigned)strtoul(argv[i], &end, 10), last = first;
        if (*end == '-')
            last = (unsigned)strtoul(end + 1, NULL, 10); /* "5-300": a range */
        for (unsigned seed = first; seed <= last; seed++)
            run_seed(argv[1], seed, calls);
    }
    sync();
    return 0;
}
