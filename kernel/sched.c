/*
 * sched.c — the scheduler.
 *
 * Round robin over the process table: the next runnable process after the
 * current one gets the CPU. Switching means: save the outgoing process's FPU
 * registers, load the incoming one's address space (CR3), its kernel stack for
 * interrupts and system calls (TSS.RSP0, the per-CPU kernel_rsp), its FS base,
 * and finally its kernel registers (context_switch).
 */
#include "sched.h"

#include "clock.h"
#include "cpu.h"
#include "gdt.h"
#include "itimer.h"
#include "panic.h"
#include "framemap_view.h"
#include "kthread.h"
#include "loadctl.h"
#include "proc.h"
#include "timer.h"
#include "x86.h"

#define NS_PER_MS 1000000

void context_switch(uint64_t *save_rsp, uint64_t load_rsp);

static bool need_resched;

static int slot_of(const struct proc *p)
{
    for (int i = 0; i < MAX_PROCS; i++) {
        if (proc_at(i) == p)
            return i;
    }
    return 0;
}

/* The next RUNNABLE process after prev in table order (prev itself last), or idle. */
static struct proc *pick_next(struct proc *prev)
{
    int start = slot_of(prev);
    for (int k = 1; k <= MAX_PROCS; k++) {
        int slot = (start + k) % MAX_PROCS;
        struct proc *p = proc_at(slot);
        if (slot != 0 && p != NULL && p->state == PROC_RUNNABLE)
            return p;
    }
    return proc_idle();
}

static void switch_to(struct proc *prev, struct proc *next)
{
    __asm__ volatile("fxsave %0" : "=m"(prev->fpu_state));
    __asm__ volatile("fxrstor %0" : : "m"(next->fpu_state));
    if (next->as != NULL)
        as_activate(next->as);
    else
        as_activate_kernel();
    tss_set_kernel_stack(next->kstack_top);
    the_cpu.kernel_rsp = next->kstack_top;
    wrmsr(MSR_FS_BASE, next->fs_base);
    wrmsr(MSR_KERNEL_GS_BASE, next->gs_base); /* the user GS, for swapgs to restore */
    the_cpu.current = next;
    context_switch(&prev->saved_rsp, next->saved_rsp);
}

void schedule(void)
{
    assert(!(read_rflags() & RFLAGS_IF), "schedule() with interrupts on");
    struct proc *prev = current_proc();
    if (prev->state == PROC_RUNNING)
        prev->state = PROC_RUNNABLE;
    struct proc *next = pick_next(prev);
    next->state = PROC_RUNNING;
    need_resched = false;
    if (next != prev)
        switch_to(prev, next);
}

void sleep_on(const void *channel)
{
    struct proc *p = current_proc();
    p->wait_channel = channel;
    p->state = PROC_SLEEPING;
    schedule();
    p->wait_channel = NULL;
}

void sleep_on_until(const void *channel, uint64_t tick)
{
    struct proc *p = current_proc();
    p->wake_tick = tick; /* sched_tick wakes it then, whatever the channel */
    sleep_on(channel);
    p->wake_tick = 0;
}

void sleep_until_tick(uint64_t tick)
{
    struct proc *p = current_proc();
    sleep_on_until(&p->wake_tick, tick);
}

void sleep_on_deadline(const void *channel, uint64_t deadline_ns)
{
    struct proc *p = current_proc();
    p->wake_ns = deadline_ns; /* sched_expire wakes it then, whatever the channel */
    timer_wake_at(deadline_ns);
    sleep_on(channel);
    p->wake_ns = 0;
}

/* Wake p if it sleeps with a deadline that has come; else its deadline, if any. */
static uint64_t expire_sleep(struct proc *p, uint64_t now_ns)
{
    if (p->state != PROC_SLEEPING || p->wake_ns == 0)
        return NO_DEADLINE;
    if (p->wake_ns > now_ns)
        return p->wake_ns;
    p->state = PROC_RUNNABLE;
    need_resched = true; /* it runs as soon as the interrupted process lets go */
    return NO_DEADLINE;
}

uint64_t sched_expire(uint64_t now_ns)
{
    uint64_t next = NO_DEADLINE;
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (p == NULL || p->state == PROC_ZOMBIE)
            continue;
        uint64_t sleep_end = expire_sleep(p, now_ns);
        uint64_t alarm = itimer_expire_real(p, now_ns);
        next = sleep_end < next ? sleep_end : next;
        next = alarm < next ? alarm : next;
    }
    return next;
}

void wakeup(const void *channel)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (p != NULL && p->state == PROC_SLEEPING && p->wait_channel == channel)
            p->state = PROC_RUNNABLE;
    }
}

void sched_start(struct proc *p)
{
    p->state = PROC_RUNNABLE;
}

static bool anyone_runnable(void)
{
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (p != NULL && p->state == PROC_RUNNABLE)
            return true;
    }
    return false;
}

void sched_tick(const struct trap_frame *frame)
{
    struct proc *current = current_proc();
    if (current == NULL)
        return; /* before processes exist */
    if (trap_from_user(frame))
        current->times.user_ticks++;
    else if (current != proc_idle())
        current->times.system_ticks++;

    uint64_t now = timer_ticks();
    for (int i = 1; i < MAX_PROCS; i++) {
        struct proc *p = proc_at(i);
        if (p != NULL && p->state == PROC_SLEEPING && p->wake_tick != 0 && p->wake_tick <= now)
            p->state = PROC_RUNNABLE;
    }
    if (current != proc_idle())
        itimer_tick(current, trap_from_user(frame));
    loadctl_tick(clock_monotonic_ns() / NS_PER_MS);
    /* the one-shot timer does this at the right moment; the tick makes sure */
    timer_wake_at(sched_expire(clock_monotonic_ns()));
    /* the turn is one tick: anyone else waiting gets the CPU next */
    if (anyone_runnable())
        need_resched = true;
}

void sched_preempt_point(void)
{
    if (need_resched)
        schedule();
}

void sched_idle(void)
{
    for (;;) {
        framemap_view_work(); /* the memory view, if shown: redraw when due */
        cli();
        if (proc_init_exited() && kthreads_idle()) {
            framemap_view_close(); /* the last words on the text screen */
            proc_finish_run();
        }
        proc_reap_detached();
        if (anyone_runnable())
            schedule();
        sti_hlt();
    }
}
