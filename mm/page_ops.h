/*
 * page_ops.h — zeroing and copying whole 4 KiB pages, fast.
 *
 * lib/string.c's memset and memcpy go a byte at a time, to be obviously right.
 * Pages are where the kernel spends its time (every demand-zero fault zeroes one,
 * every copy-on-write copies one), so they get the CPU's string instructions,
 * 8 bytes per step: `rep stosq` stores RAX to [RDI] RCX times, `rep movsq` copies
 * RCX quadwords from [RSI] to [RDI]. (QEMU's emulation runs these much faster than
 * byte loops or `rep stosb`, as real CPUs do too.)
 */
#ifndef MM_PAGE_OPS_H
#define MM_PAGE_OPS_H

#include "addr.h"

static inline void zero_page(void *page)
{
    uint64_t count = PAGE_SIZE / 8;
    __asm__ volatile("rep stosq" : "+D"(page), "+c"(count) : "a"(0ul) : "memory");
}

static inline void copy_page(void *dst, const void *src)
{
    uint64_t count = PAGE_SIZE / 8;
    __asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
}

#endif
