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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "soak.h"

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

uint64_t random_state;

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
