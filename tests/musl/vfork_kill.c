/*
 * vfork_kill.c — a parent waiting in vfork can still be killed, and its child
 * carries on.
 *
 * After vfork the parent sleeps until its child execs or exits, since the child is
 * running on the parent's memory and stack. Linux makes that sleep "killable": a
 * fatal signal (SIGKILL, or one whose default action terminates) ends the parent at
 * once, and the child, which holds its own reference on the memory, goes on.
 *
 *   this program ── fork ──> middle ── vfork ──> child (sleeps until released)
 *        kill(middle, SIG) while middle waits in vfork
 *        middle must be gone while the child still runs; the child, now ours
 *        (we are init on vmlab, a subreaper on Linux), then exits normally
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_EXIT_CODE 7
#define POLL_NS         (2 * 1000 * 1000) /* 2 ms between looks at the shared page */
#define POLL_LIMIT      1000 /* 2 s on Linux (10 ms ticks: 10 s on vmlab), to end a broken run */

struct shared {
    volatile pid_t child_pid;
    volatile int child_started;  /* the vfork child is running */
    volatile int release;        /* the child may finish now */
    volatile int child_finished; /* it has, just before _exit */
};

static void pause_briefly(void)
{
    struct timespec t = { 0, POLL_NS };
    nanosleep(&t, NULL);
}

/* Wait (bounded) until *flag is set; true if it was. */
static int wait_for_flag(volatile int *flag)
{
    for (int i = 0; i < POLL_LIMIT && !*flag; i++)
        pause_briefly();
    return *flag;
}

/* The process that vforks. The child waits to be released (bounded, so that a
 * kernel whose vfork wait cannot be killed still ends the test, as a failure). */
static void middle(struct shared *s)
{
    pid_t child = vfork();
    if (child == 0) {
        s->child_pid = getpid();
        s->child_started = 1;
        wait_for_flag(&s->release);
        s->child_finished = 1;
        _exit(CHILD_EXIT_CODE);
    }
    _exit(0); /* only if the vfork wait was not killed */
}

static const char *yes(int condition)
{
    return condition ? "yes" : "no";
}

static void kill_during_vfork(struct shared *s, int sig, const char *name)
{
    *s = (struct shared){ 0 };
    pid_t pid = fork();
    if (pid == 0)
        middle(s);
    printf("the vfork child started: %s\n", yes(wait_for_flag(&s->child_started)));

    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("the parent waiting in vfork was killed by %s: %s\n", name,
           yes(WIFSIGNALED(status) && WTERMSIG(status) == sig));
    printf("its child was still running then: %s\n", yes(!s->child_finished));

    s->release = 1;
    pid_t reaped = waitpid(s->child_pid, &status, 0);
    printf("the child, now ours, then exited normally: %s\n",
           yes(reaped == s->child_pid && s->child_finished && WIFEXITED(status) &&
               WEXITSTATUS(status) == CHILD_EXIT_CODE));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* no buffered output for the children to copy */
    /* Linux: orphans come to us rather than to the host's init (vmlab has no prctl,
     * and needs none: this program is init there) */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    struct shared *s =
        mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) {
        printf("mmap: errno %d\n", errno);
        return 1;
    }
    kill_during_vfork(s, SIGKILL, "SIGKILL");
    kill_during_vfork(s, SIGTERM, "SIGTERM");
    return 0;
}
