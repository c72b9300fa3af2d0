/*
 * kthread.c — starting a kernel thread.
 *
 * A new process's first run is a "return" from context_switch into whatever
 * address its stack holds (kernel/context_switch.asm). For a user process that
 * is the way back to user mode; for a kernel thread it is kthread_entry, which
 * calls the thread's body, kept in R12 (one of the registers context_switch pops).
 */
#include "kthread.h"

#include "proc.h"

void kthread_entry(void); /* context_switch.asm */

#define CALLEE_SAVED 6 /* what context_switch pops: r15, r14, r13, r12, rbx, rbp */

struct proc *kthread_start(const char *name, void (*body)(void), const void *idle_channel)
{
    struct proc *p = proc_alloc(name);
    if (p == NULL)
        return NULL;
    p->kthread = true;
    p->idle_channel = idle_channel;
    p->parent = proc_idle();
    uint64_t *sp = (uint64_t *)p->kstack_top;
    *--sp = (uint64_t)kthread_entry; /* its ret leaves RSP at the (aligned) top for the call */
    uint64_t saved[CALLEE_SAVED] = { 0, 0, 0, (uint64_t)body, 0, 0 }; /* r15..rbp: r12 = body */
    for (int i = CALLEE_SAVED - 1; i >= 0; i--)
        *--sp = saved[i];
    p->saved_rsp = (uint64_t)sp;
    p->state = PROC_RUNNABLE;
    return p;
}

bool proc_is_kthread(const struct proc *p)
{
    return p->kthread;
}

bool kthreads_idle(void)
{
    for (int slot = 1; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p != NULL && p->kthread &&
            !(p->state == PROC_SLEEPING && p->wait_channel == p->idle_channel))
            return false;
    }
    return true;
}

void kthreads_stop(void)
{
    for (int slot = 1; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p != NULL && p->kthread) {
            p->state = PROC_ZOMBIE; /* it sleeps where it holds nothing: just free it */
            proc_reap(p);
        }
    }
}
