/*
 * common.h — helpers shared by the parts of tests/musl/procid (see main.c).
 */
#ifndef PROCID_COMMON_H
#define PROCID_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* "0", or "-1 EPERM": a call's result the same way on every system. */
const char *outcome(long result);

/* How a wait status reads: "exit 3", "killed by SIGSEGV". */
const char *status_text(int status);

/* Fork a child that runs fn and exits with its result; return fn's wait status.
 * The child's output is flushed first, so nothing is printed twice. */
int in_child(int (*fn)(void));

/* The parts, each printing its own lines. */
void clone_tests(const char *self);
void group_tests(const char *self);
void wait_tests(void);
void id_tests(void);
void limit_tests(const char *self);

/* The modes an exec'd copy of the program runs in (main.c), and "refused" (clone.c). */
int print_vmlab_refusals(void);
int wait_for_stdin_eof(void);

#endif
