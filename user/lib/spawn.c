/*
 * spawn.c — vfork + execve, and wait4.
 */
#include "spawn.h"

#include "errno_names.h"
#include "lib/format.h"
#include "lib/string.h"
#include "signal_names.h"
#include "syscall.h"

#define PATH_LENGTH  256
#define DEFAULT_PATH "/bin"

/* ASSIGNMENT(spawn): start a program with vfork + execve, and report a failed execve
 * through the memory the child shares with its parent. */
long spawn_exact(const char *path, char *const argv[], char *const envp[])
{
    /* Written by the child, read by the parent: one variable, two processes,
     * because after vfork both use the same memory. */
    volatile long exec_error = 0;

    long pid = sys_vfork();
    if (pid == 0) {
        /* The child. execve returns only if it failed. */
        exec_error = sys_execve(path, argv, envp);
        sys_exit(EXIT_EXEC_FAILED);
    }
    if (pid < 0)
        return pid; /* vfork itself failed */
    /* The parent, resumed after the child's execve or exit. */
    if (exec_error != 0) {
        wait_for(pid);
        return exec_error;
    }
    return pid;
}

/* The value of PATH in envp, or DEFAULT_PATH. */
static const char *search_path(char *const envp[])
{
    for (size_t i = 0; envp != NULL && envp[i] != NULL; i++) {
        if (strncmp(envp[i], "PATH=", 5) == 0)
            return envp[i] + 5;
    }
    return DEFAULT_PATH;
}

long exec_search(const char *name, char *argv[], char *const envp[])
{
    if (strchr(name, '/') != NULL)
        return sys_execve(name, argv, envp);

    /* Try each directory of "dir1:dir2:..."; a missing file means: try the next. */
    char *callers_argv0 = argv[0];
    long result = -ENOENT;
    const char *dir = search_path(envp);
    while (*dir != '\0' && result == -ENOENT) {
        const char *colon = strchr(dir, ':');
        size_t dir_length = colon ? (size_t)(colon - dir) : strlen(dir);
        char path[PATH_LENGTH];
        if ((size_t)snprintf(path, sizeof(path), "%.*s/%s", (int)dir_length, dir, name) <
            sizeof(path)) {
            argv[0] = path; /* execve copies the strings: path may go away after */
            result = sys_execve(path, argv, envp);
        }
        dir += dir_length + (colon ? 1 : 0);
    }
    argv[0] = callers_argv0;
    return result;
}

long spawn(const char *name, char *argv[], char *const envp[])
{
    char *callers_argv0 = argv[0];
    volatile long exec_error = 0; /* written by the child, as in spawn_exact */
    long pid = sys_vfork();
    if (pid == 0) {
        exec_error = exec_search(name, argv, envp);
        sys_exit(EXIT_EXEC_FAILED);
    }
    /* The child may have left argv[0] pointing into its (now dead) stack frame. */
    argv[0] = callers_argv0;
    if (pid < 0)
        return pid;
    if (exec_error != 0) {
        wait_for(pid);
        return exec_error;
    }
    return pid;
}

long wait_for(long pid)
{
    int status = 0;
    long result = sys_wait4((int)pid, &status, 0, NULL);
    return result < 0 ? result : status;
}

long run(const char *name, char *argv[], char *const envp[])
{
    long pid = spawn(name, argv, envp);
    return pid < 0 ? pid : wait_for(pid);
}

void describe_status(long status, char *buf, size_t size)
{
    if (status < 0)
        snprintf(buf, size, "error %ld (%s)", status, errno_name(status));
    else if (WIFEXITED(status))
        snprintf(buf, size, "exit status %ld", (long)WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %ld (%s)", (long)WTERMSIG(status),
                 signal_name((int)WTERMSIG(status)));
    else
        snprintf(buf, size, "wait status 0x%lx", status);
}
