/*
 * reclaim.h — freeing frames when memory runs short: main memory as a cache of
 * the disk.
 *
 * Three kinds of pages can give their frame back:
 *   clean file pages    dropped: the file still has them (mm/page_cache.h)
 *   dirty file pages    (stored to through MAP_SHARED) written back, then dropped
 *   anonymous pages     written to a swap slot first (mm/swap.h), every entry
 *                       mapping them rewritten to name the slot (mm/anon_rmap.h)
 *   swap-cache copies   dropped: the slot has the same bytes
 * The policy in force (mm/replace.h) picks which anonymous page goes.
 *
 * Reclaim runs
 *   - in kswapd, a kernel thread woken when free frames fall below
 *     RECLAIM_LOW_FRAMES, until there are RECLAIM_HIGH_FRAMES free again (only
 *     with swap: without it, a fault's own reclaim does the little there is);
 *   - directly, in a page fault that found no free frame: it reclaims, then
 *     tries again; the out-of-memory killer acts only if nothing could be freed
 *     (no swap, or swap full).
 * Either way it may sleep (writing pages) and must run where nobody holds a
 * page-table entry's address: a kernel thread, or the start of a fault.
 */
#ifndef MM_RECLAIM_H
#define MM_RECLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct page;

#define RECLAIM_MIN_FRAMES   128 /* below this, faults reclaim directly before allocating */
#define RECLAIM_LOW_FRAMES   192 /* below this, kswapd is woken */
#define RECLAIM_HIGH_FRAMES  256 /* kswapd stops when this many are free */
#define RECLAIM_DIRECT_BATCH 32  /* frames a fault frees below RECLAIM_MIN_FRAMES */
#define KSWAPD_BATCH         32  /* frames kswapd frees between looks at the watermark */
/* File pages reclaim leaves in memory even when programs map them: the text of the
 * programs running. Without swap, when processes hold all memory but a few frames
 * under RECLAIM_MIN_FRAMES, a program's own text is all a fault's reclaim can take;
 * each page taken comes back at its next fault, which takes another -- hundreds of
 * faults a second and no progress, and since no frame is ever short, no process is
 * ever killed (Linux's le9 patch and MGLRU's min_ttl_ms guard the same working set).
 * With the floor, the running program keeps its text, and a real shortage ends
 * where it should: a fault finds no frame, and the out-of-memory killer acts. */
#define RECLAIM_FILE_FLOOR 64

/* What reclaim needs from the kernel above it: the scheduler's sleep and wakeup,
 * and a way to start kswapd (a kernel thread running reclaim_daemon), which is
 * started the first time it is needed. */
struct reclaim_hooks {
    void (*sleep_on)(const void *channel);
    void (*wakeup)(const void *channel);
    bool (*start_daemon)(void); /* false if it could not be started (yet) */
};
void reclaim_init(struct reclaim_hooks hooks);

/* What kswapd sleeps on while there is nothing to do: the kernel stops it there
 * at the end of a run. */
const void *reclaim_daemon_channel(void);

/* Free up to wanted frames: clean file pages, then anonymous pages to swap, then
 * file pages programs map; with may_write_files also those stored to through
 * MAP_SHARED, written back to their file first. Writing a file takes its file
 * system's lock: only a caller that holds no lock may (kswapd, a fault from user
 * mode). Returns how many were freed. May sleep; only where reclaim may run (above). */
uint64_t reclaim_pages(uint64_t wanted, bool may_write_files);

/* Free up to wanted frames by writing back file pages stored to through MAP_SHARED
 * and dropping them (a fault from user mode out of memory: the dirty pages of a
 * file are the memory it can get back without swap). May sleep. */
uint64_t reclaim_dirty_file_pages(uint64_t wanted);

/* Free up to wanted frames by swapping anonymous pages out only (a fault out of
 * memory: taking file pages its program needs again at once would only postpone
 * the out-of-memory kill, one disk read at a time). 0 without swap. May sleep. */
uint64_t reclaim_anon_pages(uint64_t wanted);

/* What became of a page reclaim tried to swap out. */
enum swap_out_result {
    SWAP_OUT_FREED,   /* written (or already on swap), unmapped everywhere, frame free */
    SWAP_OUT_KEPT,    /* not now: in use by the kernel, under I/O, mapped again at once,
                         or its write failed (it stays, the only copy) */
    SWAP_OUT_NO_SLOT, /* no free slot: no swap, or swap is full */
};

/* Take page (an anonymous frame on a resident set) from every process mapping it:
 * write it to swap and free it. May sleep. */
enum swap_out_result reclaim_swap_out(struct page *page);

/* A page fault is about to allocate: wake kswapd if memory is getting short, and
 * reclaim directly if it is very short (writing file pages back only if
 * may_write_files: the fault came from user mode, so the kernel holds no lock). */
void reclaim_before_fault(bool may_write_files);

/* kswapd's body: sleeps until woken, reclaims, sleeps again. Never returns. */
void reclaim_daemon(void) __attribute__((noreturn));

/* Wait until the swap I/O on frame (PG_SWAP_IO) is over; wake those waiting
 * when it is. */
void reclaim_wait_swap_io(paddr_t frame);
void reclaim_wake_swap_io(paddr_t frame);

/* swapoff: bring every swapped-out page back and drop the swap cache; a page
 * whose slot cannot be read becomes a lost page (mm/pte.h: SIGBUS on a touch).
 * 0, or -ENOMEM if memory ran out first (what was brought in stays in). */
int swap_unuse_all(void);

/* What reclaim has done (/proc/vmstat: pgscan, pgsteal, kswapd wakeups). */
struct reclaim_stats {
    uint64_t scanned;        /* pages the policy looked at */
    uint64_t stolen;         /* pages whose frames reclaim freed */
    uint64_t kswapd_wakeups; /* times kswapd was woken */
    uint64_t direct;         /* direct reclaims (in a fault) */
    uint64_t refaults;       /* swap-ins of pages reclaim had taken (workingset_refault) */
};
struct reclaim_stats reclaim_stats(void);

#endif
