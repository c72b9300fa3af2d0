/*
 * ctest.c — a linked list chased across many pages (OS/161's ctest, in our words).
 *
 *   stress ctest [MIB]     MIB of list nodes, two per page (default 40)
 *
 * Node i points to node (i + STEP) mod N, with STEP about 0.62 N and no common
 * factor with N, so following the pointers from node 0 visits every node exactly
 * once before coming back to NULL, and two nodes in a row are never close: almost
 * every step lands on another page, usually one far from the last. That is the
 * opposite of sort's pattern, and the worst case for a memory smaller than the
 * list: nearly every step is a page fault, and with swap a disk read. The list is
 * built in address order (a friendly pass); the chase checks each node's place and
 * its stamp, and counts the nodes.
 */
#include <stdio.h>

#include "stress.h"

#define CTEST_DEFAULT_MIB 40
#define CTEST_MAX_MIB     512
#define NODE_SIZE         (PAGE_SIZE / 2)
#define CHASES            2

struct node {
    struct node *next;
    uint64_t index; /* the node's own number, 0..N-1 */
    uint64_t stamp; /* mix64(index): a node that moved or was zeroed shows */
    uint64_t filler[NODE_SIZE / sizeof(uint64_t) - 3]; /* stamp + 1, + 2...: checked too */
};

/* Euclid's greatest common divisor. */
static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The step: near the golden section of N (consecutive nodes far apart) and
 * coprime with N (one cycle through all nodes). */
static size_t step_for(size_t n)
{
    size_t step = n * 618 / 1000 + 1;
    while (gcd(step, n) != 1)
        step++;
    return step;
}

/* Links node i to node (i + STEP) mod N, the last of the cycle to NULL. */
static void build(struct node *nodes, size_t n, size_t step)
{
    for (size_t i = 0; i < n; i++) {
        size_t next = (i + step) % n;
        nodes[i].next = next == 0 ? NULL : &nodes[next];
        nodes[i].index = i;
        nodes[i].stamp = mix64(i);
        for (size_t w = 0; w < sizeof nodes[i].filler / sizeof(uint64_t); w++)
            nodes[i].filler[w] = nodes[i].stamp + w + 1;
    }
}

/* Does every word of node P's filler hold its value? */
static bool filler_right(const struct node *p)
{
    for (size_t w = 0; w < sizeof p->filler / sizeof(uint64_t); w++)
        if (p->filler[w] != p->stamp + w + 1)
            return false;
    return true;
}

/* Follows the list from node 0; checks each node is the one expected in that
 * place, every word of it; returns how many nodes it met. */
static size_t chase(struct node *nodes, size_t n, size_t step)
{
    size_t count = 0, want = 0;
    for (struct node *p = nodes; p && count <= n; p = p->next, count++) {
        check(p == &nodes[want] && p->index == want && p->stamp == mix64(want) && filler_right(p),
              "step %zu: node %zd (index %llu) where node %zu belongs, or its words changed", count,
              p - nodes, (unsigned long long)p->index, want);
        want = (want + step) % n;
    }
    return count;
}

/* stress ctest [MIB] */
int ctest_main(int argc, char **argv)
{
    unsigned long mib;
    if (!number_argument(argc, argv, 1, 1, CTEST_MAX_MIB, CTEST_DEFAULT_MIB, &mib,
                         "stress ctest [MIB]"))
        return 0;
    size_t n = mib * MIB / sizeof(struct node), step = step_for(n);
    struct node *nodes = map_anonymous(n * sizeof(struct node));
    if (!nodes)
        return verdict("ctest");
    build(nodes, n, step);
    printf("ctest: %zu nodes of %lu bytes (%lu MiB), node i links to i + %zu\n", n,
           (unsigned long)NODE_SIZE, mib, step);
    for (int round = 1; round <= CHASES; round++) {
        size_t count = chase(nodes, n, step);
        check(count == n, "chase %d met %zu nodes, not %zu", round, count, n);
        printf("ctest: chase %d: %zu nodes, each in its place: %s\n", round, count,
               count == n && failures() == 0 ? "yes" : "no");
    }
    return verdict("ctest");
}
