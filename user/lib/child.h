/*
 * child.h — running part of a test in a child process made by fork.
 *
 * A check that must crash (a write to read-only memory, a runaway recursion) is
 * done in a child: the child dies with SIGSEGV, and the parent looks at how it
 * ended and goes on. fork gives the child a copy-on-write copy of everything, so
 * the child can use the parent's pointers and variables directly:
 *
 *     static int write_it(void *page) { *(volatile char *)page = 1; return CHILD_SURVIVED; }
 *     long status = run_in_child(write_it, read_only_page);
 *     EXPECT(killed_by(status, SIGSEGV), ...);
 */
#ifndef USER_LIB_CHILD_H
#define USER_LIB_CHILD_H

#include <stdbool.h>

/* The exit status of a child whose crash did not happen. */
#define CHILD_SURVIVED 100

/* fork; the child runs body(arg) and exits with what it returns; the parent waits.
 * Returns the child's wait status, or -errno if fork or wait4 failed. */
long run_in_child(int (*body)(void *arg), void *arg);

/* True if the wait status says the child was killed by signal sig. */
bool killed_by(long status, int sig);

/* True if the wait status says the child exited with code. */
bool exited_with(long status, int code);

/* The parent's side of "a child busy in one long system call": sleep a moment,
 * which must end on time (the kernel lets others run between the call's steps),
 * then SIGKILL the child, which must end the call: three checks (EXPECT). */
void expect_busy_child_preemptible_and_killable(long pid);

/* Linux only: lower the soft stack limit to 8 MiB, vmlab's fixed limit, if it is
 * higher (a shell may have set it to unlimited), so that a runaway recursion ends
 * at the same depth on both. vmlab has no setrlimit (-ENOSYS): nothing to do. */
void limit_stack_like_vmlab(void);

#endif
