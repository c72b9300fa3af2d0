/*
 * fs_shim.h — the clock the ext2 host tests set (see fs_shim.c).
 */
#ifndef TESTS_HOST_FS_SHIM_H
#define TESTS_HOST_FS_SHIM_H

#include <stdint.h>

/* What clock_realtime_ns() returns. */
extern uint64_t fs_shim_time_ns;

#endif
