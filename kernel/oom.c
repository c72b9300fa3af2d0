/*
 * oom.c — the out-of-memory killer (see oom.h for the picture).
 *
 * Everything here runs with interrupts off, on the kernel stack of the process
 * whose page fault found no frame; waiting means sleeping, so the victim (and
 * everyone else) gets the CPU meanwhile.
 */
#include "oom.h"

#include "cpu.h"
#include "irq.h"
#include "mm/as.h"
#include "mm/fault.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "printk.h"
#include "proc.h"
#include "sched.h"
#include "signal_delivery.h"
#include "timer.h"
#include "x86.h"

#define INIT_PID             1
#define KIB_PER_PAGE         (PAGE_SIZE / 1024)
#define OOM_RECHECK_TICKS    (TIMER_HZ / 10) /* a waiter looks again every 100 ms... */
#define OOM_PATIENCE_SECONDS 3               /* ...and gives up on a victim after 3 s */
#define OOM_PATIENCE_TICKS   (OOM_PATIENCE_SECONDS * TIMER_HZ)

/* A system call that found no frame: how reclaim is tried before the killer, as a
 * page fault does (mm/fault.c), and the largest request the killer acts for. */
#define SYSCALL_RECLAIM_BATCH  32 /* frames reclaimed before the call runs again */
#define SYSCALL_RECLAIM_ROUNDS 8  /* rounds of reclaim before the killer */
#define OOM_COSTLY_FRAMES      8  /* Linux's PAGE_ALLOC_COSTLY_ORDER (3): 2^3 frames */

static const int exit_channel; /* waiters sleep on its address; every exit wakes them */

void oom_note_exit(void)
{
    wakeup(&exit_channel);
}

/* May the killer choose p? Not the idle process or init; not a zombie (its memory
 * is already back); not a vfork child, whose memory is its waiting parent's, so
 * that killing it frees nothing (Linux's in_vfork); not a victim that failed to
 * die before. */
static bool eligible(const struct proc *p)
{
    return p != NULL && p->pid > INIT_PID && p->state != PROC_ZOMBIE && p->as != NULL &&
           !proc_in_vfork(p) && !p->oom_skip;
}

/* The frames killing p would give back: its resident set and the kernel memory
 * its address space holds (page tables above all), as Linux's oom_badness counts
 * rss and page tables. The second matters: a program can hold thousands of page
 * tables, or huge shared-region arrays, with an rss near zero. */
static uint64_t footprint(const struct proc *p)
{
    return p->as->rss + as_kernel_frames(p->as);
}

/* The process to kill: one whose system call wants memory for the whole machine
 * (swapoff: oom_origin) first, as Linux; else the largest footprint among the
 * eligible; of equals the youngest (highest pid), which is the one Linux's scan
 * keeps. NULL if none. */
static struct proc *choose_victim(void)
{
    struct proc *best = NULL;
    uint64_t best_footprint = 0;
    for (int slot = 1; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (!eligible(p))
            continue;
        if (p->oom_origin)
            return p;
        uint64_t size = footprint(p);
        if (best == NULL || size > best_footprint ||
            (size == best_footprint && p->pid > best->pid)) {
            best = p;
            best_footprint = size;
        }
    }
    return best;
}

/* An earlier victim that has not finished exiting, or NULL. Its memory is about
 * to come back, so nobody else should die for it meanwhile. One that has had
 * OOM_PATIENCE_TICKS is marked oom_skip and no longer counts: something keeps it
 * from dying, and waiting for it would hang everyone who needs memory. */
static struct proc *victim_in_progress(void)
{
    uint64_t now = timer_ticks();
    for (int slot = 1; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p == NULL || p->oom_kill_tick == 0 || p->oom_skip || p->state == PROC_ZOMBIE)
            continue;
        if (now - p->oom_kill_tick < OOM_PATIENCE_TICKS)
            return p;
        p->oom_skip = true;
        kprintf("oom: pid %d (%s) has not exited %d s after SIGKILL; choosing another victim\n",
                p->pid, p->name, OOM_PATIENCE_SECONDS);
    }
    return NULL;
}

/* Queue SIGKILL for p (it acts on it on its way back to user mode) and remember
 * when, so that a victim that never gets there is noticed. */
static void kill_one(struct proc *p)
{
    p->oom_kill_tick = timer_ticks();
    if (p->oom_kill_tick == 0)
        p->oom_kill_tick = 1; /* 0 means "never chosen" */
    signal_raise(p, SIGKILL);
}

/* What the process that needed memory was doing: a page fault at an address, or
 * a system call (the report names which). */
struct need {
    vaddr_t address; /* the page fault's address... */
    long syscall_nr; /* ...or, if not -1, the system call's number */
};

/* The victim's line: who dies, how much memory it held, and who needed a page. */
static void report_victim(const struct proc *victim, const struct proc *faulting, struct need need,
                          bool last_resort)
{
    uint64_t rss_kib = victim->as->rss * KIB_PER_PAGE;
    uint64_t kernel_kib = as_kernel_frames(victim->as) * KIB_PER_PAGE;
    const char *why = last_resort          ? "no other process to kill"
                      : victim->oom_origin ? "it was emptying swap into memory"
                                           : "the largest process";
    kprintf(
        "pid %d (%s): killed by SIGKILL: out of memory: %s (rss %lu KiB, kernel memory %lu KiB), ",
        victim->pid, victim->name, why, rss_kib, kernel_kib);
    if (victim == faulting && need.syscall_nr >= 0)
        kprintf("for its own system call %ld, which needed memory\n", need.syscall_nr);
    else if (victim == faulting)
        kprintf("for its own page fault at %p\n", (void *)need.address);
    else if (need.syscall_nr >= 0)
        kprintf("for pid %d (%s), which needed memory in system call %ld\n", faulting->pid,
                faulting->name, need.syscall_nr);
    else
        kprintf("for pid %d (%s), which needed a page at %p\n", faulting->pid, faulting->name,
                (void *)need.address);
}

/* Kill victim and every other process using its memory (a vfork child borrowing
 * it, or the parent it borrows from), with a line each: the memory only comes
 * back when the last of them is gone. Init is spared even then. */
static void kill_victim(struct proc *victim)
{
    kill_one(victim);
    for (int slot = 1; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p == NULL || p == victim || p->as != victim->as || p->state == PROC_ZOMBIE ||
            p->pid == INIT_PID)
            continue;
        kprintf("pid %d (%s): killed by SIGKILL: out of memory: shares the memory of pid %d (%s)\n",
                p->pid, p->name, victim->pid, victim->name);
        kill_one(p);
    }
}

/* Sleep until the process `pid` has exited (a zombie, or reaped), it has had its
 * patience, or faulting itself is being killed. */
static enum oom_outcome wait_for_exit(int pid, struct proc *faulting)
{
    for (;;) {
        if (proc_fatal_signal_pending(faulting))
            return OOM_DYING;
        struct proc *victim = proc_find(pid);
        if (victim == NULL || victim->state == PROC_ZOMBIE ||
            timer_ticks() - victim->oom_kill_tick >= OOM_PATIENCE_TICKS)
            return OOM_RETRY; /* the retry may fault again, and choose anew */
        sleep_on_until(&exit_channel, timer_ticks() + OOM_RECHECK_TICKS);
    }
}

/* Kill a victim (or wait for the one already chosen) for faulting, which needs. */
static enum oom_outcome kill_for(struct proc *faulting, struct need need)
{
    cli();
    faulting->shortage_frames = 0; /* this shortage is being dealt with */
    if (proc_fatal_signal_pending(faulting))
        return OOM_DYING; /* already on its way out: its memory is about to come back */
    struct proc *victim = victim_in_progress();
    if (victim != NULL)
        return wait_for_exit(victim->pid, faulting);

    victim = choose_victim();
    bool last_resort = victim == NULL;
    if (last_resort)
        victim = faulting; /* nobody else to kill; Linux would panic */
    report_victim(victim, faulting, need, last_resort);
    kill_victim(victim);
    vm_totals.kills++; /* a page fault that ended a process */
    if (proc_fatal_signal_pending(faulting))
        return OOM_DYING; /* the victim, or it shares the victim's memory */
    return wait_for_exit(victim->pid, faulting);
}

enum oom_outcome oom_handle(struct proc *faulting, vaddr_t address)
{
    return kill_for(faulting, (struct need){ .address = address, .syscall_nr = -1 });
}

bool oom_after_syscall(struct proc *p, long nr, unsigned round)
{
    if (proc_fatal_signal_pending(p))
        return false; /* it is on its way out: its memory is about to come back */
    if (round < SYSCALL_RECLAIM_ROUNDS && (reclaim_anon_pages(SYSCALL_RECLAIM_BATCH) > 0 ||
                                           reclaim_dirty_file_pages(SYSCALL_RECLAIM_BATCH) > 0))
        return true; /* frames were freed: run the call again */
    if (p->shortage_frames > OOM_COSTLY_FRAMES)
        return false; /* a large request: its caller hears ENOMEM, nobody dies for it */
    if (victim_in_progress() == NULL && choose_victim() == NULL)
        return false; /* nobody the killer may choose (p is init, or alone with it): a
                         fault's last resort is to end p, a call's is to fail */
    return kill_for(p, (struct need){ .syscall_nr = nr }) == OOM_RETRY;
}

/* pmm's shortage hook: note the request on the process whose system call (or
 * fault) made it; an interrupt handler's allocation belongs to nobody. The last
 * one counts: a large buffer refused, then a fallback of single frames refused
 * too, is a shortage of single frames (kvmap's run notes itself after its frames). */
static void note_shortage(uint64_t frames_wanted)
{
    struct proc *p = current_proc();
    if (irq_in_handler() || p == NULL || p->kthread)
        return;
    p->shortage_frames = frames_wanted;
}

void oom_init(void)
{
    pmm_set_shortage_hook(note_shortage);
}
