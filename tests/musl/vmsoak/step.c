/*
 * step.c — what every step shares: random runs of pages, announcing a step, and
 * comparing a call's result with the model's.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "soak.h"

const char *const op_names[OP_COUNT] = { "mmap",    "munmap", "mprotect", "mremap",
                                         "madvise", "brk",    "write",    "fork" };
bool verbose;
char step_text[200];
struct tally tally;

const char *prot_name(int prot)
{
    static const char *const names[] = { "PROT_NONE", "PROT_READ", "PROT_WRITE",
                                         "PROT_READ|PROT_WRITE" };
    return names[prot & 3];
}

/* Pick a protection, in the proportions a program uses them. */
int random_prot(void)
{
    static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
                                 PROT_READ | PROT_WRITE, PROT_WRITE };
    int prot = prots[random_below(sizeof(prots) / sizeof(prots[0]))];
    return prot;
}

/* A run of pages inside the window: *first and 1..MAX_RUN pages that fit. */
int random_run(int *first)
{
    *first = (int)random_below(WINDOW_PAGES);
    int count = 1 + (int)random_below(MAX_RUN);
    return *first + count > WINDOW_PAGES ? WINDOW_PAGES - *first : count;
}

/* A page, mapped three times in four when there is one (calls on holes mostly fail). */
int random_page_mostly_mapped(void)
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
int random_run_mostly_mapped(int *first)
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
void announce(void)
{
    if (verbose) {
        printf("  %s", step_text);
        fflush(stdout);
    }
}

/* The call returned `result` (with errno); the model expects `expected` (-errno for an
 * error, else the value). */
bool agree(enum op op, long result, long expected)
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
bool check_elsewhere(uintptr_t at, const struct page_state *states, int n)
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
