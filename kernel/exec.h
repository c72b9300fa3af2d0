/*
 * exec.h — starting a program: execve, and the first process.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <stddef.h>

#define EXEC_MAX_ARGS    256         /* argv + envp entries */
#define EXEC_MAX_STRINGS (64 * 1024) /* bytes of argument and environment strings */
#define EXEC_PATH_MAX    4096        /* Linux's PATH_MAX, the zero included */

/* A program's path, arguments and environment, copied into the kernel. */
struct exec_args {
    char path[EXEC_PATH_MAX];
    int argc, envc;
    const char *argv[EXEC_MAX_ARGS];
    const char *envp[EXEC_MAX_ARGS];
    size_t used; /* bytes of strings[] in use */
    char strings[EXEC_MAX_STRINGS];
};

/* Add a string to argv (or envp); -E2BIG if there is no room. */
int exec_args_add(struct exec_args *args, const char *s, int is_env);

struct proc;

/* Prepare the kernel stack of a process that has never run, so that the first
 * switch to it enters user mode with the registers at p->frame (set them after). */
void exec_prepare_first_run(struct proc *p);

/* Create pid 1 running path with argv (argv[0] included), environment none: the
 * boot module /bin/NAME if there is one, else the file path names on the disk.
 * Returns 0 or a negative errno (-ENOENT: no such program anywhere). */
int exec_start_init(const char *path, const char *const *argv, int argc);

#endif
