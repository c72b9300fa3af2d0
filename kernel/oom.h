/*
 * oom.h — the out-of-memory killer: what happens when a page fault finds no frame.
 *
 * Memory is promised lazily (a region costs nothing until it is touched), so a
 * page fault can find every frame taken. Like Linux, the kernel then frees memory
 * by ending a process: the one holding the most (the largest resident set plus
 * the kernel memory behind its address space: page tables, region records, shared
 * regions' frame arrays), never init (pid 1). The process that needed the page waits until the
 * victim is gone, then retries the access -- unless it was the largest itself.
 *
 *   page fault: no free frame
 *     -> oom_handle: is an earlier victim still exiting?  yes: wait for it
 *     -> choose the victim: largest RSS + kernel memory; not init; not a vfork
 *        child (its memory is its parent's); the youngest of equals
 *     -> SIGKILL it and every process sharing its memory, one line each:
 *          pid 7 (hog): killed by SIGKILL: out of memory: the largest process
 *          (rss 27340 KiB, kernel memory 72 KiB), for pid 9 (small), which needed
 *          a page at 0x7f0000001000
 *     -> wait (asleep) until it has exited  ->  retry the access
 *
 * A system call whose allocation found no frame ends the same way, at the end of
 * the call (oom_after_syscall): reclaim first, then the killer, then the call runs
 * again; the line then says "which needed memory in system call 57".
 *
 * A victim that has not exited after a few seconds is left alone and another is
 * chosen, so nobody waits forever; when nothing else can be killed, the process
 * that needed the page is killed itself (even init: Linux would panic).
 */
#ifndef KERNEL_OOM_H
#define KERNEL_OOM_H

#include <stdbool.h>

#include "mm/addr.h"

struct proc;

enum oom_outcome {
    OOM_RETRY, /* memory was freed, or another victim is on its way out: retry */
    OOM_DYING, /* the faulting process is being killed itself: do not retry; its
                  pending SIGKILL ends it on the way back to user mode (a copy to
                  or from user memory fails with its fix-up first) */
};

/* The page fault of `faulting` at `address` found no free frame: kill a victim
 * (or wait for the one already chosen) and tell the fault path what to do.
 * Sleeps; call with interrupts off, in faulting's own kernel context. */
enum oom_outcome oom_handle(struct proc *faulting, vaddr_t address);

/* A system call of p (number nr) is about to return -ENOMEM, and an allocation
 * in it found no frame (p->shortage_frames, noted through pmm's shortage hook).
 * The call has undone its work and holds nothing, so this is where to free memory
 * as a fault would: reclaim (swap out, write back stores to files) for the first
 * rounds, then the killer, as above. True: run the call again. False: let it
 * return -ENOMEM -- p is being killed itself, or the request was large (more than
 * 8 frames at once, Linux's "costly" allocations), which kills nobody, or there
 * is nobody the killer may choose: where a fault kills p as its last resort (even
 * init), a call fails. Sleeps. */
bool oom_after_syscall(struct proc *p, long nr, unsigned round);

/* Install the shortage hook (at boot, before the first process). */
void oom_init(void);

/* A process has exited and freed its memory: wake those waiting in oom_handle. */
void oom_note_exit(void);

#endif
