/*
 * vmsoak — random mmap, munmap, mprotect, mremap, madvise and brk on a window of 64
 * pages, with every page of the window checked against a model after every step.
 *
 *   vmsoak [-v] [--all | --with BUG]... [--steps N] [SEED|FIRST-LAST]...
 *                                              (default: 200 steps of seeds 1-3)
 *   -v          print each step and its result
 *   --with BUG  also generate the cases of that known vmlab bug (known_bug_names)
 *   --all       all of them
 *
 * The window starts at the program break, so brk grows into it and the mappings
 * compete with the heap. The model knows, for each page: is it mapped, with which
 * protection, private or shared (and which page of which shared object), what it
 * holds, and which region it belongs to. Each step makes one call, compares its
 * result with the model's, then checks all 64 pages without ever faulting:
 *
 *   mapped?    madvise(page, 4096, MADV_NORMAL): 0, or ENOMEM for a hole
 *   readable?  rt_sigprocmask(99, page, NULL, 8): the kernel reads the set first,
 *              so EFAULT if it cannot, else EINVAL for the invalid `how`
 *   writable?  rt_sigprocmask(SIG_BLOCK, NULL, page, 8): the kernel writes the old
 *              mask there, or fails with EFAULT; the 8 bytes are then put back
 *   contents   read directly, once the kernel said the page is readable
 *
 * Some steps fork a child that checks the window in its own copy, writes new
 * contents, and exits: its writes must show in the parent's shared pages only.
 *
 * The model follows Linux (6.x), and the same binary runs on the host's Linux and on
 * vmlab: both must print the same. Only the cases both kernels must agree on are
 * generated (see mremap_step for what is left out). A mismatch prints the step, the
 * page and both views of the window, and the command that replays it with -v.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/xorshift.h" /* header only: no vmlab code, just the generator */

#define PAGE                 4096UL
#define WINDOW_PAGES         64
#define MAX_RUN              8   /* the most pages one call covers */
#define MAX_OBJECTS          128 /* shared objects alive at once (at most 64 are in the window) */
#define DEFAULT_STEPS        200
#define MAX_SEEDS            1000
#define INVALID_HOW          99 /* rt_sigprocmask: not SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK */
#define SIGSET_BYTES         8  /* the kernel's sigset_t */
#define CHILD_FOUND_MISMATCH 3

/* Where vmlab was found to differ from Linux (reported; being fixed): while a bug is
 * listed here, the cases that show it are not generated, so that the soak can go on
 * looking for others; --all generates them too. Delete a line, and its use, once
 * vmlab agrees with Linux. */
enum known_bug {
    /* none known now; the last two, fixed: a PROT_WRITE page could not be read
     * (write-only-unreadable), and mprotect over a hole left a region split
     * (mprotect-hole-splits) */
    KNOWN_BUGS
};
static const char *const known_bug_names[KNOWN_BUGS + 1] = { NULL };
static bool generating[KNOWN_BUGS]; /* --with NAME, or --all */

/* --with NAME or --all: false if NAME is none of known_bug_names. */
static bool generate_known_bug(const char *name)
{
    bool found = false;
    for (int b = 0; b < KNOWN_BUGS; b++) {
        if (strcmp(name, "all") == 0 || strcmp(name, known_bug_names[b]) == 0)
            generating[b] = found = true;
    }
    return found;
}

/* ---- random numbers: xorshift64* ---- */

static uint64_t random_state;

static uint64_t random_next(void)
{
    return xorshift64star(&random_state);
}

static unsigned random_below(unsigned limit)
{
    return (unsigned)(random_next() % limit);
}

/* ---- the model ---- */

struct page_state {
    bool mapped;
    int prot;        /* PROT_NONE, PROT_READ, PROT_WRITE or both */
    int object;      /* shared: the object's slot; -1: private */
    int index;       /* shared: the page's index in its object */
    uint32_t stamp;  /* private: what it holds (0: zeros, else the pattern of stamp) */
    uint32_t region; /* pages of one region (one mapping, never split since) share it */
};

/* Shared anonymous memory: what each of its pages holds. */
struct object {
    bool used;
    uint32_t stamp[WINDOW_PAGES];
};

static struct page_state model[WINDOW_PAGES];
static struct object objects[MAX_OBJECTS];
static uintptr_t window;      /* the first page: the initial program break */
static uintptr_t model_break; /* the break, as the model has it */
static uint32_t next_region, next_stamp;

static uintptr_t page_address(int page)
{
    return window + (uintptr_t)page * PAGE;
}

static bool model_readable(const struct page_state *s)
{
    return s->mapped && (s->prot & (PROT_READ | PROT_WRITE)); /* x86: writable is readable */
}

static bool model_writable(const struct page_state *s)
{
    return s->mapped && (s->prot & PROT_WRITE);
}

static uint32_t model_stamp(const struct page_state *s)
{
    return s->object >= 0 ? objects[s->object].stamp[s->index] : s->stamp;
}

/* A free object slot (dropping those no page of the window uses any more). */
static int new_object(void)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < MAX_OBJECTS; i++) {
            if (!objects[i].used) {
                memset(&objects[i], 0, sizeof(objects[i]));
                objects[i].used = true;
                return i;
            }
        }
        for (int i = 0; i < MAX_OBJECTS; i++)
            objects[i].used = false;
        for (int p = 0; p < WINDOW_PAGES; p++) {
            if (model[p].mapped && model[p].object >= 0)
                objects[model[p].object].used = true;
        }
    }
    fprintf(stderr, "vmsoak: out of object slots\n");
    exit(2);
}

/* Pages [first, first + count) become one new zero-filled region. */
static void model_map(int first, int count, int prot, bool shared)
{
    int object = shared ? new_object() : -1;
    uint32_t region = ++next_region;
    for (int i = 0; i < count; i++)
        model[first + i] = (struct page_state){ true, prot, object, i, 0, region };
}

/* A region that a call cuts at page `at` becomes two regions (as a VMA is split). */
static void model_split_at(int at)
{
    if (at <= 0 || at >= WINDOW_PAGES || !model[at].mapped || !model[at - 1].mapped ||
        model[at].region != model[at - 1].region)
        return;
    uint32_t old = model[at].region, region = ++next_region;
    for (int p = at; p < WINDOW_PAGES && model[p].mapped && model[p].region == old; p++)
        model[p].region = region;
}

static void model_unmap(int first, int count)
{
    model_split_at(first);
    model_split_at(first + count);
    for (int i = 0; i < count; i++)
        model[first + i] = (struct page_state){ .object = -1 };
}

static bool model_any_mapped(int first, int count)
{
    for (int i = 0; i < count; i++) {
        if (first + i < WINDOW_PAGES && model[first + i].mapped)
            return true;
    }
    return false;
}

/* ---- page contents: a stamp's pattern, word by word ---- */

static uint64_t pattern_word(uint32_t stamp, size_t word)
{
    return stamp == 0 ? 0 : (stamp * 0x9e3779b97f4a7c15ULL) ^ word;
}

static void fill_page(uintptr_t address, uint32_t stamp)
{
    uint64_t *words = (uint64_t *)address;
    for (size_t w = 0; w < PAGE / 8; w++)
        words[w] = pattern_word(stamp, w);
}

/* -1 if the page holds stamp's pattern, else the first byte offset that differs. */
static long page_differs(uintptr_t address, uint32_t stamp)
{
    const volatile uint64_t *words = (const volatile uint64_t *)address;
    for (size_t w = 0; w < PAGE / 8; w++) {
        if (words[w] != pattern_word(stamp, w))
            return (long)(w * 8);
    }
    return -1;
}

/* ---- asking the kernel about a page, without ever faulting ---- */

static bool probe_mapped(uintptr_t address)
{
    return syscall(SYS_madvise, address, PAGE, MADV_NORMAL) == 0;
}

static bool probe_readable(uintptr_t address)
{
    return syscall(SYS_rt_sigprocmask, INVALID_HOW, address, 0, SIGSET_BYTES) == -1 &&
           errno == EINVAL;
}

/* Writes the 8 bytes at address through the kernel, then puts them back (they were
 * saved if the page is readable; a writable page that is not is a mismatch anyway). */
static bool probe_writable(uintptr_t address, bool readable)
{
    uint64_t saved = 0;
    if (readable)
        memcpy(&saved, (const void *)address, sizeof(saved));
    bool written = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, address, SIGSET_BYTES) == 0;
    if (written && readable)
        memcpy((void *)address, &saved, sizeof(saved));
    return written;
}

/* ---- checking the window ---- */

struct seen {
    bool mapped, readable, writable;
};

static struct seen probe_page(uintptr_t address)
{
    struct seen s;
    s.mapped = probe_mapped(address);
    s.readable = probe_readable(address);
    s.writable = probe_writable(address, s.readable);
    return s;
}

/* One letter per page: '.' unmapped, '-' no access, 'r' read, 'w' read-write
 * ('=', 'R', 'W': the same, shared; the kernel's view may also show '!', written
 * but not read, and '?', not mapped yet accessible). */
static char model_letter(const struct page_state *s)
{
    bool shared = s->object >= 0;
    if (!s->mapped)
        return '.';
    if (model_writable(s))
        return shared ? 'W' : 'w';
    if (model_readable(s))
        return shared ? 'R' : 'r';
    return shared ? '=' : '-';
}

static char seen_letter(struct seen s)
{
    if (!s.mapped)
        return s.readable || s.writable ? '?' : '.';
    if (s.writable)
        return s.readable ? 'w' : '!'; /* writable, yet not readable */
    return s.readable ? 'r' : '-';
}

static void print_views(const char *who)
{
    char mine[WINDOW_PAGES + 1], theirs[WINDOW_PAGES + 1];
    for (int p = 0; p < WINDOW_PAGES; p++) {
        mine[p] = model_letter(&model[p]);
        theirs[p] = seen_letter(probe_page(page_address(p)));
    }
    mine[WINDOW_PAGES] = theirs[WINDOW_PAGES] = '\0';
    printf("%s  model:  %s\n%s  kernel: %s\n", who, mine, who, theirs);
}

/* Compare page p with the model; print and return false on the first difference. */
static bool check_page(int p, const char *who)
{
    const struct page_state *s = &model[p];
    struct seen k = probe_page(page_address(p));
    const char *what = NULL;
    if (k.mapped != s->mapped)
        what = "mapped";
    else if (k.readable != model_readable(s))
        what = "readable";
    else if (k.writable != model_writable(s))
        what = "writable";
    if (what != NULL) {
        bool says = what[0] == 'm'   ? s->mapped
                    : what[0] == 'r' ? model_readable(s)
                                     : model_writable(s);
        bool found = what[0] == 'm' ? k.mapped : what[0] == 'r' ? k.readable : k.writable;
        printf("%s: page %d: %s: model %s, kernel %s\n", who, p, what, says ? "yes" : "no",
               found ? "yes" : "no");
        return false;
    }
    if (k.readable) {
        long offset = page_differs(page_address(p), model_stamp(s));
        if (offset >= 0) {
            printf("%s: page %d: contents differ from the model at byte %ld (expected %s)\n", who,
                   p, offset, model_stamp(s) == 0 ? "zeros" : "its last write");
            return false;
        }
    }
    return true;
}

static bool check_window(const char *who)
{
    for (int p = 0; p < WINDOW_PAGES; p++) {
        if (!check_page(p, who)) {
            print_views(who);
            return false;
        }
    }
    return true;
}

/* ---- one step: a call, its result compared with the model's ---- */

enum op {
    OP_MMAP,
    OP_MUNMAP,
    OP_MPROTECT,
    OP_MREMAP,
    OP_MADVISE,
    OP_BRK,
    OP_WRITE,
    OP_FORK,
    OP_COUNT
};
static const char *const op_names[OP_COUNT] = { "mmap",    "munmap", "mprotect", "mremap",
                                                "madvise", "brk",    "write",    "fork" };

struct tally {
    long done[OP_COUNT], refused[OP_COUNT], moved;
};

static bool verbose;
static char step_text[200]; /* the current step, for messages */
static struct tally tally;

static const char *prot_name(int prot)
{
    static const char *const names[] = { "PROT_NONE", "PROT_READ", "PROT_WRITE",
                                         "PROT_READ|PROT_WRITE" };
    return names[prot & 3];
}

/* Pick a protection, in the proportions a program uses them. */
static int random_prot(void)
{
    static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
                                 PROT_READ | PROT_WRITE, PROT_WRITE };
    int prot = prots[random_below(sizeof(prots) / sizeof(prots[0]))];
    return prot;
}

/* A run of pages inside the window: *first and 1..MAX_RUN pages that fit. */
static int random_run(int *first)
{
    *first = (int)random_below(WINDOW_PAGES);
    int count = 1 + (int)random_below(MAX_RUN);
    return *first + count > WINDOW_PAGES ? WINDOW_PAGES - *first : count;
}

/* A page, mapped three times in four when there is one (calls on holes mostly fail). */
static int random_page_mostly_mapped(void)
{
    int p = (int)random_below(WINDOW_PAGES);
    if (random_below(4) == 0)
        return p;
    for (int i = 0; i < WINDOW_PAGES; i++) {
        if (model[(p + i) % WINDOW_PAGES].mapped)
            return (p + i) % WINDOW_PAGES;
    }
    return p;
}

/* A run as random_run, starting on a mapped page three times in four. */
static int random_run_mostly_mapped(int *first)
{
    *first = random_page_mostly_mapped();
    int count = 1 + (int)random_below(MAX_RUN);
    return *first + count > WINDOW_PAGES ? WINDOW_PAGES - *first : count;
}

static const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    default: return "another error";
    }
}

/* Result as text: "W+5" for page 5 of the window, "elsewhere", or the errno name. */
static void describe(long result, char *text, size_t size)
{
    if (result == -1)
        snprintf(text, size, "-1 %s", errno_name(errno));
    else if ((uintptr_t)result >= window && (uintptr_t)result < page_address(WINDOW_PAGES) &&
             ((uintptr_t)result - window) % PAGE == 0)
        snprintf(text, size, "W+%lu", ((uintptr_t)result - window) / PAGE);
    else
        snprintf(text, size, result == 0 ? "0" : "elsewhere");
}

/* With -v, show the step before making its call (a kernel may die in it). */
static void announce(void)
{
    if (verbose) {
        printf("  %s", step_text);
        fflush(stdout);
    }
}

/* The call returned `result` (with errno); the model expects `expected` (-errno for an
 * error, else the value). */
static bool agree(enum op op, long result, long expected)
{
    long got = result == -1 ? -errno : result;
    char text[64], wanted[64];
    describe(result, text, sizeof(text));
    if (verbose)
        printf(" = %s\n", text);
    tally.done[op]++;
    if (expected < 0 && expected > -4096)
        tally.refused[op]++;
    if (got == expected)
        return true;
    errno = expected < 0 && expected > -4096 ? (int)-expected : 0;
    describe(expected < 0 && expected > -4096 ? -1 : expected, wanted, sizeof(wanted));
    printf("%s returned %s, the model expects %s\n", step_text, text, wanted);
    return false;
}

/* Check n pages at `at` (outside the window) hold states[i]'s contents with its
 * access, then unmap them: where a mapping moved, or a hint was not taken. */
static bool check_elsewhere(uintptr_t at, const struct page_state *states, int n)
{
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        struct seen k = probe_page(at + (uintptr_t)i * PAGE);
        const struct page_state *s = &states[i];
        ok = k.mapped && k.readable == model_readable(s) && k.writable == model_writable(s) &&
             (!k.readable || page_differs(at + (uintptr_t)i * PAGE, model_stamp(s)) < 0);
        if (!ok)
            printf("%s: page %d of the new place is not as the model says (%c, kernel %c)\n",
                   step_text, i, model_letter(s), seen_letter(k));
    }
    munmap((void *)at, (size_t)n * PAGE);
    return ok;
}

static bool mmap_step(void)
{
    int first, count = random_run(&first), prot = random_prot();
    bool shared = random_below(3) == 0;
    unsigned how = random_below(8); /* 0-4 MAP_FIXED, 5 MAP_FIXED_NOREPLACE, 6-7 a hint */
    int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS |
                (how < 5    ? MAP_FIXED
                 : how == 5 ? MAP_FIXED_NOREPLACE
                            : 0);
    snprintf(step_text, sizeof(step_text), "mmap(W+%d, %d pages, %s, %s%s)", first, count,
             prot_name(prot), shared ? "MAP_SHARED" : "MAP_PRIVATE",
             how < 5    ? "|MAP_FIXED"
             : how == 5 ? "|MAP_FIXED_NOREPLACE"
                        : " (a hint)");
    announce();
    long result = (long)mmap((void *)page_address(first), (size_t)count * PAGE, prot, flags, -1, 0);
    bool taken = how < 5 || !model_any_mapped(first, count);
    if (how == 5 && !taken)
        return agree(OP_MMAP, result, -EEXIST);
    if (!taken) { /* Linux puts it elsewhere: fresh zeros, far from the window */
        struct page_state fresh[MAX_RUN];
        for (int i = 0; i < count; i++)
            fresh[i] = (struct page_state){ true, prot, -1, 0, 0, 0 };
        bool outside = result != -1 && (uintptr_t)result >= page_address(WINDOW_PAGES);
        if (!agree(OP_MMAP, outside ? 1 : result, 1))
            return false;
        return check_elsewhere((uintptr_t)result, fresh, count);
    }
    if (!agree(OP_MMAP, result, (long)page_address(first)))
        return false;
    model_unmap(first, count);
    model_map(first, count, prot, shared);
    return true;
}

static bool munmap_step(void)
{
    int first, count = random_run(&first);
    bool unaligned = random_below(16) == 0;
    snprintf(step_text, sizeof(step_text), "munmap(W+%d%s, %d pages)", first,
             unaligned ? " + 1 byte" : "", count);
    announce();
    long result = munmap((void *)(page_address(first) + unaligned), (size_t)count * PAGE);
    if (unaligned)
        return agree(OP_MUNMAP, result, -EINVAL);
    if (!agree(OP_MUNMAP, result, 0))
        return false;
    model_unmap(first, count);
    return true;
}

/* Linux changes the pages up to the first hole, then says ENOMEM (nothing at all if
 * the first page is a hole). */
static bool mprotect_step(void)
{
    int first, count = random_run_mostly_mapped(&first), prot = random_prot();
    snprintf(step_text, sizeof(step_text), "mprotect(W+%d, %d pages, %s)", first, count,
             prot_name(prot));
    announce();
    long result = mprotect((void *)page_address(first), (size_t)count * PAGE, prot);
    int end = first;
    while (end < first + count && model[end].mapped)
        end++;
    if (!agree(OP_MPROTECT, result, end == first + count ? 0 : -ENOMEM))
        return false;
    model_split_at(first);
    model_split_at(end);
    for (int p = first; p < end; p++)
        model[p].prot = prot;
    return true;
}

/* MADV_DONTNEED drops the pages: private ones read back as zeros, shared ones keep
 * what the object holds. Holes: ENOMEM, after the mapped parts were done. */
static bool madvise_step(void)
{
    static const int advice[] = { MADV_DONTNEED, MADV_DONTNEED, MADV_DONTNEED,  MADV_NORMAL,
                                  MADV_WILLNEED, MADV_RANDOM,   MADV_SEQUENTIAL };
    int first, count = random_run_mostly_mapped(&first);
    int what = advice[random_below(sizeof(advice) / sizeof(advice[0]))];
    snprintf(step_text, sizeof(step_text), "madvise(W+%d, %d pages, %d)", first, count, what);
    announce();
    long result = madvise((void *)page_address(first), (size_t)count * PAGE, what);
    int mapped = 0;
    for (int p = first; p < first + count; p++)
        mapped += model[p].mapped;
    if (!agree(OP_MADVISE, result, mapped == count ? 0 : -ENOMEM))
        return false;
    for (int p = first; p < first + count && what == MADV_DONTNEED; p++) {
        if (model[p].mapped && model[p].object < 0)
            model[p].stamp = 0;
    }
    return true;
}

/* The region around page p: [*start, *end). */
static void region_of(int p, int *start, int *end)
{
    *start = *end = p;
    while (*start > 0 && model[*start - 1].mapped && model[*start - 1].region == model[p].region)
        (*start)--;
    while (*end < WINDOW_PAGES && model[*end].mapped && model[*end].region == model[p].region)
        (*end)++;
}

/* Move the model's pages [from, from + count) to [to, to + size) (size >= count; the
 * extra pages are fresh zeros with the same rights) as one new region. */
static void model_move(int from, int count, int to, int size)
{
    struct page_state moved[MAX_RUN];
    memcpy(moved, &model[from], (size_t)count * sizeof(moved[0]));
    model_unmap(from, count);
    model_unmap(to, size);
    uint32_t region = ++next_region;
    for (int i = 0; i < size; i++) {
        model[to + i] =
            i < count ? moved[i] : (struct page_state){ true, moved[0].prot, -1, 0, 0, 0 };
        model[to + i].region = region;
    }
}

/* Left out, where vmlab and Linux may rightly differ or Linux changed between versions:
 * ranges that span regions or holes (Linux 6.x ends the check at the first region
 * for some calls), growing a shared mapping (Linux maps pages past the end of its
 * object, which then give SIGBUS), old_size 0 and MREMAP_DONTUNMAP. */
static bool mremap_step(void)
{
    int p = random_page_mostly_mapped(), start = p, end = p + 1;
    if (model[p].mapped)
        region_of(p, &start, &end);
    else
        while (end < WINDOW_PAGES && end - p < MAX_RUN && !model[end].mapped)
            end++;
    int from = start + (int)random_below((unsigned)(end - start));
    int old_count = 1 + (int)random_below((unsigned)(end - from < MAX_RUN ? end - from : MAX_RUN));
    bool shared = model[from].mapped && model[from].object >= 0;
    int new_count = 1 + (int)random_below(shared ? (unsigned)old_count : MAX_RUN);
    unsigned how = random_below(4); /* 0: in place only, 1-2: may move, 3: to a fixed place */
    int flags = how == 0 ? 0 : how < 3 ? MREMAP_MAYMOVE : MREMAP_MAYMOVE | MREMAP_FIXED;
    int to = (int)random_below(WINDOW_PAGES - (unsigned)new_count + 1);
    if (how < 3 && from + new_count > WINDOW_PAGES)
        new_count = WINDOW_PAGES - from; /* growing in place stays inside the window */
    snprintf(step_text, sizeof(step_text), "mremap(W+%d, %d pages, %d pages, %s, W+%d)", from,
             old_count, new_count,
             how == 0  ? "0"
             : how < 3 ? "MREMAP_MAYMOVE"
                       : "MREMAP_MAYMOVE|MREMAP_FIXED",
             to);
    announce();
    long result = syscall(SYS_mremap, page_address(from), (size_t)old_count * PAGE,
                          (size_t)new_count * PAGE, flags, page_address(to));
    if (how == 3 && to < from + old_count && from < to + new_count)
        return agree(OP_MREMAP, result, -EINVAL); /* the two ranges overlap */
    if (!model[from].mapped)
        return agree(OP_MREMAP, result, -EFAULT);
    if (how == 3) {
        if (!agree(OP_MREMAP, result, (long)page_address(to)))
            return false;
        if (old_count > new_count)
            model_unmap(from + new_count, old_count - new_count);
        model_move(from, old_count < new_count ? old_count : new_count, to, new_count);
        return true;
    }
    if (new_count <= old_count) {
        if (!agree(OP_MREMAP, result, (long)page_address(from)))
            return false;
        model_unmap(from + new_count, old_count - new_count);
        return true;
    }
    bool in_place = from + old_count == end && !model_any_mapped(end, from + new_count - end) &&
                    from + new_count <= WINDOW_PAGES;
    if (in_place) {
        if (!agree(OP_MREMAP, result, (long)page_address(from)))
            return false;
        for (int q = from + old_count; q < from + new_count; q++)
            model[q] = (struct page_state){ true, model[from].prot, -1, 0, 0, model[from].region };
        return true;
    }
    if (how == 0)
        return agree(OP_MREMAP, result, -ENOMEM);
    struct page_state moved[MAX_RUN];
    for (int i = 0; i < new_count; i++)
        moved[i] = i < old_count ? model[from + i]
                                 : (struct page_state){ true, model[from].prot, -1, 0, 0, 0 };
    bool outside = result != -1 && (uintptr_t)result >= page_address(WINDOW_PAGES);
    if (!agree(OP_MREMAP, outside ? 1 : result, 1))
        return false;
    tally.moved++;
    model_unmap(from, old_count);
    return check_elsewhere((uintptr_t)result, moved, new_count);
}

/* Linux's rules: never below the start; a grow needs [old end, new end) and one page
 * more free; a shrink unmaps whatever is in [new end, old end), and is refused when
 * nothing is. The result is the new break, or the old one when refused. */
static bool brk_step(void)
{
    /* mostly a few pages around the break; sometimes anywhere, or below the start */
    int around = (int)((model_break - window) / PAGE) + (int)random_below(9) - 4;
    int page = random_below(2) && around >= 0 && around < WINDOW_PAGES - 1
                   ? around
                   : (int)random_below(WINDOW_PAGES - 1);
    uintptr_t request = random_below(16) == 0
                            ? window - PAGE
                            : page_address(page) + (random_below(4) == 0 ? random_below(PAGE) : 0);
    if (request < window)
        snprintf(step_text, sizeof(step_text), "brk(W-1)");
    else
        snprintf(step_text, sizeof(step_text), "brk(W+%lu%s)", (request - window) / PAGE,
                 request % PAGE ? " and a bit" : "");
    announce();
    long result = syscall(SYS_brk, request);
    int old_end = (int)((model_break - window + PAGE - 1) / PAGE);
    int new_end = (int)((request - window + PAGE - 1) / PAGE);
    bool granted;
    if (request < window)
        granted = false;
    else if (new_end == old_end)
        granted = true;
    else if (request < model_break)
        granted = model_any_mapped(new_end, old_end - new_end);
    else
        granted = !model_any_mapped(old_end, new_end - old_end + 1);
    if (!agree(OP_BRK, result, (long)(granted ? request : model_break)))
        return false;
    if (!granted)
        tally.refused[OP_BRK]++;
    if (granted && new_end < old_end)
        model_unmap(new_end, old_end - new_end);
    else if (granted && new_end > old_end)
        model_map(old_end, new_end - old_end, PROT_READ | PROT_WRITE, false);
    if (granted)
        model_break = request;
    return true;
}

/* Give page p a new stamp in the model; return it. */
static uint32_t model_write(int p)
{
    uint32_t stamp = ++next_stamp;
    if (model[p].object >= 0)
        objects[model[p].object].stamp[model[p].index] = stamp;
    else
        model[p].stamp = stamp;
    return stamp;
}

/* Write new contents into the writable pages of a run, by hand. */
static bool write_step(void)
{
    int first, count = random_run_mostly_mapped(&first), written = 0;
    for (int p = first; p < first + count; p++) {
        if (model_writable(&model[p])) {
            fill_page(page_address(p), model_write(p));
            written++;
        }
    }
    snprintf(step_text, sizeof(step_text), "write(W+%d, %d pages): %d written", first, count,
             written);
    announce();
    return agree(OP_WRITE, 0, 0);
}

/* fork: the child checks its copy of the window, writes new contents into a run of
 * writable pages and exits; afterwards only the shared pages show its writes. */
static bool fork_step(void)
{
    int first, count = random_run_mostly_mapped(&first);
    uint32_t stamps[MAX_RUN] = { 0 };
    for (int i = 0; i < count; i++)
        stamps[i] = model_writable(&model[first + i]) ? ++next_stamp : 0;
    snprintf(step_text, sizeof(step_text), "fork, the child writes W+%d, %d pages", first, count);
    announce();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        bool ok = check_window("  the child");
        for (int i = 0; i < count && ok; i++) {
            if (stamps[i] != 0)
                fill_page(page_address(first + i), stamps[i]);
        }
        fflush(stdout);
        _exit(ok ? 0 : CHILD_FOUND_MISMATCH);
    }
    int status = -1;
    if (pid > 0)
        waitpid(pid, &status, 0);
    if (!agree(OP_FORK, pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0))
        return false;
    for (int i = 0; i < count; i++) {
        const struct page_state *s = &model[first + i];
        if (stamps[i] != 0 && s->object >= 0)
            objects[s->object].stamp[s->index] = stamps[i];
    }
    return true;
}

static bool random_step(void)
{
    static const enum op weights[] = {
        OP_MMAP,   OP_MMAP,   OP_MMAP,     OP_MMAP,     OP_MMAP,     OP_MUNMAP,
        OP_MUNMAP, OP_MUNMAP, OP_MPROTECT, OP_MPROTECT, OP_MPROTECT, OP_MREMAP,
        OP_MREMAP, OP_MREMAP, OP_MREMAP,   OP_MADVISE,  OP_MADVISE,  OP_BRK,
        OP_BRK,    OP_BRK,    OP_WRITE,    OP_WRITE,    OP_WRITE,    OP_FORK,
    };
    switch (weights[random_below(sizeof(weights) / sizeof(weights[0]))]) {
    case OP_MMAP: return mmap_step();
    case OP_MUNMAP: return munmap_step();
    case OP_MPROTECT: return mprotect_step();
    case OP_MREMAP: return mremap_step();
    case OP_MADVISE: return madvise_step();
    case OP_BRK: return brk_step();
    case OP_WRITE: return write_step();
    default: return fork_step();
    }
}

/* ---- a run: one seed ---- */

/* Empty the window and put the break back at its start. */
static void reset_window(void)
{
    /* A shrinking brk is refused when nothing is mapped where it shrinks: map a
     * page for it to unmap. */
    mmap((void *)window, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    syscall(SYS_brk, window);
    munmap((void *)window, WINDOW_PAGES * PAGE);
    if ((uintptr_t)syscall(SYS_brk, 0) != window) {
        printf("vmsoak: cannot put the break back at the window's start\n");
        exit(2);
    }
    memset(model, 0, sizeof(model));
    for (int p = 0; p < WINDOW_PAGES; p++)
        model[p].object = -1;
    memset(objects, 0, sizeof(objects));
    model_break = window;
}

static bool run_seed(unsigned long seed, long steps)
{
    reset_window();
    memset(&tally, 0, sizeof(tally));
    random_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (long step = 1; step <= steps; step++) {
        char who[64];
        snprintf(who, sizeof(who), "vmsoak: seed %lu, step %ld", seed, step);
        bool ok = random_step();
        if (!ok)
            printf("%s: the call above disagrees with the model\n", who);
        if (!ok || !check_window(who)) {
            printf("%s: after %s\n", who, step_text);
            printf("replay: vmsoak -v");
            for (int b = 0; b < KNOWN_BUGS; b++) {
                if (generating[b])
                    printf(" --with %s", known_bug_names[b]);
            }
            printf(" --steps %ld %lu\n", step, seed);
            return false;
        }
    }
    printf("vmsoak: seed %lu: %ld steps, every page as the model says after each:", seed, steps);
    for (int op = 0; op < OP_COUNT; op++)
        printf(" %s %ld (%ld refused)%s", op_names[op], tally.done[op], tally.refused[op],
               op + 1 < OP_COUNT ? "," : "");
    printf("; %ld mremaps moved elsewhere\n", tally.moved);
    return true;
}

/* "7" or "1-40" appended to seeds (at most MAX_SEEDS); returns the new count. */
static int add_seeds(const char *word, unsigned long *seeds, int count)
{
    char *end;
    unsigned long first = strtoul(word, &end, 10),
                  last = *end == '-' ? strtoul(end + 1, NULL, 10) : first;
    for (unsigned long seed = first; seed <= last && count < MAX_SEEDS; seed++)
        seeds[count++] = seed;
    return count;
}

int main(int argc, char **argv)
{
    long steps = DEFAULT_STEPS;
    unsigned long seeds[MAX_SEEDS];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[i], "--all") == 0)
            generate_known_bug("all");
        else if (strcmp(argv[i], "--with") == 0 && i + 1 < argc) {
            if (!generate_known_bug(argv[++i])) {
                fprintf(stderr, "vmsoak: no known bug is called %s\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            steps = atol(argv[++i]);
        else
            count = add_seeds(argv[i], seeds, count);
    }
    if (count == 0) {
        seeds[count++] = 1;
        seeds[count++] = 2;
        seeds[count++] = 3;
    }
    window = (uintptr_t)syscall(SYS_brk, 0);
    printf("vmsoak: a window of %d pages at the program break; %ld steps per seed\n", WINDOW_PAGES,
           steps);
    bool all = true;
    for (int i = 0; i < count; i++)
        all = run_seed(seeds[i], steps) && all;
    return all ? 0 : 1;
}
