/*
 * kthread.h — kernel threads: processes that run only kernel code.
 *
 * A kernel thread has a kernel stack and a place in the process table, so the
 * scheduler runs it and it can sleep like any process, but no address space of
 * its own (it runs on the kernel's tables) and no user mode to return to.
 * Signals do not reach it; it is no process's child. The one we have is
 * kswapd, which reclaims memory in the background (mm/reclaim.h).
 */
#ifndef KERNEL_KTHREAD_H
#define KERNEL_KTHREAD_H

#include <stdbool.h>

struct proc;

/* Start a kernel thread named name running body (which never returns and, when
 * it has nothing to do, sleeps on idle_channel). The thread is runnable at once.
 * NULL if out of memory or process slots. */
struct proc *kthread_start(const char *name, void (*body)(void), const void *idle_channel);

/* Are all kernel threads asleep on their idle channels (not in the middle of
 * work, such as a disk write)? The end of a run waits for that... */
bool kthreads_idle(void);

/* ... and then frees them, so that the memory check finds every frame back. */
void kthreads_stop(void);

/* Is p a kernel thread? */
bool proc_is_kthread(const struct proc *p);

#endif
