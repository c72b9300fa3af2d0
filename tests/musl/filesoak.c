/*
 * filesoak — random steps on three small files and their mappings, with every byte
 * checked against a model after every step.
 *
 *   filesoak [-v] [--steps N] [SEED|FIRST-LAST]...     (default: 300 steps of seeds 1-3)
 *
 * The model keeps the bytes and size of each file, and for each mapping its file,
 * page offset, length, kind (MAP_SHARED or MAP_PRIVATE) and which of its pages the
 * process wrote privately (with their bytes). The rules it follows are Linux's:
 *   - a MAP_SHARED store is the file's byte at once: read() and every other
 *     mapping of the file see it;
 *   - a MAP_PRIVATE page shows the file until the process writes it (a store, or a
 *     read() into it); from then on it is the process's own copy;
 *   - ftruncate shorter: the bytes past the end vanish (the file grown again reads
 *     zeros there), and private copies of pages wholly past the end go too;
 *   - the bytes of the last page past the end read as zeros; a page wholly past the
 *     end is SIGBUS (checked in a child);
 *   - MADV_DONTNEED drops private copies (the page shows the file again);
 *   - mremap keeps each page's contents and private copies where they move;
 *   - fork: the child sees what the parent sees; its shared stores reach the
 *     parent, its private ones do not.
 * Steps: map, unmap, store, read() into a mapping, write() from a mapping (both
 * often of the very same file), pwrite, ftruncate, msync, fsync, madvise, mremap,
 * fork. Only cases both kernels must agree on are made: no store past the end of
 * the file inside its last page, no read or write whose source and destination
 * overlap in the same file.
 *
 * The same binary runs on the host's Linux and on vmlab (tests/boot/fuzz.sh): both
 * must print the same. A mismatch prints the step, the place and both bytes.
 */
#define _GNU_SOURCE /* mremap */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE       4096
#define FILES      3
#define MAX_PAGES  16 /* a file's largest size */
#define MAX_BYTES  (MAX_PAGES * PAGE)
#define SLOTS      6
#define MAP_PAGES  6 /* a mapping's largest length */
#define IO_MAX     (2 * PAGE)
#define PATH_BYTES 64

struct file {
    char path[PATH_BYTES];
    int fd;
    long size;
    uint8_t bytes[MAX_BYTES]; /* past size: zeros */
};

struct mapping {
    uint8_t *at; /* NULL: a free slot */
    int file, pages;
    long pgoff;
    bool shared;
    bool private_page[MAP_PAGES];
    uint8_t copy[MAP_PAGES][PAGE]; /* the private pages' bytes */
};

static struct file files[FILES];
static struct mapping slots[SLOTS];
static uint64_t random_state;
static bool verbose;
static long step_number;
static uint8_t buffer[IO_MAX];

static uint64_t random_next(void)
{
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 0x2545f4914f6cdd1dULL;
}

static long below(long n)
{
    return (long)(random_next() % (uint64_t)n);
}

/* ---- the model's view ---- */

static long pages_of(long size)
{
    return (size + PAGE - 1) / PAGE;
}

/* The byte the model expects at offset `at` of mapping m (inside the file's pages). */
static uint8_t expected(const struct mapping *m, long at)
{
    long page = at / PAGE;
    if (!m->shared && m->private_page[page])
        return m->copy[page][at % PAGE];
    return files[m->file].bytes[m->pgoff * PAGE + at]; /* zeros past the end */
}

/* Make page `page` of private mapping m its own copy (before the process writes it). */
static void make_private(struct mapping *m, long page)
{
    if (m->shared || m->private_page[page])
        return;
    for (long i = 0; i < PAGE; i++)
        m->copy[page][i] = expected(m, page * PAGE + i);
    m->private_page[page] = true;
}

/* The model after bytes [at, at + n) of mapping m became `bytes` (a store or a read
 * into it): the file's bytes (shared), or the mapping's own copies (private). */
static void model_store(struct mapping *m, long at, const uint8_t *bytes, long n)
{
    for (long i = 0; i < n; i++) {
        long where = at + i, page = where / PAGE;
        if (m->shared) {
            files[m->file].bytes[m->pgoff * PAGE + where] = bytes[i];
        } else {
            make_private(m, page);
            m->copy[page][where % PAGE] = bytes[i];
        }
    }
}

/* How many bytes of mapping m, from its start, lie in pages of its file (touching
 * them is not SIGBUS). */
static long mapped_bytes(const struct mapping *m)
{
    long file_pages = pages_of(files[m->file].size) - m->pgoff;
    if (file_pages < 0)
        file_pages = 0;
    return (file_pages < m->pages ? file_pages : m->pages) * PAGE;
}

/* ---- checking ---- */

static bool failed;

static void mismatch(const char *what, int index, long at, uint8_t want, uint8_t got)
{
    printf("filesoak: step %ld: %s %d, byte %ld: the model says 0x%02x, the kernel 0x%02x\n",
           step_number, what, index, at, want, got);
    failed = true;
}

/* Every file through pread and its size through lseek, every mapping byte by byte
 * (within its file's pages). True if all agree with the model. */
static bool check_all(void)
{
    static uint8_t data[MAX_BYTES + 1];
    for (int f = 0; f < FILES && !failed; f++) {
        long end = lseek(files[f].fd, 0, SEEK_END);
        if (end != files[f].size) {
            printf("filesoak: step %ld: file %d is %ld bytes, the model says %ld\n", step_number, f,
                   end, files[f].size);
            failed = true;
            break;
        }
        long got = pread(files[f].fd, data, sizeof data, 0);
        if (got != files[f].size) {
            printf("filesoak: step %ld: pread of file %d gave %ld bytes, not %ld\n", step_number, f,
                   got, files[f].size);
            failed = true;
            break;
        }
        for (long i = 0; i < got && !failed; i++) {
            if (data[i] != files[f].bytes[i])
                mismatch("file", f, i, files[f].bytes[i], data[i]);
        }
    }
    for (int s = 0; s < SLOTS && !failed; s++) {
        const struct mapping *m = &slots[s];
        if (m->at == NULL)
            continue;
        long n = mapped_bytes(m);
        for (long i = 0; i < n && !failed; i++) {
            if (m->at[i] != expected(m, i))
                mismatch("mapping", s, i, expected(m, i), m->at[i]);
        }
    }
    return !failed;
}

/* ---- steps ---- */

static struct mapping *random_mapping(void)
{
    struct mapping *m = &slots[below(SLOTS)];
    return m->at != NULL ? m : NULL;
}

static void step_map(void)
{
    struct mapping *m = &slots[below(SLOTS)];
    if (m->at != NULL)
        return;
    int f = (int)below(FILES);
    long pgoff = below(pages_of(files[f].size) + 2), pages = 1 + below(MAP_PAGES);
    bool shared = below(2);
    void *at = mmap(NULL, (size_t)(pages * PAGE), PROT_READ | PROT_WRITE,
                    shared ? MAP_SHARED : MAP_PRIVATE, files[f].fd, pgoff * PAGE);
    if (verbose)
        printf("  map file %d page %ld, %ld pages, %s: %s\n", f, pgoff, pages,
               shared ? "shared" : "private", at == MAP_FAILED ? "failed" : "ok");
    if (at == MAP_FAILED) {
        printf("filesoak: step %ld: mmap failed\n", step_number);
        failed = true;
        return;
    }
    memset(m, 0, sizeof *m);
    *m = (struct mapping){
        .at = at, .file = f, .pages = (int)pages, .pgoff = pgoff, .shared = shared
    };
}

static void step_unmap(void)
{
    struct mapping *m = random_mapping();
    if (m == NULL)
        return;
    munmap(m->at, (size_t)m->pages * PAGE);
    m->at = NULL;
}

/* A range [at, at + n) inside mapping m's file pages, never past the file's end
 * (a store there is the mapping's alone, and kernels differ in what later shows). */
static bool random_range(const struct mapping *m, long limit, long *at, long *n)
{
    long file_bytes = files[m->file].size - m->pgoff * PAGE;
    long room = mapped_bytes(m) < file_bytes ? mapped_bytes(m) : file_bytes;
    if (room <= 0)
        return false;
    *at = below(room);
    *n = 1 + below(room - *at < limit ? room - *at : limit);
    return true;
}

static void step_store(void)
{
    struct mapping *m = random_mapping();
    long at, n;
    if (m == NULL || !random_range(m, 64, &at, &n))
        return;
    uint8_t bytes[64];
    for (long i = 0; i < n; i++)
        bytes[i] = (uint8_t)random_next();
    memcpy(m->at + at, bytes, (size_t)n);
    model_store(m, at, bytes, n);
    if (verbose)
        printf("  store %ld bytes at %ld of mapping %ld\n", n, at, (long)(m - slots));
}

/* Does file range [a, a + n) overlap file range [b, b + k)? */
static bool overlap(long a, long n, long b, long k)
{
    return a < b + k && b < a + n;
}

/* read() from a file into a mapping (of it, or of another), or write() from a
 * mapping into a file. */
static void step_io_through_mapping(bool into_mapping)
{
    struct mapping *m = random_mapping();
    long at, n;
    if (m == NULL || !random_range(m, IO_MAX, &at, &n))
        return;
    int f = below(2) ? m->file : (int)below(FILES);
    long offset = into_mapping ? below(files[f].size + 1) : below(MAX_BYTES - n + 1);
    long mapped_offset = m->pgoff * PAGE + at;
    if (f == m->file && overlap(offset, n, mapped_offset, n))
        return; /* source and destination the same bytes: kernels differ */
    if (into_mapping) {
        long want = files[f].size - offset < n ? files[f].size - offset : n;
        uint8_t copy[IO_MAX];
        memcpy(copy, files[f].bytes + offset, (size_t)want);
        long got = pread(files[f].fd, m->at + at, (size_t)n, offset);
        if (verbose)
            printf("  pread %ld bytes of file %d at %ld into mapping %ld at %ld: %ld\n", n, f,
                   offset, (long)(m - slots), at, got);
        if (got != want) {
            printf("filesoak: step %ld: pread into a mapping gave %ld, not %ld\n", step_number, got,
                   want);
            failed = true;
            return;
        }
        model_store(m, at, copy, want);
        return;
    }
    uint8_t copy[IO_MAX];
    for (long i = 0; i < n; i++)
        copy[i] = expected(m, at + i);
    long put = pwrite(files[f].fd, m->at + at, (size_t)n, offset);
    if (verbose)
        printf("  pwrite %ld bytes from mapping %ld at %ld to file %d at %ld: %ld\n", n,
               (long)(m - slots), at, f, offset, put);
    if (put != n) {
        printf("filesoak: step %ld: pwrite from a mapping gave %ld, not %ld\n", step_number, put,
               n);
        failed = true;
        return;
    }
    memcpy(files[f].bytes + offset, copy, (size_t)n);
    if (offset + n > files[f].size)
        files[f].size = offset + n;
}

static void step_pwrite(void)
{
    int f = (int)below(FILES);
    long n = 1 + below(IO_MAX), offset = below(MAX_BYTES - n + 1);
    for (long i = 0; i < n; i++)
        buffer[i] = (uint8_t)random_next();
    long put = pwrite(files[f].fd, buffer, (size_t)n, offset);
    if (put != n) {
        printf("filesoak: step %ld: pwrite gave %ld, not %ld\n", step_number, put, n);
        failed = true;
        return;
    }
    memcpy(files[f].bytes + offset, buffer, (size_t)n);
    if (offset + n > files[f].size)
        files[f].size = offset + n;
}

/* The model of ftruncate(f, size). */
static void model_truncate(int f, long size)
{
    if (size < files[f].size)
        memset(files[f].bytes + size, 0, (size_t)(files[f].size - size));
    files[f].size = size;
    for (int s = 0; s < SLOTS; s++) {
        struct mapping *m = &slots[s];
        if (m->at == NULL || m->file != f)
            continue;
        for (long p = 0; p < m->pages; p++) {
            if (m->pgoff + p >= pages_of(size))
                m->private_page[p] = false; /* cut from every mapping, copies too */
        }
    }
}

static void step_truncate(void)
{
    int f = (int)below(FILES);
    long size;
    switch (below(4)) {
    case 0: size = 0; break;
    case 1: size = below(MAX_PAGES + 1) * PAGE; break;
    default: size = below(MAX_BYTES + 1);
    }
    if (verbose)
        printf("  ftruncate file %d from %ld to %ld\n", f, files[f].size, size);
    if (ftruncate(files[f].fd, size) != 0) {
        printf("filesoak: step %ld: ftruncate failed\n", step_number);
        failed = true;
        return;
    }
    model_truncate(f, size);
}

static void step_sync(void)
{
    struct mapping *m = random_mapping();
    int result = m != NULL && below(2) ? msync(m->at, (size_t)m->pages * PAGE, MS_SYNC)
                                       : fsync(files[below(FILES)].fd);
    if (result != 0) {
        printf("filesoak: step %ld: msync or fsync failed\n", step_number);
        failed = true;
    }
}

static void step_dontneed(void)
{
    struct mapping *m = random_mapping();
    if (m == NULL)
        return;
    bool dontneed = below(2);
    madvise(m->at, (size_t)m->pages * PAGE, dontneed ? MADV_DONTNEED : MADV_WILLNEED);
    if (dontneed)
        memset(m->private_page, 0, sizeof m->private_page); /* the file's pages again */
}

static void step_remap(void)
{
    struct mapping *m = random_mapping();
    if (m == NULL)
        return;
    long pages = 1 + below(MAP_PAGES);
    void *at = mremap(m->at, (size_t)m->pages * PAGE, (size_t)pages * PAGE, MREMAP_MAYMOVE);
    if (verbose)
        printf("  mremap mapping %ld from %d to %ld pages: %s\n", (long)(m - slots), m->pages,
               pages, at == MAP_FAILED ? "failed" : "ok");
    if (at == MAP_FAILED) {
        printf("filesoak: step %ld: mremap failed\n", step_number);
        failed = true;
        return;
    }
    for (long p = pages; p < m->pages; p++)
        m->private_page[p] = false;
    m->at = at;
    m->pages = (int)pages;
}

/* In a child: a page wholly past the end of a mapping's file must be SIGBUS. */
static void step_past_end(void)
{
    struct mapping *m = random_mapping();
    if (m == NULL || mapped_bytes(m) >= (long)m->pages * PAGE)
        return;
    long at = mapped_bytes(m) + below((long)m->pages * PAGE - mapped_bytes(m));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        volatile uint8_t *p = m->at + at;
        if (below(2))
            *p = 1;
        else
            (void)*p;
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGBUS) {
        printf("filesoak: step %ld: a touch of byte %ld of mapping %ld, past the end of its "
               "file, was not SIGBUS\n",
               step_number, at, (long)(m - slots));
        failed = true;
    }
}

/* fork: the child checks everything, stores through a shared and a private
 * mapping, and exits; the parent then sees the shared store only. */
static void step_fork(void)
{
    struct mapping *m = random_mapping();
    long at = 0, n = 0;
    bool store = m != NULL && random_range(m, 16, &at, &n);
    uint8_t bytes[16];
    for (long i = 0; i < n; i++)
        bytes[i] = (uint8_t)random_next();
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        bool right = check_all();
        if (store)
            memcpy(m->at + at, bytes, (size_t)n);
        fflush(stdout);
        _exit(right ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("filesoak: step %ld: the forked child did not see what the model says\n",
               step_number);
        failed = true;
        return;
    }
    if (store && m->shared)
        model_store(m, at, bytes, n);
}

static void one_step(void)
{
    switch (below(20)) {
    case 0:
    case 1:
    case 2: step_map(); break;
    case 3: step_unmap(); break;
    case 4:
    case 5:
    case 6: step_store(); break;
    case 7:
    case 8: step_io_through_mapping(true); break;
    case 9:
    case 10: step_io_through_mapping(false); break;
    case 11: step_pwrite(); break;
    case 12:
    case 13: step_truncate(); break;
    case 14: step_sync(); break;
    case 15: step_dontneed(); break;
    case 16: step_remap(); break;
    case 17: step_past_end(); break;
    default: step_fork();
    }
}

/* ---- a seed ---- */

static void start(uint64_t seed)
{
    random_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (int f = 0; f < FILES; f++) {
        snprintf(files[f].path, PATH_BYTES, "/tmp/filesoak-%d-%d", (int)getpid(), f);
        files[f].fd = open(files[f].path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        memset(files[f].bytes, 0, sizeof files[f].bytes);
        files[f].size = 0;
        if (files[f].fd < 0) {
            printf("filesoak: cannot make %s\n", files[f].path);
            exit(2);
        }
    }
    for (int f = 0; f < FILES; f++)
        step_pwrite(); /* each into a random file: some stay empty */
}

static void finish(void)
{
    for (int s = 0; s < SLOTS; s++) {
        if (slots[s].at != NULL)
            munmap(slots[s].at, (size_t)slots[s].pages * PAGE);
        slots[s].at = NULL;
    }
    for (int f = 0; f < FILES; f++) {
        close(files[f].fd);
        unlink(files[f].path);
    }
}

static bool run_seed(uint64_t seed, long steps)
{
    failed = false;
    step_number = 0;
    start(seed);
    for (step_number = 1; step_number <= steps && !failed; step_number++) {
        if (verbose)
            printf("step %ld:\n", step_number);
        one_step();
        if (!failed)
            check_all();
    }
    finish();
    if (failed) {
        printf("filesoak: seed %llu FAILED (replay: filesoak -v --steps %ld %llu)\n",
               (unsigned long long)seed, steps, (unsigned long long)seed);
        return false;
    }
    printf("filesoak: seed %llu: %ld steps, every byte as the model says\n",
           (unsigned long long)seed, steps);
    return true;
}

int main(int argc, char **argv)
{
    long steps = 300;
    bool all_right = true, any_seed = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc) {
            steps = atol(argv[++i]);
        } else {
            unsigned long long first = strtoull(argv[i], NULL, 10), last = first;
            const char *dash = strchr(argv[i], '-');
            if (dash != NULL)
                last = strtoull(dash + 1, NULL, 10);
            for (unsigned long long seed = first; seed <= last; seed++)
                all_right &= run_seed(seed, steps);
            any_seed = true;
        }
    }
    if (!any_seed) {
        for (uint64_t seed = 1; seed <= 3; seed++)
            all_right &= run_seed(seed, steps);
    }
    return all_right ? 0 : 1;
}
