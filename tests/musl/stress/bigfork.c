/*
 * bigfork.c — copy-on-write of a big region across many forks (OS/161's bigfork,
 * in our words).
 *
 *   stress bigfork [MIB [CHILDREN [ROUNDS]]]     default 24 MiB, 6 children, 3 rounds
 *
 * The parent fills a region with a pattern, then in each round forks CHILDREN
 * children at once. The region is cut into CHILDREN + 1 slices: slice c belongs to
 * child c, the last to the parent. After forking, the parent rewrites its slice;
 * the children, released only then, must still see what was there at fork time.
 * Each child rewrites its own slice, forks a grandchild that sees the child's
 * values and rewrites the slice once more, and checks after the grandchild exits
 * that its own values are still there. At the end of the round the parent checks
 * every word: the children's slices still hold the parent's pattern, its own slice
 * its new values. Every write to a shared page must copy it, for the writer alone,
 * whether the page is in memory or on the swap disk at that moment.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stress.h"

#define BIGFORK_DEFAULT_MIB      24
#define BIGFORK_MAX_MIB          512
#define BIGFORK_DEFAULT_CHILDREN 6
#define BIGFORK_MAX_CHILDREN     32
#define BIGFORK_DEFAULT_ROUNDS   3
#define BIGFORK_MAX_ROUNDS       100

/* Who wrote a word last: its "generation". */
#define GEN_ORIGINAL   0
#define GEN_CHILD      1   /* + the child's number */
#define GEN_GRANDCHILD 100 /* + the child's number */
#define GEN_PARENT     200 /* + the round */

struct region {
    uint64_t *words;
    size_t pages, slice_pages; /* the parent's slice runs to the end */
    unsigned long children;
};

/* The first page of slice S and the page after its last. */
static size_t slice_start(const struct region *r, unsigned long s)
{
    return s * r->slice_pages;
}

static size_t slice_end(const struct region *r, unsigned long s)
{
    return s == r->children ? r->pages : (s + 1) * r->slice_pages;
}

/* Writes generation GEN into every word of slice S. */
static void write_slice(struct region *r, unsigned long s, uint64_t gen)
{
    for (size_t p = slice_start(r, s); p < slice_end(r, s); p++)
        for (size_t w = 0; w < WORDS_PER_PAGE; w++)
            r->words[p * WORDS_PER_PAGE + w] = page_pattern(gen, p, w);
}

/* Checks slice S holds generation GEN: every word if ALL, else three per page
 * (the first, the last and one that moves with the page). */
static void check_slice(const struct region *r, unsigned long s, uint64_t gen, bool all,
                        const char *who)
{
    for (size_t p = slice_start(r, s); p < slice_end(r, s); p++)
        for (size_t w = 0; w < WORDS_PER_PAGE; w++) {
            if (!all && w != 0 && w != WORDS_PER_PAGE - 1 && w != p % WORDS_PER_PAGE)
                continue;
            uint64_t got = r->words[p * WORDS_PER_PAGE + w];
            if (!check(got == page_pattern(gen, p, w),
                       "%s: slice %lu page %zu word %zu: %#llx, not "
                       "generation %llu's %#llx",
                       who, s, p, w, (unsigned long long)got, (unsigned long long)gen,
                       (unsigned long long)page_pattern(gen, p, w)))
                return; /* one line per slice is enough */
        }
}

/* The grandchild of child C: sees the child's values, writes its own. */
static void grandchild(struct region *r, unsigned long c)
{
    check_slice(r, c, GEN_CHILD + c, false, "grandchild before writing");
    write_slice(r, c, GEN_GRANDCHILD + c);
    check_slice(r, c, GEN_GRANDCHILD + c, true, "grandchild after writing");
    _exit(failures() == 0 ? 0 : 1);
}

/* Child C of round ROUND, released by a byte on GO once the parent has written
 * its slice: the region as at fork time, its own slice, a grandchild. */
static void child(struct region *r, unsigned long c, unsigned long round, int go)
{
    char byte;
    check(read(go, &byte, 1) == 1, "child %lu: no go: %s", c, strerror(errno));
    uint64_t parent_gen = round == 0 ? GEN_ORIGINAL : GEN_PARENT + round - 1;
    for (unsigned long s = 0; s < r->children; s++)
        check_slice(r, s, GEN_ORIGINAL, false, "child at start");
    check_slice(r, r->children, parent_gen, false, "child, the parent's slice");
    write_slice(r, c, GEN_CHILD + c);
    int pid = fork();
    if (pid == 0)
        grandchild(r, c);
    if (check(pid > 0, "child %lu: fork: %s", c, strerror(errno)))
        child_passed(pid, "a grandchild");
    check_slice(r, c, GEN_CHILD + c, true, "child after its grandchild");
    for (unsigned long s = 0; s < r->children; s++)
        if (s != c)
            check_slice(r, s, GEN_ORIGINAL, false, "child at end");
    _exit(failures() == 0 ? 0 : 1);
}

/* One round: fork the children, rewrite the parent's slice, release them, reap,
 * check every word. */
static void round_of_forks(struct region *r, unsigned long round)
{
    int go[2], pids[BIGFORK_MAX_CHILDREN];
    if (!check(pipe(go) == 0, "pipe: %s", strerror(errno)))
        return;
    for (unsigned long c = 0; c < r->children; c++) {
        pids[c] = fork();
        if (pids[c] == 0) {
            close(go[1]);
            child(r, c, round, go[0]);
        }
        check(pids[c] > 0, "fork of child %lu: %s", c, strerror(errno));
    }
    write_slice(r, r->children, GEN_PARENT + round);
    for (unsigned long c = 0; c < r->children; c++)
        check(write(go[1], "g", 1) == 1, "go: %s", strerror(errno));
    close(go[0]);
    close(go[1]);
    unsigned long passed = 0;
    for (unsigned long c = 0; c < r->children; c++)
        passed += pids[c] > 0 && child_passed(pids[c], "a child");
    for (unsigned long s = 0; s < r->children; s++)
        check_slice(r, s, GEN_ORIGINAL, true, "parent");
    check_slice(r, r->children, GEN_PARENT + round, true, "parent, its own slice");
    printf("bigfork: round %lu: %lu of %lu children (and grandchildren) passed; the parent's "
           "region: %s\n",
           round + 1, passed, r->children, failures() == 0 ? "right" : "WRONG");
}

/* stress bigfork [MIB [CHILDREN [ROUNDS]]] */
int bigfork_main(int argc, char **argv)
{
    unsigned long mib, rounds;
    struct region r;
    const char *usage = "stress bigfork [MIB [CHILDREN [ROUNDS]]]";
    if (!number_argument(argc, argv, 1, 1, BIGFORK_MAX_MIB, BIGFORK_DEFAULT_MIB, &mib, usage) ||
        !number_argument(argc, argv, 2, 1, BIGFORK_MAX_CHILDREN, BIGFORK_DEFAULT_CHILDREN,
                         &r.children, usage) ||
        !number_argument(argc, argv, 3, 1, BIGFORK_MAX_ROUNDS, BIGFORK_DEFAULT_ROUNDS, &rounds,
                         usage))
        return 0;
    r.pages = mib * MIB / PAGE_SIZE;
    r.slice_pages = r.pages / (r.children + 1);
    r.words = map_anonymous(mib * MIB);
    if (!r.words)
        return verdict("bigfork");
    for (unsigned long s = 0; s <= r.children; s++)
        write_slice(&r, s, GEN_ORIGINAL);
    printf("bigfork: %lu MiB in %lu slices of %zu pages; %lu rounds of %lu children\n", mib,
           r.children + 1, r.slice_pages, rounds, r.children);
    for (unsigned long round = 0; round < rounds && failures() == 0; round++)
        round_of_forks(&r, round);
    return verdict("bigfork");
}
