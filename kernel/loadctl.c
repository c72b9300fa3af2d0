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

static bool enabled;
static struct loadctl_stats stats;
static uint64_t last_step_ms;
static uint32_t max_wait_ms = LOADCTL_MAX_WAIT_MS;

/* A process the balance weighs: a user process that is alive. */
static bool weighed(const struct proc *p)
{
    return p != NULL && !p->kthread && p->state != PROC_ZOMBIE && p->as != NULL;
}

/* Is q the first process of the table using as? (An address space shared by
 * vfork counts once.) */
static bool first_user_of(const struct proc *q, const struct addr_space *as)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (weighed(p) && p->as == as)
            return p == q;
    }
    return true;
}

/* The sum of the working sets of the processes not suspended, in pages. */
static uint64_t demand(void)
{
    uint64_t pages = 0;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (weighed(p) && !p->loadctl.suspended && first_user_of(p, p->as))
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

/* May the balance suspend p? Not init, not a small process, not one held. */
static bool suspendable(struct proc *p)
{
    if (!weighed(p) || p->pid == 1 || p->loadctl.suspended)
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
static struct proc *newest_suspendable(void)
{
    struct proc *newest = NULL;
    int count = 0;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (!suspendable(p))
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

/* One step of the balance (interrupts off: it only reads counters and flags). */
static void step(uint64_t now_ms)
{
    stats.demand = demand();
    stats.memory = memory();
    struct proc *waiting = longest_suspended();
    if (waiting != NULL && now_ms - waiting->loadctl.suspended_ms >= max_wait_ms) {
        waiting->loadctl.senior = true; /* its turn: the others go first from now on */
        resume(waiting);
        return;
    }
    if (stats.demand > stats.memory) {
        struct proc *newest = newest_suspendable();
        if (newest != NULL)
            suspend(newest, now_ms);
        return;
    }
    struct proc *oldest = oldest_suspended();
    if (oldest != NULL && stats.demand + workingset_demand(oldest->as) <= stats.memory)
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
    while (p->loadctl.suspended && !proc_fatal_signal_pending(p)) {
        p->loadctl.held = true;
        sleep_on(&p->loadctl);
    }
    p->loadctl.held = false;
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
