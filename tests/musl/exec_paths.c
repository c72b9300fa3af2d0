/*
 * exec_paths — execve of paths on a file system, and its errors, as Linux gives
 * them (tests/boot/root-disk.sh runs it on vmlab's root disk and on a folder of
 * the host laid out the same way; the outputs must be the same).
 *
 *   exec_paths DIR    chdir(DIR), then execve each case below (relative paths, so
 *                     the walk starts at the working directory) and print what
 *                     happened: the errno's name, or the exit status of a child
 *                     that ran the program.
 *
 * DIR must hold: bin/hello (a program), home/notexec (a program without x bits),
 * home/link-hello -> ../bin/hello, home/truncated (40 bytes of an ELF header,
 * mode 755), home/loop -> loop, and a directory home/dir.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errno_name(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    default: return "another error";
    }
}

/* execve(path) in a child: its exit status, or the error it got. */
static void run(const char *label, const char *path)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = { (char *)label, "one", NULL };
        char *envp[] = { NULL };
        /* the raw system call: musl's execve is the same, but say it plainly */
        long r = syscall(SYS_execve, path, argv, envp);
        printf("%s: execve returned %ld, %s\n", label, r, errno_name(errno));
        fflush(stdout);
        _exit(99);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        printf("%s: fork or wait failed\n", label);
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 99)
        printf("%s: ran, exit status %d\n", label, WEXITSTATUS(status));
    else if (!WIFEXITED(status))
        printf("%s: killed by signal %d\n", label, WTERMSIG(status));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("usage: exec_paths DIR\n");
        return 0;
    }
    if (chdir(argv[1]) != 0) {
        printf("chdir %s: %s\n", argv[1], errno_name(errno));
        return 1;
    }
    static char long_name[NAME_MAX + 2], long_path[PATH_MAX + 1];
    memset(long_name, 'n', NAME_MAX + 1);
    memset(long_path, 'p', PATH_MAX);

    run("program", "bin/hello");
    run("program-dot-dot", "home/../bin/./hello");
    run("symlink", "home/link-hello");
    run("not-executable", "home/notexec");
    run("directory", "home/dir");
    run("directory-slash", "bin/");
    run("device", "/dev/null");
    run("missing", "bin/no-such-program");
    run("missing-dir", "no-such-dir/hello");
    run("file-as-dir", "bin/hello/x");
    run("trailing-slash", "bin/hello/");
    run("truncated", "home/truncated");
    run("loop", "home/loop");
    run("long-name", long_name);
    run("long-path", long_path);
    run("empty", "");
    run("bad-pointer", (const char *)8);
    return 0;
}
