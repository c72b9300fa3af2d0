/*
 * sys_sysinfo.c — sysinfo: the uptime, the memory and the number of processes,
 * in Linux's struct sysinfo (what `free` and `uptime` read when there is no /proc).
 */
#include "clock.h"
#include "cpu.h"
#include "errno.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/uaccess.h"
#include "proc.h"
#include "syscall.h"

#define NS_PER_SEC 1000000000ul

/* Linux's x86-64 struct sysinfo (112 bytes). With 64-bit fields every amount
 * fits in bytes, so mem_unit is 1, as Linux reports it on 64-bit machines. */
struct linux_sysinfo {
    int64_t uptime;    /* seconds since boot, rounded up */
    uint64_t loads[3]; /* load averages of 1, 5 and 15 minutes, times 65536: not kept */
    uint64_t totalram, freeram, sharedram, bufferram;
    uint64_t totalswap, freeswap;
    uint16_t procs; /* processes (Linux: threads) */
    uint16_t pad;
    uint64_t totalhigh, freehigh; /* no high memory on 64-bit */
    uint32_t mem_unit;
    char reserved[4];
};

_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo is 112 bytes on x86-64");

/* Processes that exist now, zombies included, the idle process not. */
static uint16_t count_processes(void)
{
    uint16_t n = 0;
    for (int i = 1; i < MAX_PROCS; i++)
        n += proc_at(i) != NULL;
    return n;
}

long sys_sysinfo(struct syscall_args a)
{
    uint64_t now = clock_monotonic_ns();
    struct pmm_stats frames = pmm_stats();
    struct swap_stats swap = swap_stats(); /* busybox free's "Swap:" line */
    struct linux_sysinfo info = {
        .uptime = (int64_t)(now / NS_PER_SEC + (now % NS_PER_SEC != 0)),
        .totalram = frames.total * PAGE_SIZE,
        .freeram = frames.free * PAGE_SIZE,
        .totalswap = swap.slots * PAGE_SIZE,
        .freeswap = (swap.slots - swap.used) * PAGE_SIZE,
        .procs = count_processes(),
        .mem_unit = 1,
    };
    return copy_to_user(a.arg[0], &info, sizeof info) == 0 ? 0 : -EFAULT;
}
