/*
 * poll.c — file readiness and the one channel pollers sleep on (poll.h).
 */
#include "poll.h"

#include "fs/file.h"
#include "sched.h"

static char poll_channel; /* its address names "some file may be ready" */

uint32_t file_poll(struct file *f)
{
    return f->ops->poll != NULL ? f->ops->poll(f) : POLL_ALWAYS_READY;
}

void poll_notify(void)
{
    wakeup(&poll_channel);
}

void poll_wait(uint64_t deadline_ns)
{
    sleep_on_deadline(&poll_channel, deadline_ns);
}
