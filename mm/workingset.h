/*
 * workingset.h — each address space's working set, estimated (Denning, 1968).
 *
 * The working set W(t, tau) of a process is the set of pages it used in the last
 * tau of its own time: the pages it needs in memory to run without faulting
 * often. Its size is what load control (kernel/loadctl.h) adds up to decide
 * whether the processes that run fit in memory together.
 *
 * "Its own time" is virtual time: time the process spends running its program,
 * not time it waits for the disk. A thrashing process runs a few microseconds
 * between faults; measured in real time its working set would look tiny exactly
 * when it is largest. So tau counts the time the process spends in user mode,
 * measured with the clock at each entry to the kernel (proc_leave_user).
 *
 * The estimate is sampled, the classic way with a reference bit: the CPU sets
 * the A bit of an entry on every use; when a window of tau ends, the sampler
 * (pt_sample_used) counts the user entries used in it and clears their bits for
 * the next window. A policy that took an A bit during the window (Clock's second
 * chance) left PTE_WS_USED in the entry, so the use still counts; an A bit the
 * sampler takes is left for the policy as PG_REFERENCED (mm/pmm.h). Neither
 * consumer of the A bit loses a use to the other.
 *
 *   window:   |<------------ tau of user time ------------>|
 *   entries:  A set by the CPU on each use ......... sampled: count, clear
 *   VmWSS  =  the count of the last complete window (0 before the first ends)
 *
 * /proc/PID/status shows it as VmWSS, /proc/sys/vm/ws_tau_ms sets tau.
 */
#ifndef MM_WORKINGSET_H
#define MM_WORKINGSET_H

#include <stdbool.h>
#include <stdint.h>

struct addr_space;

/* An address space's estimate (in struct addr_space; zero in a new one). */
struct ws_estimate {
    uint64_t pages;     /* pages used in the last complete window: |W(t, tau)| */
    uint64_t windows;   /* windows completed */
    uint64_t window_ns; /* user time run so far in the current window */
    uint64_t faults;    /* page faults resolved in the current window */
};

#define WORKINGSET_TAU_MS     100   /* tau at boot: 10 ticks of user time */
#define WORKINGSET_TAU_MS_MAX 60000 /* one minute */

/* A process of as ran its program (user mode) for ns: its virtual time moved on. */
void workingset_run(struct addr_space *as, uint64_t ns);

/* If as's window has lasted tau, sample it and start the next (process context:
 * on the way back to user mode; walks the page tables, never sleeps). */
void workingset_sample_if_due(struct addr_space *as);

/* A page fault of as was resolved: a use of a page in the current window. */
void workingset_fault(struct addr_space *as);

/* The estimate: pages in the last complete window (VmWSS). */
uint64_t workingset_pages(const struct addr_space *as);

/* What load control weighs: the estimate, or more if the current window has
 * already shown more. A window still open counts at least the pages as faulted
 * in during it (each fault is a use; at most the pages it has), so a process
 * that has just started, or one thrashing, which runs little between faults,
 * is not weighed by a stale or empty window. */
uint64_t workingset_demand(const struct addr_space *as);

/* tau in milliseconds of user time: /proc/sys/vm/ws_tau_ms. Setting it: 0, or
 * -EINVAL outside 1 ms .. a minute. */
uint32_t workingset_tau_ms(void);
int workingset_set_tau_ms(uint32_t tau_ms);

#endif
