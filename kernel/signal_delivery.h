/*
 * signal_delivery.h — raising signals and acting on them.
 */
#ifndef KERNEL_SIGNAL_DELIVERY_H
#define KERNEL_SIGNAL_DELIVERY_H

#include "proc.h"

/* Mark sig pending for p (and wake it if it sleeps, so it notices). */
void signal_raise(struct proc *p, int sig);

/* The current process caused a fault it cannot survive: queue forced as its
 * forced signal, acted on when it next returns to user mode (never lost, never
 * blocked). Until handlers are delivered (signal.h), it always terminates. */
void signal_force(const struct forced_signal *forced);

/* For the current process, about to return to user mode: a forced signal ends it
 * with its one-line reason; then act on each pending, unblocked signal with its
 * default action (terminate, or ignore). A signal with a user handler stays
 * pending: handlers are not run yet (signal.h). */
void signal_act_on_pending(void);

#endif
