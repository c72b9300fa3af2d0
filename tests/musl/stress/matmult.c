/*
 * matmult.c — a matrix product with a known answer (OS/161's matmult, in our words).
 *
 *   stress matmult [N [K]]     C (N x N) = A (N x K) times B (K x N); default 2048 x 8
 *
 * The entries are simple polynomials, A[i][k] = i + k + s and B[k][j] = j + 2k + 1,
 * so each C[i][j] and the sum of all of C have closed forms (below) that need no
 * matrix at all. C is the big one (N * N * 8 bytes: 32 MiB by default, a little
 * more than a 32 MiB machine has free), written row by row while A's row and
 * B's columns are read, then read back row by row: every entry is checked against
 * its formula and the sum against the formula for the sum, which is printed, like
 * OS/161's known answer.
 */
#include <stdio.h>
#include <sys/mman.h>

#include "stress.h"

#define MATMULT_DEFAULT_N 2048
#define MATMULT_DEFAULT_K 8
#define MATMULT_MAX_N     8192
#define MATMULT_MAX_K     64

/* The matrices' entries; S (the seed) makes each parallelvm job's A different. */
static uint64_t a_entry(uint64_t i, uint64_t k, uint64_t s)
{
    return i + k + s;
}

static uint64_t b_entry(uint64_t k, uint64_t j)
{
    return j + 2 * k + 1;
}

/* Sums over k = 0..K-1 of k and of k*k. */
static uint64_t sum_k(uint64_t k)
{
    return k * (k - 1) / 2;
}

static uint64_t sum_k_squared(uint64_t k)
{
    return (k - 1) * k * (2 * k - 1) / 6;
}

/* C[i][j] = sum over k of (i + s + k)(j + 1 + 2k)
 *         = K(i+s)(j+1) + 2(i+s) S1 + (j+1) S1 + 2 S2, with S1 = sum k, S2 = sum k^2. */
static uint64_t c_entry_expected(uint64_t i, uint64_t j, uint64_t k, uint64_t s)
{
    uint64_t a = i + s, b = j + 1;
    return k * a * b + 2 * a * sum_k(k) + b * sum_k(k) + 2 * sum_k_squared(k);
}

/* The sum of all of C: the same terms summed over i and j, with
 * SA = sum of (i+s) = N(N-1)/2 + N s and SB = sum of (j+1) = N(N+1)/2. */
uint64_t matmult_expected_sum(uint64_t n, uint64_t k, uint64_t s)
{
    uint64_t sa = n * (n - 1) / 2 + n * s, sb = n * (n + 1) / 2;
    return k * sa * sb + 2 * sum_k(k) * sa * n + sum_k(k) * sb * n + 2 * sum_k_squared(k) * n * n;
}

/* Fills A (N x K) and B (K x N). */
static void fill_inputs(uint64_t *a, uint64_t *b, uint64_t n, uint64_t k, uint64_t s)
{
    for (uint64_t i = 0; i < n; i++)
        for (uint64_t x = 0; x < k; x++)
            a[i * k + x] = a_entry(i, x, s);
    for (uint64_t x = 0; x < k; x++)
        for (uint64_t j = 0; j < n; j++)
            b[x * n + j] = b_entry(x, j);
}

/* C = A B, the textbook triple loop: row i of C from row i of A and B's columns. */
static void multiply(const uint64_t *a, const uint64_t *b, uint64_t *c, uint64_t n, uint64_t k)
{
    for (uint64_t i = 0; i < n; i++)
        for (uint64_t j = 0; j < n; j++) {
            uint64_t total = 0;
            for (uint64_t x = 0; x < k; x++)
                total += a[i * k + x] * b[x * n + j];
            c[i * n + j] = total;
        }
}

/* Reads C back row by row: each entry against its formula; returns the sum. */
static uint64_t check_product(const uint64_t *c, uint64_t n, uint64_t k, uint64_t s)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < n; i++)
        for (uint64_t j = 0; j < n; j++) {
            uint64_t want = c_entry_expected(i, j, k, s);
            check(c[i * n + j] == want, "C[%llu][%llu] is %llu, expected %llu",
                  (unsigned long long)i, (unsigned long long)j, (unsigned long long)c[i * n + j],
                  (unsigned long long)want);
            sum += c[i * n + j];
        }
    return sum;
}

/* One whole job in fresh memory; the sum of C (checked), the memory given back. */
uint64_t matmult_job(unsigned long n, unsigned long k, uint64_t seed)
{
    size_t a_bytes = n * k * sizeof(uint64_t), c_bytes = n * n * sizeof(uint64_t);
    uint64_t *a = map_anonymous(a_bytes), *b = map_anonymous(a_bytes);
    uint64_t *c = map_anonymous(c_bytes);
    if (!a || !b || !c)
        return 0;
    fill_inputs(a, b, n, k, seed);
    multiply(a, b, c, n, k);
    uint64_t sum = check_product(c, n, k, seed);
    check(sum == matmult_expected_sum(n, k, seed), "sum of C is %llu, expected %llu",
          (unsigned long long)sum, (unsigned long long)matmult_expected_sum(n, k, seed));
    munmap(a, a_bytes);
    munmap(b, a_bytes);
    munmap(c, c_bytes);
    return sum;
}

/* stress matmult [N [K]] */
int matmult_main(int argc, char **argv)
{
    unsigned long n, k;
    const char *usage = "stress matmult [N [K]]";
    if (!number_argument(argc, argv, 1, 1, MATMULT_MAX_N, MATMULT_DEFAULT_N, &n, usage) ||
        !number_argument(argc, argv, 2, 1, MATMULT_MAX_K, MATMULT_DEFAULT_K, &k, usage))
        return 0;
    printf("matmult: C (%lu x %lu, %lu MiB) = A (%lu x %lu) times B (%lu x %lu)\n", n, n,
           n * n * 8 / MIB, n, k, k, n);
    uint64_t sum = matmult_job(n, k, 0);
    printf("matmult: sum of C = %llu (expected %llu)\n", (unsigned long long)sum,
           (unsigned long long)matmult_expected_sum(n, k, 0));
    return verdict("matmult");
}
