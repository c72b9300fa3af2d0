/*
 * loadctl.c — the balance of load control: suspend, resume, hold.
 */
#include "loadctl.h"

#include "cpu.h"
#include "errno.h"
#include "mm/as.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/workingset.h"
#include "proc.h"
#include "sched.h"

#define NS_PER_MS 1000000

static bool enabled;
static struct loadctl_stats stats;
static uint64_t last_step_ms;
static uint32_t max_wait_ms = LOADCTL_MAX_WAIT_MS;

/* A process the balance weighs: a user process that is alive. */
static bool weighed(const struct proc *p)
{
    return p != NULL && !p->kthread && p->state != PROC_ZOMBIE && p->as != NULL;
}

/* Has p been asleep since LOADCTL_IDLE_MS ago or longer? Its working set is
 * only its last one: it uses none of those pages while it waits (for input, a
 * pipe, a child, SIGCONT), so the policy takes them as it would a suspended
 * process's. Weighed, it would keep others suspended for as long as it sleeps,
 * up to the longest hold each. A process that faults waits for the disk only
 * milliseconds at a time, and stays weighed. */
static bool idle(const struct proc *p, uint64_t now_ms)
{
    return p->state == PROC_SLEEPING && now_ms - p->user_left_ns / NS_PER_MS >= LOADCTL_IDLE_MS;
}

/* Does the balance weigh p's working set: alive, neither suspended nor idle? */
static bool counted(const struct proc *p, uint64_t now_ms)
{
    return weighed(p) && !p->loadctl.suspended && !idle(p, now_ms);
}

/* Is q the first process of the table counted with as? (An address space shared
 * by vfork counts once, and still counts when the parent, waiting, does not.) */
static bool first_counted_user_of(const struct proc *q, const struct addr_space *as,
                                  uint64_t now_ms)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (counted(p, now_ms) && p->as == as)
            return p == q;
    }
    return true;
}

/* The sum of the working sets of the processes counted, in pages. */
static uint64_t demand(uint64_t now_ms)
{
    uint64_t pages = 0;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (counted(p, now_ms) && first_counted_user_of(p, p->as, now_ms))
            pages += workingset_demand(p->as);
    }
    return pages;
}

/* Frames user pages may have: free ones and those user pages hold now (all
 * can be reclaimed), less the reserve kswapd keeps free. */
static uint64_t memory(void)
{
    struct pmm_stats frames = pmm_stats();
    uint64_t user = frames.free + frames.used[FRAME_USER];
    return user > RECLAIM_HIGH_FRAMES ? user - RECLAIM_HIGH_FRAMES : 0;
}

/* May the balance suspend p? Not init, not a small process, not one held, not
 * an idle one (suspending it would relieve nothing: it is not weighed). */
static bool suspendable(struct proc *p, uint64_t now_ms)
{
    if (!weighed(p) || p->pid == 1 || p->loadctl.suspended || idle(p, now_ms))
        return false;
    return workingset_demand(p->as) >= LOADCTL_MIN_PAGES;
}

/* Is p newer than q, for the balance: a process not senior is newer than one
 * that is; then the higher pid (the later fork) is newer. */
static bool newer(const struct proc *p, const struct proc *q)
{
    if (p->loadctl.senior != q->loadctl.senior)
        return q->loadctl.senior;
    return p->pid > q->pid;
}

/* The newest process that may be suspended, or NULL if fewer than two could be
 * (one must run). */
static struct proc *newest_suspendable(uint64_t now_ms)
{
    struct proc *newest = NULL;
    int count = 0;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (!suspendable(p, now_ms))
            continue;
        count++;
        if (newest == NULL || newer(p, newest))
            newest = p;
    }
    return count >= 2 ? newest : NULL;
}

/* The process suspended longest, or NULL. */
static struct proc *longest_suspended(void)
{
    struct proc *longest = NULL;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (weighed(p) && p->loadctl.suspended &&
            (longest == NULL || p->loadctl.suspended_ms < longest->loadctl.suspended_ms))
            longest = p;
    }
    return longest;
}

/* The oldest process suspended (the last the balance would suspend), or NULL. */
static struct proc *oldest_suspended(void)
{
    struct proc *oldest = NULL;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (weighed(p) && p->loadctl.suspended && (oldest == NULL || newer(oldest, p)))
            oldest = p;
    }
    return oldest;
}

static void suspend(struct proc *p, uint64_t now_ms)
{
    p->loadctl.suspended = true;
    p->loadctl.suspended_ms = now_ms;
    stats.suspends++;
}

static void resume(struct proc *p)
{
    p->loadctl.suspended = false;
    wakeup(&p->loadctl);
    stats.resumes++;
}

/* p waited the longest hold and goes on: it alone is senior from now on. The
 * seniors before it become newer than it again, so the next to be suspended is
 * one of the others, p not. (Were they all left senior, the highest pid would be
 * the newest once each had waited once: suspended again at the step after each
 * resume, before it had its pages back, it would make no progress at all.) */
static void make_senior(struct proc *p)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *q = proc_at(i);
        if (q != NULL)
            q->loadctl.senior = false;
    }
    p->loadctl.senior = true;
}

/* What a suspended process will need if resumed: its working set, or, if no
 * window of its own ended before it was suspended (it has no estimate yet), all
 * the pages it has: resumed on a partial count, it would be let in too early. */
static uint64_t resume_weight(const struct proc *p)
{
    uint64_t demand = workingset_demand(p->as);
    uint64_t has = p->as->rss + p->as->swap_pages;
    return p->as->ws.windows == 0 && has > demand ? has : demand;
}

/* One step of the balance (interrupts off: it only reads counters and flags). */
static void step(uint64_t now_ms)
{
    stats.demand = demand(now_ms);
    stats.memory = memory();
    struct proc *waiting = longest_suspended();
    if (waiting != NULL && now_ms - waiting->loadctl.suspended_ms >= max_wait_ms) {
        make_senior(waiting); /* its turn: the others go first from now on */
        resume(waiting);
        return;
    }
    if (stats.demand > stats.memory) {
        struct proc *newest = newest_suspendable(now_ms);
        if (newest != NULL)
            suspend(newest, now_ms);
        return;
    }
    struct proc *oldest = oldest_suspended();
    if (oldest != NULL && stats.demand + resume_weight(oldest) <= stats.memory)
        resume(oldest);
}

void loadctl_tick(uint64_t now_ms)
{
    if (!enabled || now_ms - last_step_ms < LOADCTL_PERIOD_MS)
        return;
    last_step_ms = now_ms;
    step(now_ms);
}

void loadctl_hold_point(void)
{
    struct proc *p = current_proc();
    while (p->loadctl.suspended && !proc_fatal_signal_pending(p))
        sleep_on(&p->loadctl);
}

void loadctl_set_enabled(bool on)
{
    enabled = on;
    if (on)
        return;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (p != NULL && p->loadctl.suspended)
            resume(p);
    }
}

uint32_t loadctl_max_wait_ms(void)
{
    return max_wait_ms;
}

int loadctl_set_max_wait_ms(uint32_t ms)
{
    if (ms == 0 || ms > LOADCTL_MAX_WAIT_MS_MAX)
        return -EINVAL;
    max_wait_ms = ms;
    return 0;
}

bool loadctl_enabled(void)
{
    return enabled;
}

struct loadctl_stats loadctl_stats(void)
{
    struct loadctl_stats now = stats;
    now.suspended = 0;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        now.suspended += weighed(p) && p->loadctl.suspended;
    }
    return now;
}
