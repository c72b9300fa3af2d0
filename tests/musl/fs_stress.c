/*
 * fs_stress — several processes change one directory tree at once, to find what
 * the file system's lock, its inode cache and the eviction of unlinked files get
 * wrong when calls interleave (tests/boot/fuzz.sh runs it, then e2fsck -fn).
 *
 *   fs_stress DIR SEED PROCS CALLS
 *
 * Each process makes CALLS random calls over a few names shared by all (open with
 * O_CREAT, O_TRUNC or O_APPEND, write, pwrite far out, read, unlink, mkdir, rmdir,
 * rename, link, symlink, truncate, getdents64, fsync), and appends to a file of its
 * own, whose size and bytes it checks at the end: the shared names may end in any
 * state, the private file must hold exactly what was written. Which call wins a
 * race is up to the scheduler, so the output is not compared with Linux; the test
 * is that nothing breaks: every process exits 0, the kernel's memory check is
 * clean, and e2fsck finds the disk consistent.
 * Prints "fs_stress: N of PROCS processes failed"; exit status 0 if none did.
 * Without arguments it prints its usage and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS    8       /* descriptors each process keeps open at once */
#define BIG      70000   /* the longest write: more than one 64 KiB piece */
#define FAR      3000000 /* pwrite offsets up to here: indirect blocks, holes */
#define TRUNC_TO 200000  /* truncate lengths up to here */
#define OWN_MAX  9000    /* bytes per append to the private file */

static const char *const names[] = { "a", "b", "c", "d", "d/x", "d/y", "d/z", "d/z/w", "e" };
#define NAMES (sizeof names / sizeof names[0])

static unsigned long long rng;
static char buf[BIG];

static unsigned random_below(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng >> 33) % n;
}

static const char *any_name(void)
{
    return names[random_below(NAMES)];
}

/* Open a shared name in one of four ways into *fd (closing what was there). */
static void reopen(int *fd)
{
    static const int modes[] = { O_RDONLY, O_WRONLY | O_CREAT, O_RDWR | O_CREAT | O_TRUNC,
                                 O_WRONLY | O_APPEND | O_CREAT };
    if (*fd >= 0)
        close(*fd);
    *fd = open(any_name(), modes[random_below(4)], 0644);
}

/* List directory d to its end. */
static void list_d(void)
{
    char entries[4096];
    int d = open("d", O_RDONLY | O_DIRECTORY);
    if (d < 0)
        return;
    while (syscall(SYS_getdents64, d, entries, sizeof entries) > 0)
        continue;
    close(d);
}

/* One random call on the shared names; results do not matter, only survival. */
static void shared_call(int id, int fds[SLOTS])
{
    int *fd = &fds[random_below(SLOTS)];
    switch (random_below(13)) {
    case 0: reopen(fd); break;
    case 1:
        if (*fd >= 0) {
            size_t len = random_below(BIG);
            memset(buf, 'a' + id, len);
            (void)!write(*fd, buf, len);
        }
        break;
    case 2:
        if (*fd >= 0)
            (void)!read(*fd, buf, random_below(BIG));
        break;
    case 3:
        if (*fd >= 0)
            (void)!pwrite(*fd, buf, random_below(5000), random_below(FAR));
        break;
    case 4: unlink(any_name()); break;
    case 5: mkdir(any_name(), 0755); break;
    case 6: rmdir(any_name()); break;
    case 7: rename(any_name(), any_name()); break;
    case 8: link(any_name(), any_name()); break;
    case 9: symlink(any_name(), any_name()); break;
    case 10: truncate(any_name(), random_below(TRUNC_TO)); break;
    case 11: list_d(); break;
    case 12:
        if (*fd >= 0)
            fsync(*fd);
        break;
    }
}

/* The private file holds `length` bytes, every one 'A' + id? 0 or 1 (said why). */
static int check_own(int id, int own, size_t length)
{
    struct stat st;
    if (fstat(own, &st) != 0 || (size_t)st.st_size != length) {
        printf("process %d: its file is %lld bytes, %zu were written\n", id, (long long)st.st_size,
               length);
        return 1;
    }
    lseek(own, 0, SEEK_SET);
    size_t seen = 0;
    ssize_t n;
    while ((n = read(own, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != 'A' + id) {
                printf("process %d: byte %zu of its file is %d\n", id, seen + (size_t)i, buf[i]);
                return 1;
            }
        }
        seen += (size_t)n;
    }
    if (seen != length) {
        printf("process %d: read %zu bytes of its file's %zu\n", id, seen, length);
        return 1;
    }
    return 0;
}

/* One process's run: 0 if its private file came out right. */
static int process(int id, int calls)
{
    char own_name[32];
    snprintf(own_name, sizeof own_name, "own%d", id);
    int own = open(own_name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (own < 0) {
        printf("process %d: open %s: %s\n", id, own_name, strerror(errno));
        return 1;
    }
    int fds[SLOTS];
    for (int i = 0; i < SLOTS; i++)
        fds[i] = -1;
    size_t length = 0;
    for (int k = 0; k < calls; k++) {
        if (random_below(14) != 0) {
            shared_call(id, fds);
            continue;
        }
        size_t len = 1 + random_below(OWN_MAX);
        memset(buf, 'A' + id, len);
        ssize_t wrote = write(own, buf, len);
        if (wrote < 0 && errno == ENOSPC)
            break; /* a full disk is fair; what was written must still be there */
        if (wrote != (ssize_t)len) {
            printf("process %d: append of %zu bytes gave %zd (%s)\n", id, len, wrote,
                   strerror(errno));
            return 1;
        }
        length += len;
    }
    int failed = check_own(id, own, length);
    close(own);
    unlink(own_name);
    for (int i = 0; i < SLOTS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    return failed;
}

int main(int argc, char **argv)
{
    if (argc != 5 || chdir(argv[1]) != 0) {
        printf("usage: fs_stress DIR SEED PROCS CALLS (DIR must exist)\n");
        return 0; /* run without arguments by the host's test of every program */
    }
    unsigned long long seed = strtoull(argv[2], NULL, 10);
    int procs = atoi(argv[3]), calls = atoi(argv[4]);
    for (int p = 0; p < procs; p++) {
        pid_t pid = fork();
        if (pid == 0) {
            rng = seed * 1000 + (unsigned long long)p;
            _exit(process(p, calls));
        }
        if (pid < 0)
            printf("fork: %s\n", strerror(errno));
    }
    int status, failed = 0;
    while (wait(&status) > 0)
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("fs_stress: %d of %d processes failed\n", failed, procs);
    sync();
    return failed != 0;
}
