/*
 * builtins.h — commands the shell carries out itself.
 *
 * cd must be a built-in: the working directory belongs to a process, and a child
 * that changed its own would change nothing for the shell. exit ends the shell.
 * help, echo and pwd are built in for convenience (they would work as programs:
 * /bin/echo is one). A built-in wins over a program of the same name, as in sh;
 * type /bin/echo for the program.
 */
#ifndef USER_SH_BUILTINS_H
#define USER_SH_BUILTINS_H

#include <stdbool.h>

/* A built-in: runs in the shell's process (or, in a pipeline, in a forked copy of
 * it), returns its exit status. */
typedef int (*builtin_fn)(int count, char **words);

/* The built-in called name, or NULL if there is none (then it is a program). */
builtin_fn builtin_find(const char *name);

/* Set by `exit`: the shell leaves its loop with exit_code once the line is done. */
extern bool exit_requested;
extern int exit_code;

#endif
