/*
 * xorshift.h — a small pseudo-random generator whose sequence is the same on
 * every run (Marsaglia's xorshift64): for tests and workloads that must
 * reproduce. Not for anything that must be unpredictable (kernel/random.c mixes
 * in the CPU's RDRAND or the TSC for that).
 *
 *   uint64_t state = seed;            (any value but 0)
 *   uint64_t r = xorshift64(&state);  (the next number; state advances)
 *
 * xorshift64star scrambles each number with a multiplication on the way out
 * (Vigna's xorshift64*): the low bits are as random as the high ones, which a
 * fuzzer taking `r % n` of small n wants.
 */
#ifndef LIB_XORSHIFT_H
#define LIB_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static inline uint64_t xorshift64star(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dull;
}

#endif
