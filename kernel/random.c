/*
 * random.c — RDRAND, or xorshift seeded from the TSC.
 */
#include "random.h"

#include <stdbool.h>
#include <stdint.h>

#include "x86.h"
#include "lib/xorshift.h"

#define CPUID1_ECX_RDRAND (1u << 30)

static bool rdrand(uint64_t *value)
{
    unsigned char ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*value), "=qm"(ok));
    return ok;
}

static uint64_t next_value(void)
{
    static uint64_t state;
    uint64_t v;
    if ((cpuid(1, 0).ecx & CPUID1_ECX_RDRAND) && rdrand(&v))
        return v;
    state ^= rdtsc() | 1; /* never 0, and different every call */
    return xorshift64(&state);
}

void random_bytes(void *buf, size_t n)
{
    uint8_t *out = buf;
    while (n > 0) {
        uint64_t v = next_value();
        for (int i = 0; i < 8 && n > 0; i++, n--)
            *out++ = (uint8_t)(v >> (8 * i));
    }
}
