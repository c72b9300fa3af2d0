/*
 * spawn.h — starting programs (vfork + execve) and waiting for them (wait4).
 *
 * A new program starts with vfork, which copies nothing (fork would set up a
 * copy-on-write copy only for execve to throw it away):
 *
 *     pid = vfork()          the child runs first, in OUR memory, on OUR stack;
 *     child: execve(...)     we are suspended until it execs (then it has its own
 *                            memory) or exits
 *     parent: wait4(pid)     collect its exit status
 *
 * Because the child shares our memory until execve, it can report a failed execve by
 * storing the error in one of our variables before it exits — that is how spawn()
 * returns -ENOENT for a missing program instead of a child that exited with 127.
 */
#ifndef USER_LIB_SPAWN_H
#define USER_LIB_SPAWN_H

#include <stddef.h>

/* The status a child exits with when its execve failed. */
#define EXIT_EXEC_FAILED 127

/* Start path exactly as given (no search; path, argv and envp may even be bad
 * pointers, for tests). Returns the child's pid, or the -errno of vfork or of the
 * child's execve (that child has then been waited for already). */
long spawn_exact(const char *path, char *const argv[], char *const envp[]);

/* Like spawn_exact, but a name without '/' is looked up in the directories of PATH
 * (from envp; "/bin" if unset): "hello" runs "/bin/hello", and the program gets that
 * path as its argv[0] (argv is the caller's again on return). Returns the pid or
 * -errno (-ENOENT if the name was found nowhere). */
long spawn(const char *name, char *argv[], char *const envp[]);

/* execve name, looked up as spawn() does (a name with a '/' as it is, else in each
 * directory of PATH; argv[0] is set to the path tried). Returns only if no execve
 * succeeded: the first error other than -ENOENT, or -ENOENT; argv[0] is then the
 * caller's again. For a child that has set itself up (the shell's redirections). */
long exec_search(const char *name, char *argv[], char *const envp[]);

/* Wait for the child pid to end (wait4). Returns its wait status (WIFEXITED...),
 * or -errno. */
long wait_for(long pid);

/* spawn, then wait_for: returns the wait status or -errno. */
long run(const char *name, char *argv[], char *const envp[]);

/* Put "exit status 3" / "killed by signal 11 (SIGSEGV)" / "error -2 (ENOENT)" into buf
 * for a result of run() or wait_for(). */
void describe_status(long status, char *buf, size_t size);

#endif
