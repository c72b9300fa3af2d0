/*
 * page_cache.h — the one copy in memory of each page of a file (or other object).
 *
 * Each memory object (mm/object.h) keeps the frames holding its pages in a tree
 * by page index. Whoever needs page i -- read(), write(), a fault in a MAP_SHARED
 * or MAP_PRIVATE mapping, execve -- asks here and gets the same frame, so there
 * is never a second copy of a file page. A missing page is read from the object's
 * store (with the next few, read-ahead: a fault that does this is a *major*
 * fault; one served from the cache is minor).
 *
 * References: the cache holds one on each of its frames; each page-table entry
 * mapping it holds another; a caller of page_cache_get holds one until it is done.
 * So a cached frame with refcount 1 is used by nobody: reclaim may drop it (when
 * clean) and read it again later.
 *
 * Dirty pages: write() writes through to the disk at once, so only MAP_SHARED
 * stores make a page dirty. The CPU records them in the page-table entry's D bit;
 * the bit moves to the page (PG_DIRTY) when the entry goes or when write-back
 * collects it through the reverse map (mm/rmap.h), and write-back (msync, fsync,
 * sync, unmount) writes dirty pages to the store.
 */
#ifndef MM_PAGE_CACHE_H
#define MM_PAGE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "pte.h"

struct mem_object;
struct page;

/* struct page's flags for a cached frame. */
#define PG_DIRTY  0x1 /* newer in memory than in the store */
#define PG_LOCKED 0x2 /* being read from the store: wait, then look again */

/* Pages read at once on a miss, when the next ones are missing too (read-ahead). */
#define PAGE_CACHE_READAHEAD 32

/* Read-ahead takes only frames that are free anyway: with this many free or fewer
 * (kswapd's goal, RECLAIM_HIGH_FRAMES), a miss reads its own page alone. Taking
 * more would make reclaim drop pages read ahead before they are used, to read
 * them again: with memory full of a MAP_SHARED store's dirty pages, a 36 MiB file
 * was read 16 times over (Linux's read-ahead never reclaims hard either). */
#define PAGE_CACHE_READAHEAD_FREE 256

/* How to wait for a page being read: mm/ knows no processes, so the scheduler
 * lends its sleep and wakeup (kernel/sched.h), and the interrupt layer says when
 * the code running is an interrupt handler (kernel/irq.h). */
struct page_cache_waiting {
    void (*sleep_on)(const void *channel);
    void (*wakeup)(const void *channel);
    bool (*in_interrupt)(void); /* reclaim never runs in an interrupt handler */
};

/* Register the reclaimer with the frame allocator; learn how to wait. */
void page_cache_init(struct page_cache_waiting how);

/* The frame of page index of o, with a reference for the caller (pmm_unref when
 * done): the cached one, or a new one read from the store with up to
 * PAGE_CACHE_READAHEAD - 1 following missing pages; a page at or past the end
 * of o is simply zeroed, not read. *major (may be NULL) says whether the store
 * was read. 0, -ENOMEM, -EIO (also for a lost page: object_mark_lost). May sleep. */
int page_cache_get(struct mem_object *o, uint64_t index, paddr_t *frame, bool *major);

/* A reference the caller holds on a cached frame (from page_cache_get) is to be
 * kept across a sleep (a copy to the user that may fault): note it, so that the
 * invariant check counts it among the frame's references; page_cache_unpin
 * forgets it and drops the reference. */
void page_cache_pin(paddr_t frame);
void page_cache_unpin(paddr_t frame);

/* The cached frame of page index, without a reference, or PMM_NO_FRAME. */
paddr_t page_cache_peek(struct mem_object *o, uint64_t index);

/* Read into the cache the missing pages of [first, first + count) that lie before
 * the end (MADV_WILLNEED). Stops at the first failure. */
void page_cache_read_ahead(struct mem_object *o, uint64_t first, uint64_t count);

/* Bytes [pos, pos + n) of o were just written to the store from src (write()):
 * copy them into the pages that are cached, and into new pages for whole pages
 * (they read the same as the store now, so they are clean). Grows o->size if the
 * bytes reach past it (the old tail of a cached last page is zeroed first). */
void page_cache_write_through(struct mem_object *o, uint64_t pos, const void *src, uint64_t n);

/* The object is now size bytes long (ftruncate, O_TRUNC). Shrinking removes the
 * pages past the end from every mapping -- private copies too, as on Linux: a
 * later touch is SIGBUS -- and from the cache, and zeroes the tail of the last
 * page; growing zeroes the old tail, so the new bytes read as zeros. */
void page_cache_resize(struct mem_object *o, uint64_t size);

/* Punch a hole in o: pages [first, end) leave every mapping and the cache, and
 * those out in swap let their slots go, so the range reads as zeros again
 * everywhere (MADV_REMOVE on shared anonymous memory, Linux's shmem punch hole).
 * Waits for pages being read or written to swap. May sleep. */
void page_cache_punch_hole(struct mem_object *o, uint64_t first, uint64_t end);

/* Write back the dirty pages of [first, end) of o (MS_SYNC, fsync), collecting the
 * D bits of MAP_SHARED mappings first. 0, or the first error of this or an earlier
 * write-back not reported yet (-EIO, -ENOSPC). A page whose write failed is clean
 * all the same, as on Linux's ext2: its stores are lost once it leaves the cache,
 * and a second call finds nothing to report. May sleep. */
int page_cache_sync(struct mem_object *o, uint64_t first, uint64_t end);

/* What the cache holds and has done (/proc/meminfo and /proc/vmstat show it;
 * gdb: print cache_stats). */
struct page_cache_stats {
    uint64_t cached;         /* frames in the cache now */
    uint64_t dirty;          /* of which dirty */
    uint64_t kept;           /* of which shared anonymous memory (leaves only for swap) */
    uint64_t reads;          /* pages read from the stores, ever */
    uint64_t hits;           /* page_cache_get calls served from the cache */
    uint64_t writebacks;     /* pages written back */
    uint64_t reclaimed;      /* clean pages dropped to free frames */
    uint64_t reclaim_writes; /* of the writebacks, those reclaim made (nr_vmscan_write) */
    uint64_t write_errors;   /* of the writebacks, those that failed: the stores are lost */
};

struct page_cache_stats page_cache_stats(void);

/* madvise(MADV_PAGEOUT) of the cached page at index of o, which the caller's entry
 * maps at frame: if that is the only entry mapping it and nothing else holds it,
 * it leaves now, as Linux 6.1's madvise_cold_or_pageout_pte_range sends it -- a
 * clean file page is dropped (its file has it), a page of shared anonymous memory
 * goes to swap. A dirty file page stays (Linux writes file pages back from kswapd
 * only), and so do locked pages and pages being read. True if it left. May sleep. */
bool page_cache_pageout(struct mem_object *o, uint64_t index, paddr_t frame);

/* Cached pages that some page-table entry maps: program text, mapped files,
 * shared anonymous memory (meminfo's Mapped). A walk of the cache: for /proc. */
uint64_t page_cache_mapped(void);

/* Write back every dirty page of every object (sync, unmount). First error or 0. */
int page_cache_sync_all(void);

/* How far reclaim of mapped pages may go. */
enum page_cache_reach {
    RECLAIM_CLEAN,       /* clean pages only: no write, so no lock of a file system */
    RECLAIM_WRITE_DIRTY, /* and pages stored to through MAP_SHARED: written back first */
    RECLAIM_DIRTY_ONLY,  /* only those (out of memory: the clean ones are program text) */
};

/* Reclaim that may also take pages from the mappings that use them: each is
 * unmapped from every region mapping it (the reverse map), then dropped; a later
 * touch is a major fault again. A page used since the last look stays (its A bits
 * are cleared: a second chance). With RECLAIM_WRITE_DIRTY or RECLAIM_DIRTY_ONLY, a
 * dirty page is written back to its file first (the caller sleeps; Linux's
 * pageout()) and dropped if nobody touched it meanwhile. Writing takes the file
 * system's lock, so only a caller that holds none may ask: kswapd, or a page fault
 * from user mode (Linux, likewise, lets only kswapd write file pages in reclaim).
 * Only at a *safe point*, where no code holds a page-table entry's value or
 * pointer: the start of a page fault, or kswapd. (pmm_alloc's own reclaim, which
 * can run anywhere, drops only unmapped pages.) Returns the frames freed, up to
 * wanted. */
uint64_t page_cache_reclaim_mapped(uint64_t wanted, enum page_cache_reach reach);

/* Drop clean cached pages nobody uses (no mapping, no reader), oldest first, up
 * to wanted: reclaim's cheapest frames (mm/reclaim.c). Returns how many. */
uint64_t page_cache_reclaim_unmapped(uint64_t wanted);

/* Drop every clean cached page nobody uses, of every object (drop_caches: the
 * memory check at the end of a run). Returns how many. */
uint64_t page_cache_drop_unused(void);

/* Forget every page of o, dirty or not (the object is going: an unlinked file's
 * last user left, a shared anonymous region's last mapping went). Pages someone
 * still holds leave the cache and are freed by their last user. */
void page_cache_drop_all(struct mem_object *o);

/* A page-table entry holding a frame is going away (unmap, exit, replace): if
 * the CPU marked it dirty and the frame is cached, the page is dirty now. */
void page_cache_entry_gone(pte_t old);

/* Call visit once for each reference the page cache accounts for: each cached
 * frame's own, and each pinned one (the invariant check counts them). */
void page_cache_for_each(void (*visit)(void *ctx, paddr_t frame), void *ctx);

/* Call visit for each cached frame of o, by index. */
void page_cache_for_each_of(const struct mem_object *o, void (*visit)(void *ctx, paddr_t frame),
                            void *ctx);

/* Check the cache's own bookkeeping: every page on its lists is an allocated user
 * frame, found at its index in its object's tree, and the counts (cached, dirty,
 * kept) agree with what is there. Prints each mismatch (a few); true if none. */
bool page_cache_check(void);

#endif
