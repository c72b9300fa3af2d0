/*
 * signal_delivery.h — raising signals and acting on them.
 */
#ifndef KERNEL_SIGNAL_DELIVERY_H
#define KERNEL_SIGNAL_DELIVERY_H

#include "proc.h"

/* Mark sig pending for p (and wake it if it sleeps, so it notices). */
void signal_raise(struct proc *p, int sig);

/* For the current process, about to return to user mode: act on each pending,
 * unblocked signal with its default action (terminate, or ignore). A signal
 * with a user handler stays pending: handlers are not run yet (signal.h). */
void signal_act_on_pending(void);

#endif
