/*
 * stack_growth.c — the stack grows on demand, up to its limit (8 MiB by default).
 * A recursion 6 MiB deep works; an unbounded one is killed with SIGSEGV, in a
 * child (vfork + execve of this program), and the parent sees the signal.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FRAME 1024

static volatile int sink;

/* Each level keeps FRAME bytes of stack alive across the recursive call. */
static int recurse(int depth, int limit)
{
    volatile char frame[FRAME];
    frame[0] = (char)depth;
    frame[FRAME - 1] = (char)depth;
    if (depth == limit)
        return frame[0];
    int below = recurse(depth + 1, limit);
    return below + frame[FRAME - 1] - frame[0];
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--unbounded") == 0) {
        sink = recurse(0, -1); /* never returns: the stack runs out */
        return 0;
    }
    int depth = 6 * 1024 * 1024 / FRAME;
    printf("recursion %d levels deep (about 6 MiB of stack): result %d\n", depth,
           recurse(0, depth));

    pid_t child = vfork();
    if (child == 0) {
        char *child_argv[] = { argv[0], "--unbounded", NULL };
        execv(argv[0], child_argv);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        printf("unbounded recursion: killed by signal %d (%s)\n", WTERMSIG(status),
               WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "other");
    else
        printf("unbounded recursion: exited with %d\n", WEXITSTATUS(status));
    return 0;
}
