/*
 * sort.c — sorts an array larger than memory (OS/161's sort, in our words).
 *
 *   stress sort [MIB]      MIB of 32-bit numbers (default 48)
 *
 * The numbers come from xorshift64 with a fixed seed, so every run sorts the same
 * array. Two sums taken before sorting (of the numbers, and of a mix of each) must
 * come out the same after it: the sort may only move numbers, never lose or change
 * one, which is what a page that comes back from the swap disk wrong would do.
 * Quicksort partitions sweep the array from both ends, so the pages it touches
 * move through memory in long runs: a friendly pattern for the replacement policy,
 * unlike ctest's.
 */
#include <stdio.h>

#include "stress.h"

#define SORT_DEFAULT_MIB 48
#define SORT_MAX_MIB     512
#define SORT_SEED        0x5eed5eedULL
#define SMALL_RANGE      16 /* ranges this short: insertion sort */
#define STACK_DEPTH      64 /* the smaller side first: log2(n) ranges at most */

struct sums {
    uint64_t plain, mixed;
};

/* The two order-independent sums of the N numbers. */
static struct sums sums_of(const uint32_t *v, size_t n)
{
    struct sums s = { 0, 0 };
    for (size_t i = 0; i < n; i++) {
        s.plain += v[i];
        s.mixed += mix64(v[i]);
    }
    return s;
}

/* Insertion sort of v[lo..hi]. */
static void insertion_sort(uint32_t *v, size_t lo, size_t hi)
{
    for (size_t i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j > lo && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* The median of the first, middle and last numbers of v[lo..hi]: a pivot that
 * keeps sorted and reversed runs from making quicksort quadratic. */
static uint32_t median_of_three(const uint32_t *v, size_t lo, size_t hi)
{
    uint32_t a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    return c < a ? a : c > b ? b : c;
}

/* Hoare's partition of v[lo..hi] around PIVOT: returns p with every number of
 * v[lo..p] <= pivot <= every number of v[p+1..hi], lo <= p < hi. */
static size_t partition(uint32_t *v, size_t lo, size_t hi, uint32_t pivot)
{
    size_t i = lo - 1, j = hi + 1;
    for (;;) {
        do
            i++;
        while (v[i] < pivot);
        do
            j--;
        while (v[j] > pivot);
        if (i >= j)
            return j;
        uint32_t t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* Quicksort of v[0..n-1] with a stack of ranges instead of recursion. */
static void quicksort(uint32_t *v, size_t n)
{
    size_t stack[STACK_DEPTH][2], depth = 0, lo = 0, hi = n - 1;
    for (;;) {
        while (hi > lo && hi - lo >= SMALL_RANGE) {
            size_t p = partition(v, lo, hi, median_of_three(v, lo, hi));
            /* push the larger side, go on with the smaller: the stack stays short */
            if (p - lo > hi - p - 1) {
                stack[depth][0] = lo, stack[depth][1] = p, depth++;
                lo = p + 1;
            } else {
                stack[depth][0] = p + 1, stack[depth][1] = hi, depth++;
                hi = p;
            }
        }
        if (hi > lo)
            insertion_sort(v, lo, hi);
        if (depth == 0)
            return;
        depth--;
        lo = stack[depth][0], hi = stack[depth][1];
    }
}

/* Counts the places where a number is smaller than the one before it. */
static size_t descents(const uint32_t *v, size_t n)
{
    size_t count = 0;
    for (size_t i = 1; i < n; i++)
        count += v[i] < v[i - 1];
    return count;
}

/* stress sort [MIB] */
int sort_main(int argc, char **argv)
{
    unsigned long mib;
    if (!number_argument(argc, argv, 1, 1, SORT_MAX_MIB, SORT_DEFAULT_MIB, &mib,
                         "stress sort [MIB]"))
        return 0;
    size_t n = mib * MIB / sizeof(uint32_t);
    uint32_t *v = map_anonymous(n * sizeof(uint32_t));
    if (!v)
        return verdict("sort");
    uint64_t state = SORT_SEED;
    for (size_t i = 0; i < n; i++)
        v[i] = (uint32_t)(next_random(&state) >> 32);
    struct sums before = sums_of(v, n);
    printf("sort: %zu numbers (%lu MiB), seed %#llx\n", n, mib, (unsigned long long)SORT_SEED);
    quicksort(v, n);
    size_t out_of_order = descents(v, n);
    check(out_of_order == 0, "%zu numbers are smaller than the one before", out_of_order);
    struct sums after = sums_of(v, n);
    check(after.plain == before.plain && after.mixed == before.mixed,
          "the sums changed: %#llx %#llx before, %#llx %#llx after",
          (unsigned long long)before.plain, (unsigned long long)before.mixed,
          (unsigned long long)after.plain, (unsigned long long)after.mixed);
    printf("sort: in order: %s; the same numbers: %s\n", out_of_order == 0 ? "yes" : "no",
           after.plain == before.plain && after.mixed == before.mixed ? "yes" : "no");
    printf("sort: smallest %u, median %u, largest %u\n", v[0], v[n / 2], v[n - 1]);
    return verdict("sort");
}
