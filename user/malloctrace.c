/*
 * malloctrace — replay a malloc trace (tests/malloc-traces/) and measure the allocator.
 *
 *   malloctrace [-c N] [-r ROUNDS] [-x KIND] [NAME] < FILE.trace   the trace on standard input
 *   malloctrace [-c N] [-r ROUNDS] [-x KIND] -e NAME|all           a trace built into the program
 *
 * A trace is one operation a line: "a ID SIZE" (malloc), "f ID" (free), "r ID SIZE"
 * (realloc); lines starting with '#' are comments, the first "# trace NAME" names it.
 * The replay runs twice:
 *   1. checked: every block is filled with a pattern made from its id (a stamp of the
 *      id at both ends, a fill byte between) and verified before it is freed or
 *      reallocated (realloc must keep the common prefix) and at the end; every 1024
 *      operations the live blocks are sorted by address and must not overlap. With
 *      -c N, malloc_check() runs every N operations and at the end. This pass also
 *      measures the peak of the bytes requested and live, and the peak heap size.
 *   2. timed: the bare malloc/free/realloc calls, ROUNDS times (default 3), timed
 *      with clock_gettime(CLOCK_MONOTONIC); the fastest round counts.
 * -x KIND damages the replay on purpose, once, halfway through the checked pass, to
 * show that the checks catch it (tests/boot/malloc-traces.sh): "content" flips a
 * byte of a live block, "realloc" a byte of a block realloc just returned (as if it
 * had lost the contents), "overlap" makes one live block seem to start inside
 * another for one overlap check. The replay must then fail (exit status 1).
 * Then one line:
 *   trace NAME ops N kops_per_s X util U peak_live L peak_heap H heap_measure HOW
 * util = peak live requested / peak heap ("-" when the heap cannot be measured).
 * Exit status 0, or 1 if the trace is malformed, a check failed or memory ran out.
 *
 * The same source builds three ways:
 *   - as a vmlab user program (user/user.mk): vmlab's malloc, MALLOC_POLICY from the
 *     environment; heap = brk movement since the start + the mappings of blocks outside
 *     the brk heap (malloc_usable_size + 48 bytes of mapping record and header each);
 *   - with -DMALLOCTRACE_HOST and the host's gcc (glibc's malloc): heap = mallinfo2's
 *     arena + hblkhd; malloc_check is not available (-c only runs the pattern checks);
 *   - with -DMALLOCTRACE_HOST and musl-gcc -static (musl's malloc): heap = growth of
 *     the "data" field of /proc/self/statm (heap and anonymous mappings), "-" where
 *     there is no /proc (on vmlab).
 * With -e all, every trace is replayed in a child process of its own (fork), so each
 * starts from an empty heap. -e embeds the trace files with .incbin, so the program must be
 * compiled from the top of the source tree; that is how a trace reaches a program under
 * tests/run-elf.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef MALLOCTRACE_HOST
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#else
#include "lib/string.h"
#include "user/lib/env.h"
#include "user/lib/malloc.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#endif

/* ---- the embedded traces ---- */

#define EMBED(symbol, file)                                                                        \
    __asm__(".section .rodata\n.global " #symbol "\n" #symbol ":\n.incbin \"" file "\"\n"          \
            ".byte 0\n.previous\n");                                                               \
    extern const char symbol[];

EMBED(trace_random, "tests/malloc-traces/random.trace")
EMBED(trace_binary_tree, "tests/malloc-traces/binary-tree.trace")
EMBED(trace_coalescing, "tests/malloc-traces/coalescing.trace")
EMBED(trace_realloc_heavy, "tests/malloc-traces/realloc-heavy.trace")
EMBED(trace_many_small, "tests/malloc-traces/many-small.trace")
EMBED(trace_huge, "tests/malloc-traces/huge.trace")
EMBED(trace_producer_consumer, "tests/malloc-traces/producer-consumer.trace")
EMBED(trace_fragmentation, "tests/malloc-traces/fragmentation.trace")

static const struct {
    const char *name;
    const char *text;
} embedded[] = {
    { "random", trace_random },
    { "binary-tree", trace_binary_tree },
    { "coalescing", trace_coalescing },
    { "realloc-heavy", trace_realloc_heavy },
    { "many-small", trace_many_small },
    { "huge", trace_huge },
    { "producer-consumer", trace_producer_consumer },
    { "fragmentation", trace_fragmentation },
};
#define EMBEDDED_COUNT (sizeof(embedded) / sizeof(embedded[0]))

/* ---- what differs between the builds ---- */

#ifdef MALLOCTRACE_HOST
static size_t strlcpy_host(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size > 0) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(dst, src, k);
        dst[k] = 0;
    }
    return n;
}
#define strlcpy strlcpy_host /* glibc before 2.38 has none */
static long read_fd(int fd, void *buf, size_t n)
{
    return read(fd, buf, n);
}
static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}
static int heap_check_now(void)
{
    return 0;
} /* no checker in the C library */
static const char *allocator_name(void)
{
#ifdef __GLIBC__
    return "glibc";
#else
    return "musl";
#endif
}
#ifdef __GLIBC__
static const char *heap_measure = "mallinfo2";
static long heap_bytes(void)
{
    struct mallinfo2 m = mallinfo2();
    return (long)(m.arena + m.hblkhd);
}
#else
static const char *heap_measure = "statm-data";
/* The "data" field of /proc/self/statm, in bytes, or -1 without /proc. */
static long heap_bytes(void)
{
    int fd = open("/proc/self/statm", O_RDONLY); /* afresh: /proc/self is per process */
    if (fd < 0)
        return -1;
    char buf[128];
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    long f[7] = { 0 };
    if (sscanf(buf, "%ld %ld %ld %ld %ld %ld %ld", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5],
               &f[6]) != 7)
        return -1;
    return f[5] * 4096;
}
#endif
static void mapping_accounting(void *p, long *mapped)
{
    (void)p;
    *mapped = 0;
}
#else /* vmlab's user library */
static long read_fd(int fd, void *buf, size_t n)
{
    return sys_read(fd, buf, n);
}
static long now_ns(void)
{
    struct timespec t;
    sys_clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}
static int heap_check_now(void)
{
    return malloc_check();
}
static const char *allocator_name(void)
{
    const char *policy = getenv("MALLOC_POLICY");
    return policy != NULL ? policy : "default";
}
static const char *heap_measure = "brk+mmap";
static unsigned long brk_start;
static long mapped_total; /* bytes of the live blocks' own mappings */
static long heap_bytes(void)
{
    return (long)(sys_brk(0) - brk_start) + mapped_total;
}
/* A block outside [brk_start, brk) has its own mapping: a 32-byte record, a 16-byte
 * header, then the payload up to the end of the mapping (malloc_core.c, map_block). */
static void mapping_accounting(void *p, long *mapped)
{
    unsigned long a = (unsigned long)p;
    *mapped =
        (a >= brk_start && a < (unsigned long)sys_brk(0)) ? 0 : (long)malloc_usable_size(p) + 48;
}
#endif

/* ---- the trace ---- */

#define MAX_OPS   65536
#define MAX_IDS   65536
#define MAX_INPUT (2 * 1024 * 1024)

struct op {
    char kind; /* 'a', 'f', 'r' */
    uint32_t id;
    uint32_t size;
};

static struct op ops[MAX_OPS];
static long op_count;
static char name[64];
static char input[MAX_INPUT + 1];

static char *block[MAX_IDS]; /* live pointer per id, or NULL */
static uint32_t length[MAX_IDS];
static long mapped[MAX_IDS]; /* vmlab: bytes of the block's own mapping */
static uint8_t in_use[MAX_IDS];
static uint32_t order[MAX_IDS];

static int failed;

/* -x: the damage to do on purpose (see the top of the file), and whether it is done. */
enum sabotage { SABOTAGE_NONE, SABOTAGE_CONTENT, SABOTAGE_REALLOC, SABOTAGE_OVERLAP };
static enum sabotage sabotage;
static int sabotage_done;

static void complain(const char *what, long op, uint32_t id)
{
    printf("malloctrace: %s: %s (operation %ld, id %u)\n", name, what, op, (unsigned)id);
    failed = 1;
}

static int parse_number(const char **s, uint32_t *value)
{
    while (**s == ' ' || **s == '\t')
        (*s)++;
    if (**s < '0' || **s > '9')
        return 0;
    uint64_t v = 0;
    while (**s >= '0' && **s <= '9' && v < (1ULL << 32))
        v = v * 10 + (uint64_t)(*(*s)++ - '0');
    if (v >= (1ULL << 32))
        return 0;
    *value = (uint32_t)v;
    return 1;
}

/* Parse text into ops[] and check that it makes sense (ids live when used). */
static int parse(const char *text, const char *given_name)
{
    op_count = 0;
    name[0] = 0;
    if (given_name != NULL)
        strlcpy(name, given_name, sizeof name);
    memset(in_use, 0, sizeof in_use);
    long line = 0;
    for (const char *s = text; *s != 0;) {
        const char *end = strchr(s, '\n');
        if (end == NULL)
            end = s + strlen(s);
        line++;
        if (*s == '#') {
            if (name[0] == 0 && strncmp(s, "# trace ", 8) == 0) {
                size_t n = (size_t)(end - s - 8);
                if (n >= sizeof name)
                    n = sizeof name - 1;
                memcpy(name, s + 8, n);
                name[n] = 0;
            }
        } else if (end > s) {
            struct op o = { .kind = *s };
            const char *p = s + 1;
            int ok = (o.kind == 'a' || o.kind == 'f' || o.kind == 'r') && parse_number(&p, &o.id) &&
                     (o.kind == 'f' || parse_number(&p, &o.size)) && o.id < MAX_IDS;
            while (ok && (*p == ' ' || *p == '\t' || *p == '\r'))
                p++;
            ok = ok && p == end && op_count < MAX_OPS && (in_use[o.id] != 0) == (o.kind != 'a');
            if (!ok) {
                printf("malloctrace: bad line %ld: %.*s\n", line, (int)(end - s), s);
                return 0;
            }
            in_use[o.id] = o.kind != 'f';
            ops[op_count++] = o;
        }
        s = *end ? end + 1 : end;
    }
    for (long i = 0; i < MAX_IDS; i++)
        in_use[i] = 0;
    if (name[0] == 0)
        strlcpy(name, "stdin", sizeof name);
    return 1;
}

/* ---- patterns ---- */

static uint8_t fill_byte(uint32_t id)
{
    return (uint8_t)(id * 131 + 7) | 1;
}

/* The pattern of block id with n bytes: a 4-byte stamp of the id at both ends (when
 * n >= 8), the fill byte in between. */
static uint8_t expected_byte(uint32_t id, uint32_t n, uint32_t k)
{
    if (n >= 8 && k < 4)
        return (uint8_t)(id >> (8 * k));
    if (n >= 8 && k >= n - 4)
        return (uint8_t)((id ^ 0x5a5a5a5aU) >> (8 * (k - (n - 4))));
    return fill_byte(id);
}

static void fill(char *p, uint32_t id, uint32_t n)
{
    memset(p, fill_byte(id), n);
    if (n >= 8) {
        for (uint32_t k = 0; k < 4; k++) {
            p[k] = (char)expected_byte(id, n, k);
            p[n - 4 + k] = (char)expected_byte(id, n, n - 4 + k);
        }
    }
}

/* Do the first upto bytes of p hold block id's pattern for n bytes? */
static int intact(const char *p, uint32_t id, uint32_t n, uint32_t upto)
{
    if (upto > n)
        upto = n;
    const uint8_t *b = (const uint8_t *)p;
    uint32_t k = 0;
    for (; k < upto && k < 8; k++)
        if (b[k] != expected_byte(id, n, k))
            return 0;
    uint32_t middle_end = n >= 8 ? n - 4 : n;
    if (middle_end > upto)
        middle_end = upto;
    uint64_t word = 0x0101010101010101ULL * fill_byte(id);
    for (; k < middle_end && ((uintptr_t)(b + k) & 7) != 0; k++)
        if (b[k] != fill_byte(id))
            return 0;
    for (; k + 8 <= middle_end; k += 8)
        if (*(const uint64_t *)(b + k) != word)
            return 0;
    for (; k < upto; k++)
        if (b[k] != expected_byte(id, n, k))
            return 0;
    return 1;
}

/* Sort the live ids by address (heap sort) and check that no two blocks overlap. */
static void check_overlaps(long op)
{
    long n = 0;
    for (uint32_t i = 0; i < MAX_IDS; i++)
        if (in_use[i])
            order[n++] = i;
#define LESS(a, b) ((uintptr_t)block[order[a]] < (uintptr_t)block[order[b]])
#define SWAP(a, b)                                                                                 \
    do {                                                                                           \
        uint32_t t_ = order[a];                                                                    \
        order[a] = order[b];                                                                       \
        order[b] = t_;                                                                             \
    } while (0)
    for (long start = n / 2 - 1, end = n; end > 1;) {
        long root;
        if (start >= 0)
            root = start--;
        else {
            SWAP(0, end - 1);
            end--;
            root = 0;
        }
        for (long child; (child = 2 * root + 1) < end; root = child) {
            if (child + 1 < end && LESS(child, child + 1))
                child++;
            if (!LESS(root, child))
                break;
            SWAP(root, child);
        }
    }
    for (long i = 1; i < n; i++) {
        uint32_t a = order[i - 1], b = order[i];
        uintptr_t b_start = (uintptr_t)block[b];
        if (sabotage == SABOTAGE_OVERLAP && !sabotage_done && op >= op_count / 2 && length[a] > 1) {
            b_start = (uintptr_t)block[a] + 1; /* -x overlap: pretend b starts inside a */
            sabotage_done = 1;
        }
        if ((uintptr_t)block[a] + length[a] > b_start)
            complain("two live blocks overlap", op, b);
    }
}

/* ---- the two passes ---- */

/* What heap_bytes() counts that is not the trace's: 0 for vmlab and glibc (both count
 * only what the allocator took); for the statm measure, the data before the replay. */
static long heap_base;

struct measure {
    long peak_live, peak_heap; /* bytes; peak_heap -1 when unknown */
};

static void checked_pass(long check_every, struct measure *m)
{
    long live = 0, mapped_now = 0;
    m->peak_live = 0;
    m->peak_heap = heap_base < 0 ? -1 : 0;
    for (long i = 0; i < op_count && !failed; i++) {
        struct op o = ops[i];
        char *old = block[o.id];
        if (o.kind != 'a' && !intact(old, o.id, length[o.id], length[o.id]))
            complain("block changed while it was live", i, o.id);
        if (o.kind == 'f') {
            free(old);
            block[o.id] = NULL;
            in_use[o.id] = 0;
            live -= length[o.id];
            mapped_now -= mapped[o.id];
        } else {
            char *p = o.kind == 'a' ? malloc(o.size) : realloc(old, o.size);
            if (p == NULL) {
                complain("out of memory", i, o.id);
                break;
            }
            if (((uintptr_t)p & 15) != 0)
                complain("block not 16-byte aligned", i, o.id);
            if (o.kind == 'r') {
                if (sabotage == SABOTAGE_REALLOC && !sabotage_done && i >= op_count / 2 &&
                    length[o.id] > 0 && o.size > 0) {
                    p[0] ^= 0x55; /* -x realloc: as if realloc had lost a byte */
                    sabotage_done = 1;
                }
                if (!intact(p, o.id, length[o.id], o.size))
                    complain("realloc lost the contents", i, o.id);
                live -= length[o.id];
                mapped_now -= mapped[o.id];
            }
            block[o.id] = p;
            length[o.id] = o.size;
            in_use[o.id] = 1;
            fill(p, o.id, o.size);
            if (sabotage == SABOTAGE_CONTENT && !sabotage_done && i >= op_count / 2 && o.size > 0) {
                p[o.size - 1] ^= 0x55; /* -x content: a stray write into a live block */
                sabotage_done = 1;
            }
            live += o.size;
            mapping_accounting(p, &mapped[o.id]);
            mapped_now += mapped[o.id];
        }
#ifndef MALLOCTRACE_HOST
        mapped_total = mapped_now;
#endif
        if (live > m->peak_live)
            m->peak_live = live;
        if (m->peak_heap >= 0) {
            long h = heap_bytes();
            if (h < 0)
                m->peak_heap = -1;
            else if (h - heap_base > m->peak_heap)
                m->peak_heap = h - heap_base;
        }
        if (check_every > 0 && (i + 1) % check_every == 0 && heap_check_now() != 0)
            complain("malloc_check failed", i, o.id);
        if ((i + 1) % 1024 == 0)
            check_overlaps(i);
    }
    check_overlaps(op_count);
    for (uint32_t id = 0; id < MAX_IDS; id++) {
        if (in_use[id]) {
            if (!intact(block[id], id, length[id], length[id]))
                complain("block changed while it was live (at the end)", op_count, id);
            free(block[id]);
            block[id] = NULL;
            in_use[id] = 0;
        }
    }
#ifndef MALLOCTRACE_HOST
    mapped_total = 0;
#endif
    if (check_every > 0 && heap_check_now() != 0)
        complain("malloc_check failed at the end", op_count, 0);
}

static long timed_pass(void)
{
    long start = now_ns();
    for (long i = 0; i < op_count; i++) {
        struct op o = ops[i];
        if (o.kind == 'a') {
            block[o.id] = malloc(o.size);
        } else if (o.kind == 'f') {
            free(block[o.id]);
            block[o.id] = NULL;
        } else {
            char *p = realloc(block[o.id], o.size);
            if (p != NULL)
                block[o.id] = p;
        }
    }
    long elapsed = now_ns() - start;
    for (uint32_t id = 0; id < MAX_IDS; id++) {
        free(block[id]);
        block[id] = NULL;
    }
    return elapsed;
}

static int replay(const char *text, const char *given_name, long check_every, long rounds)
{
    failed = 0;
    sabotage_done = 0;
    if (!parse(text, given_name))
        return 1;
    struct measure m;
#if defined(MALLOCTRACE_HOST) && !defined(__GLIBC__)
    heap_base = heap_bytes();
#endif
    checked_pass(check_every, &m);
    if (failed)
        return 1;
    long best = -1;
    for (long r = 0; r < rounds; r++) {
        long t = timed_pass();
        if (best < 0 || t < best)
            best = t;
    }
    if (best < 1)
        best = 1;
    long deci_kops = (long)((unsigned long)op_count * 10000000UL / (unsigned long)best);
    char util[32];
    if (m.peak_heap > 0) {
        long milli = m.peak_live * 1000 / m.peak_heap;
        snprintf(util, sizeof util, "%ld.%03ld", milli / 1000, milli % 1000);
    } else {
        strlcpy(util, "-", sizeof util);
    }
    printf("trace %s ops %ld kops_per_s %ld.%ld util %s peak_live %ld peak_heap %ld heap_measure "
           "%s alloc %s\n",
           name, op_count, deci_kops / 10, deci_kops % 10, util, m.peak_live, m.peak_heap,
           heap_measure, allocator_name());
    return 0;
}

/* Replay in a child process of its own, so that every trace starts from an empty
 * heap (what the last one left, or kept, does not count). */
static int replay_alone(const char *text, const char *given_name, long check_every, long rounds)
{
#ifdef MALLOCTRACE_HOST
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int status = replay(text, given_name, check_every, rounds);
        fflush(stdout);
        _exit(status);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return replay(text, given_name, check_every, rounds);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
#else
    long pid = sys_fork();
    if (pid == 0)
        sys_exit_group(replay(text, given_name, check_every, rounds));
    int status = 0;
    if (pid < 0 || sys_wait4((int)pid, &status, 0, NULL) != pid)
        return replay(text, given_name, check_every, rounds);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
#endif
}

static int usage(void)
{
    printf(
        "usage: malloctrace [-c N] [-r ROUNDS] [-x content|realloc|overlap] [NAME] < FILE.trace\n"
        "       malloctrace [-c N] [-r ROUNDS] [-x content|realloc|overlap] -e NAME|all\n");
    return 2;
}

static int number_arg(const char *s, long *value)
{
    uint32_t v;
    if (!parse_number(&s, &v) || *s != 0)
        return 0;
    *value = v;
    return 1;
}

int main(int argc, char **argv)
{
#ifndef MALLOCTRACE_HOST
    brk_start = (unsigned long)sys_brk(0);
#endif
    long check_every = 0, rounds = 3;
    const char *embed = NULL, *given_name = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
            if (!number_arg(argv[++i], &check_every))
                return usage();
        } else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            if (!number_arg(argv[++i], &rounds) || rounds < 1)
                return usage();
        } else if (strcmp(argv[i], "-x") == 0 && i + 1 < argc) {
            const char *kind = argv[++i];
            sabotage = strcmp(kind, "content") == 0   ? SABOTAGE_CONTENT
                       : strcmp(kind, "realloc") == 0 ? SABOTAGE_REALLOC
                       : strcmp(kind, "overlap") == 0 ? SABOTAGE_OVERLAP
                                                      : SABOTAGE_NONE;
            if (sabotage == SABOTAGE_NONE)
                return usage();
        } else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
            embed = argv[++i];
        } else if (argv[i][0] == '-' || given_name != NULL) {
            return usage();
        } else {
            given_name = argv[i];
        }
    }
    if (embed != NULL) {
        int found = 0, status = 0;
        for (size_t t = 0; t < EMBEDDED_COUNT; t++) {
            if (strcmp(embed, "all") == 0 || strcmp(embed, embedded[t].name) == 0) {
                found = 1;
                status |= replay_alone(embedded[t].text, embedded[t].name, check_every, rounds);
            }
        }
        if (!found) {
            printf("malloctrace: no built-in trace named %s\n", embed);
            return 2;
        }
        return status;
    }
    long n = 0;
    for (;;) {
        long got = read_fd(0, input + n, (size_t)(MAX_INPUT - n));
        if (got < 0) {
            printf("malloctrace: cannot read standard input\n");
            return 1;
        }
        if (got == 0)
            break;
        n += got;
        if (n == MAX_INPUT) {
            printf("malloctrace: trace longer than %d bytes\n", MAX_INPUT);
            return 1;
        }
    }
    input[n] = 0;
    return replay(input, given_name, check_every, rounds);
}
