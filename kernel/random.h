/*
 * random.h — unpredictable-enough bytes (AT_RANDOM for new programs).
 *
 * Not cryptographic: RDRAND when the CPU has it, else a generator seeded from
 * the time-stamp counter. Enough for a C library's stack-protector canary.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>

void random_bytes(void *buf, size_t n);

#endif
