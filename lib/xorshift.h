/*
 * xorshift.h — a small pseudo-random generator whose sequence is the same on
 * every run (Marsaglia's xorshift64): for tests and workloads that must
 * reproduce. Not for anything that must be unpredictable (kernel/random.c mixes
 * in the CPU's RDRAND or the TSC for that).
 *
 *   uint64_t state = seed;            (any value but 0)
 *   uint64_t r = xorshift64(&state);  (the next number; state advances)
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

#endif
