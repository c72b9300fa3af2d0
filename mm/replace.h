/*
 * replace.h — page-replacement policies: which resident page to take next.
 *
 * When memory must be freed, reclaim asks the policy for a victim on a resident
 * set (mm/resident.h: the pages in a circle, in load order, and a hand). Each
 * policy is one small file:
 *
 *   fifo    the page loaded longest ago: the one at the hand        replace_fifo.c
 *   clock   second chance: a page used since the hand last passed    replace_clock.c
 *           (an accessed bit set in an entry mapping it) has the bit
 *           cleared and is passed over; the first page not used is taken
 *   aging   NFU with aging: an 8-bit history of the A bit per page,    replace_aging.c
 *           the smallest (least recently used, roughly) is taken
 *   wsclock Clock with a working-set window tau: the first page         replace_wsclock.c
 *           unused for longer than tau is taken
 *
 * "Used" is the CPU's A bit, set in the page-table entry on every access; the
 * reverse map (mm/anon_rmap.h) finds every entry of a page. The policy in force
 * can be changed at run time (replace_select); the next choice uses the new one.
 */
#ifndef MM_REPLACE_H
#define MM_REPLACE_H

#include <stdbool.h>
#include <stdint.h>

struct page;
struct resident_set;

struct replacement_policy {
    const char *name;
    /* The page to take next from set, left at the hand (aging: anywhere, the hand
     * staying at the oldest page); NULL if set is empty. It may move the hand
     * and clear accessed bits (second chances). If the page cannot be taken
     * (the kernel is using it), reclaim moves the hand on if the page is there,
     * and asks again. */
    struct page *(*choose)(struct resident_set *set);
};

extern const struct replacement_policy replace_fifo;
extern const struct replacement_policy replace_clock;
extern const struct replacement_policy replace_aging;
extern const struct replacement_policy replace_wsclock;

/* The policy in force (clock at boot, or the kernel option replace=NAME). */
const struct replacement_policy *replace_policy(void);

/* Put the policy called name in force. 0, or -EINVAL if there is none. */
int replace_select(const char *name);

/* Every policy, for listing: NULL after the last. */
const struct replacement_policy *replace_policy_at(unsigned i);

/* True if the CPU used page since the last look, through any entry mapping it;
 * clears the accessed bits it found (and the TLB's copies, so the next use sets
 * them again). */
bool replace_test_and_clear_used(struct page *page);

/* madvise(MADV_COLD): make page look unused to every policy -- its accessed bits
 * and PG_REFERENCED cleared, aging's history 0, WSClock's last use at boot -- so
 * the hand takes it at its next pass, before pages used since. (FIFO never looks
 * at use: under it nothing changes.) The working-set sampler still counts the
 * uses it had (PTE_WS_USED). */
void replace_forget_use(struct page *page);

/* The time policies see (WSClock's last_use): milliseconds since boot, from the
 * clock the kernel gives at boot (replace_set_clock; 0 until then). */
void replace_set_clock(uint64_t (*now_ms)(void));
uint64_t replace_now_ms(void);

/* WSClock's window tau, in milliseconds (/proc/sys/vm/wsclock_tau_ms). Setting
 * it: 0, or -EINVAL outside 1 ms .. a minute (a window of 0 holds no working
 * set: every page unused since the last look would be old, and WSClock would
 * be Clock). */
#define REPLACE_WSCLOCK_TAU_MS     100
#define REPLACE_WSCLOCK_TAU_MS_MAX 60000
uint32_t replace_wsclock_tau_ms(void);
int replace_set_wsclock_tau_ms(uint32_t tau_ms);

#endif
