/*
 * loadctl.h — load control: Denning's remedy for thrashing.
 *
 * When the working sets of the processes that run (mm/workingset.h) add up to
 * more than memory holds, every process keeps taking frames from the others and
 * each one waits for the disk most of the time: thrashing. More processes make it
 * worse. Load control lowers the degree of multiprogramming instead: it suspends
 * whole processes until the working sets of the others fit, and lets them go on
 * when there is room again. A suspended process uses no page, so the replacement
 * policy soon takes its frames (they are the ones nobody references) and the
 * others keep theirs.
 *
 * Every LOADCTL_PERIOD_MS the balance looks at
 *
 *   demand  = the sum of the working sets of the processes not suspended and
 *             not idle (asleep for LOADCTL_IDLE_MS or more: waiting for input,
 *             a pipe, a child, stopped; they use no page, and the policy takes
 *             theirs, as it does a suspended process's)
 *   memory  = frames user pages may have: free + in user pages - kswapd's reserve
 *
 * and does one step:
 *   demand > memory     suspend the newest process (the highest pid) whose
 *                       working set is at least LOADCTL_MIN_PAGES (not init,
 *                       not an idle one; at least one stays)
 *   otherwise           resume the oldest process suspended, if its working
 *                       set fits in what is left: demand + its set <= memory
 *   (and a process suspended for max_wait_ms, LOADCTL_MAX_WAIT_MS at boot, goes
 *    on whatever the sums say, and stays: the next to go is another. So a
 *    process that others wait for, through a pipe or wait4, is never held for
 *    ever.)
 *
 * Suspending is done at a safe point: a process told to stop goes on until it
 * is about to return to user mode (loadctl_hold_point) and sleeps there. Signals
 * that kill still end it. It is off at boot: /proc/sys/vm/load_control (0 or
 * 1) or the kernel option loadctl=1 turns it on; turning it off resumes everyone.
 * /proc/sys/vm/load_control_max_wait_ms sets the longest hold.
 * /proc/PID/status says "LoadControl: suspended" for a process held.
 */
#ifndef KERNEL_LOADCTL_H
#define KERNEL_LOADCTL_H

#include <stdbool.h>
#include <stdint.h>

struct proc;

#define LOADCTL_PERIOD_MS       100  /* between two steps of the balance */
#define LOADCTL_MIN_PAGES       64   /* smaller working sets are never suspended */
#define LOADCTL_MAX_WAIT_MS     5000 /* the longest a process is held, at boot */
#define LOADCTL_MAX_WAIT_MS_MAX 3600000
#define LOADCTL_IDLE_MS         1000 /* asleep this long: idle, out of the balance */

/* A process's part (in struct proc; zero in a new one). */
struct loadctl_state {
    bool suspended;        /* told to stop at its next return to user mode */
    bool senior;           /* the last resumed after the longest hold: suspended last */
    uint64_t suspended_ms; /* uptime when it was suspended */
};

struct loadctl_stats {
    uint64_t suspends, resumes; /* steps of the balance, ever */
    uint64_t suspended;         /* processes suspended now */
    uint64_t demand, memory;    /* the sums of the last step, in pages */
};

/* Load control on or off (off: every process suspended is resumed). */
void loadctl_set_enabled(bool on);
bool loadctl_enabled(void);

/* The longest a process is held, in milliseconds: 0, or -EINVAL outside
 * 1 .. LOADCTL_MAX_WAIT_MS_MAX. */
uint32_t loadctl_max_wait_ms(void);
int loadctl_set_max_wait_ms(uint32_t ms);

/* The timer's part, every tick: one step of the balance every LOADCTL_PERIOD_MS. */
void loadctl_tick(uint64_t now_ms);

/* On the way to user mode: a suspended process sleeps here until resumed (or
 * until a signal that kills it is pending). */
void loadctl_hold_point(void);

struct loadctl_stats loadctl_stats(void);

#endif
