/*
 * child.c — running part of a test in a forked child.
 */
#include "child.h"

#include "check.h" /* running_on_linux */
#include "syscall.h"

#define VMLAB_STACK_LIMIT (8UL << 20)

long run_in_child(int (*body)(void *arg), void *arg)
{
    long pid = sys_fork();
    if (pid < 0)
        return pid;
    if (pid == 0)
        sys_exit_group(body(arg));
    int status = 0;
    long waited = sys_wait4((int)pid, &status, 0, NULL);
    return waited < 0 ? waited : status;
}

bool killed_by(long status, int sig)
{
    /* WTERMSIG ignores the "core dumped" bit (0x80) that Linux may add. */
    return status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

bool exited_with(long status, int code)
{
    return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

#define MOMENT_NS      (20 * 1000 * 1000) /* the parent's sleep: 20 ms */
#define MOMENT_LATE_MS 1000               /* ...is late after a second: nobody let it run */

static long monotonic_ms(void)
{
    struct timespec t;
    sys_clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void expect_busy_child_preemptible_and_killable(long pid)
{
    long before = monotonic_ms();
    struct timespec moment = { 0, MOMENT_NS };
    sys_nanosleep(&moment, NULL);
    long slept = monotonic_ms() - before;
    EXPECT(slept < MOMENT_LATE_MS, "the parent's 20 ms sleep took %ld ms", slept);
    EXPECT_RESULT(sys_kill((int)pid, SIGKILL), 0, "kill(child, SIGKILL)");
    int status = -1;
    EXPECT_RESULT(sys_wait4((int)pid, &status, 0, NULL), pid, "wait4 returns it");
    EXPECT(killed_by(status, SIGKILL), "killed by SIGKILL in the middle of its call (status 0x%x)",
           (unsigned)status);
}

void limit_stack_like_vmlab(void)
{
    struct rlimit limit;
    if (!running_on_linux())
        return;
    if (sys_getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur <= VMLAB_STACK_LIMIT)
        return;
    limit.rlim_cur = VMLAB_STACK_LIMIT; /* below the current one, so below rlim_max too */
    sys_setrlimit(RLIMIT_STACK, &limit);
}
