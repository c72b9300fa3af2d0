/*
 * signal_delivery.h — raising signals and acting on them.
 */
#ifndef KERNEL_SIGNAL_DELIVERY_H
#define KERNEL_SIGNAL_DELIVERY_H

#include "proc.h"

/* Mark sig pending for p with the siginfo a handler will see (unless p ignores
 * it: then it is dropped), and wake p if it sleeps, so that its call notices. */
void signal_send(struct proc *p, int sig, const struct signal_info *info);

/* signal_send with si_code SI_KERNEL: the kernel's own reasons (SIGPIPE, ...). */
void signal_raise(struct proc *p, int sig);

/* Take sig off p's pending signals and return the siginfo to deliver: for a
 * real-time signal sent several times, the oldest, and the next one stays pending. */
struct signal_info signal_dequeue(struct proc *p, int sig);

/* Forget every pending instance of sig (its action became "ignore"). */
void signal_discard(struct proc *p, int sig);

/* Is a signal waiting that p will act on when it returns to user mode? A system
 * call that sleeps checks this and returns -ERESTARTSYS (or -EINTR, or another
 * restart code: kernel/errno.h) so that the signal acts. */
bool signal_pending(const struct proc *p);

/* The current process caused a fault: queue forced as its forced signal, acted
 * on first when it next returns to user mode. It is never lost: if blocked or
 * ignored, it is unblocked and takes its default action (Linux's force_sig). */
void signal_force(const struct forced_signal *forced);

/* For the current process, about to return to user mode through frame: act on the
 * forced signal, then on each pending, unblocked signal: ignore it, end the
 * process, or push a frame that runs its handler. A system call interrupted by
 * the signal returns -EINTR or runs again. */
void signal_act_on_pending(struct trap_frame *frame);

#endif
