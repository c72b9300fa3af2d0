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
