/*
 * fs_shim.c — what the file-system code (kernel/fs/) calls besides the block
 * device, for the host tests of ext2: the kernel heap (the C library's, so ASan
 * sees every overrun) and the real-time clock (a fixed, settable time, so
 * timestamps are known exactly).
 */
#include <stdlib.h>

#include "kernel/clock.h"
#include "mm/kheap.h"
#include "tests/host/fs_shim.h"

uint64_t fs_shim_time_ns = 1700000000ull * 1000000000ull; /* 2023-11-14 */

void *kmalloc(size_t size)
{
    return malloc(size);
}

void *kzalloc(size_t size)
{
    return calloc(1, size);
}

void kfree(void *ptr)
{
    free(ptr);
}

uint64_t clock_realtime_ns(void)
{
    return fs_shim_time_ns;
}
