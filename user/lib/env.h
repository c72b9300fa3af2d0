/*
 * env.h — the environment: the "NAME=value" strings a program receives from execve.
 */
#ifndef USER_LIB_ENV_H
#define USER_LIB_ENV_H

/* The environment array (NULL-terminated), set by crt0 before main runs. */
extern char **environ;

/* The value of NAME in the environment ("PATH" -> "/bin"), or NULL if it is not set. */
const char *getenv(const char *name);

#endif
