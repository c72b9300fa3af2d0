/*
 * fault_signals.c — a fault's signal cannot be blocked or ignored, and SIGKILL
 * ends a process whatever it is doing.
 *
 *   faults with their signal blocked or ignored: the kernel forces the signal,
 *     the process dies of it (it must not return to the faulting instruction and
 *     fault forever): SIGSEGV (a write to NULL), SIGILL (ud2), SIGFPE (a division
 *     by zero), SIGTRAP (int3)
 *   a vfork child and a fork child that fault at once: only the child dies
 *   SIGKILL for a child in a tight loop, in nanosleep forever, in wait4, in
 *     sched_yield: each dies of it (the orphan of the one in wait4 comes to us)
 *   children that exit while their parent kills them: every one is reaped once,
 *     ended by its exit or by SIGKILL
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RACERS 40

enum mask { BLOCKED, IGNORED };

static void print_end(const char *what, int status)
{
    if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void write_null(void)
{
    *(volatile int *)0 = 1;
}
static void undefined_instruction(void)
{
    __asm__ volatile("ud2");
}
static void breakpoint(void)
{
    __asm__ volatile("int3");
}
static void divide_by_zero(void)
{
    volatile int zero = 0, numerator = 7;
    volatile int quotient = numerator / zero;
    (void)quotient;
}

/* In a child: block or ignore sig, then fault with it. */
static void fault_with(int sig, enum mask how, void (*fault)(void), const char *what)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (how == BLOCKED) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, sig);
            sigprocmask(SIG_BLOCK, &set, NULL);
        } else {
            signal(sig, SIG_IGN);
        }
        fault();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    char line[100];
    snprintf(line, sizeof line, "%s with signal %d %s", what, sig,
             how == BLOCKED ? "blocked" : "ignored");
    print_end(line, status);
}

static void fault_at_once(void)
{
    fflush(stdout);
    pid_t pid = vfork();
    if (pid == 0)
        write_null();
    int status = 0;
    waitpid(pid, &status, 0);
    print_end("a vfork child writing to NULL at once", status);
    pid = fork();
    if (pid == 0)
        write_null();
    waitpid(pid, &status, 0);
    print_end("a fork child writing to NULL at once", status);
}

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
    nanosleep(&t, NULL);
}

static void busy_loop(void)
{
    for (;;)
        __asm__ volatile("" ::: "memory");
}

static void sleep_forever(void)
{
    struct timespec t = { 1l << 40, 0 };
    for (;;)
        nanosleep(&t, NULL);
}

static volatile pid_t *grandchild; /* a MAP_SHARED word: the sleeper's pid */

static void wait_for_sleeper(void)
{
    pid_t sleeper = fork();
    if (sleeper == 0) {
        sleep_ms(3000);
        _exit(0);
    }
    *grandchild = sleeper;
    waitpid(sleeper, NULL, 0);
}

/* The sleeper, orphaned when its parent was killed, is ours now (init on vmlab, a
 * subreaper on Linux): end it and reap it. */
static void reap_orphaned_sleeper(void)
{
    int status = 0;
    kill(*grandchild, SIGKILL);
    waitpid(*grandchild, &status, 0);
    print_end("its orphaned child, killed", status);
}

static void yield_forever(void)
{
    for (;;)
        syscall(SYS_sched_yield);
}

/* In a child: body; the parent sends SIGKILL after a moment. */
static void kill_while(const char *what, void (*body)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(0);
    }
    sleep_ms(50);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    print_end(what, status);
}

static void exit_while_killed(void)
{
    pid_t pids[RACERS];
    fflush(stdout);
    for (int i = 0; i < RACERS; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(i % 2 ? 0 : 7);
    }
    for (int i = 0; i < RACERS; i++)
        kill(pids[i], SIGKILL); /* each may be running, exiting or a zombie */
    int reaped = 0, clean = 0, status;
    for (int i = 0; i < RACERS; i++) {
        if (waitpid(pids[i], &status, 0) != pids[i])
            continue;
        reaped++;
        clean += (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
                 (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 7));
    }
    printf("%d children killed as they exited: %d reaped, %d ended by exit or SIGKILL\n", RACERS,
           reaped, clean);
}

int main(void)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* Linux: orphans come to us, as to init on vmlab */
    grandchild =
        mmap(NULL, sizeof *grandchild, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    fault_with(SIGSEGV, BLOCKED, write_null, "write to NULL");
    fault_with(SIGSEGV, IGNORED, write_null, "write to NULL");
    fault_with(SIGILL, BLOCKED, undefined_instruction, "ud2");
    fault_with(SIGILL, IGNORED, undefined_instruction, "ud2");
    fault_with(SIGFPE, BLOCKED, divide_by_zero, "division by zero");
    fault_with(SIGFPE, IGNORED, divide_by_zero, "division by zero");
    fault_with(SIGTRAP, BLOCKED, breakpoint, "int3");
    fault_with(SIGTRAP, IGNORED, breakpoint, "int3");
    fault_at_once();
    kill_while("SIGKILL in a tight loop", busy_loop);
    kill_while("SIGKILL in nanosleep", sleep_forever);
    kill_while("SIGKILL in wait4", wait_for_sleeper);
    reap_orphaned_sleeper();
    kill_while("SIGKILL in sched_yield", yield_forever);
    exit_while_killed();
    return 0;
}
