/*
 * proctest — processes: who am I, who is my parent, and how a parent learns how its
 * children ended.
 *
 *   getpid/getppid/gettid   a process's id, its parent's, and its (only) thread's
 *   vfork                   a child that borrows our memory until it execs or exits
 *   exit / exit_group       end with a status 0..255 (only the low 8 bits survive)
 *   wait4                   wait for one child (pid) or any (-1); WNOHANG does not
 *                           wait; -ECHILD when there is nobody to wait for
 *   a long write            64 MiB to the console, or 2 GiB to probe before an
 *                           EFAULT: the parent runs meanwhile, its SIGKILL ends it
 *
 * proctest re-runs itself for the checks that need a separate program:
 *   proctest --check-parent PID   exit 0 if getppid() == PID (and tid == pid)
 *   proctest --spin               run until killed (or until the parent is gone)
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define STATUSES          256 /* every exit status a process can have */
#define NOT_A_PID         999999999
#define WNOHANG_ATTEMPTS  1000000      /* polls before we give up on an exited child */
#define LONG_WRITE_IOVECS 1024         /* of 64 KiB each: 64 MiB, minutes of console output */
#define PROBED_BYTES      0x7ffff000ul /* the most one write takes: 2 GiB - 4 KiB */

static char *self; /* our own path (argv[0]), to run ourselves again */

/* ---- the modes in which proctest runs as someone else's child ---- */

static int check_parent_mode(const char *expected_parent)
{
    uint64_t parent;
    if (!parse_u64(expected_parent, &parent))
        return 2;
    if (sys_getppid() != (long)parent)
        return 3;
    if (sys_gettid() != sys_getpid() || sys_getpid() == (long)parent)
        return 4;
    return 0;
}

/* Busy until killed. It stops by itself if the parent goes away (then getppid()
 * changes), so a failed run cannot leave it spinning forever. */
static int spin_mode(void)
{
    long parent = sys_getppid();
    while (sys_getppid() == parent)
        sys_sched_yield();
    return 1;
}

/* ---- the checks ---- */

static void check_ids(void)
{
    check_section("who am I: getpid, getppid, gettid");
    long pid = sys_getpid();
    EXPECT(pid > 0, "getpid() = %ld is a positive number", pid);
    EXPECT_RESULT(sys_getpid(), pid, "getpid() gives the same answer twice");
    EXPECT_RESULT(sys_gettid(), pid, "gettid() == getpid(): one thread, whose id is the process's");
    long parent = sys_getppid();
    if (pid == 1) /* the first process: its parent is the kernel, pid 0 (as on Linux) */
        EXPECT_RESULT(parent, 0, "getppid() of pid 1 is 0");
    else
        EXPECT(parent > 0 && parent != pid, "getppid() = %ld is another process", parent);
    EXPECT_RESULT(sys_sched_yield(), 0, "sched_yield() lets others run and returns 0");
}

/* A vfork child runs in our memory: what it writes, we see after it exits. */
static void check_vfork_shares_memory(void)
{
    check_section("vfork: the child borrows the parent's memory");
    volatile long child_saw_pid = 0, child_saw_parent = 0;
    long parent = sys_getpid();

    long pid = sys_vfork();
    if (pid == 0) {
        child_saw_pid = sys_getpid();
        child_saw_parent = sys_getppid();
        sys_exit(0);
    }
    EXPECT(pid > 0, "vfork() returned the child's pid %ld to the parent", pid);
    EXPECT_RESULT(child_saw_pid, pid, "the child wrote its pid into the parent's variable");
    EXPECT_RESULT(child_saw_parent, parent, "the child's getppid() was the parent's pid");
    int status = -1;
    EXPECT_RESULT(sys_wait4((int)pid, &status, 0, NULL), pid, "wait4(child) returns its pid");
    EXPECT_RESULT(status, 0, "its wait status is 0 (exited with 0)");
}

/* vfork a child that exits with code at once; returns its pid. */
static long child_exiting_with(int code)
{
    long pid = sys_vfork();
    if (pid == 0)
        sys_exit_group(code);
    return pid;
}

static void check_exit_statuses(void)
{
    check_section("exit statuses 0..255 reach the parent through wait4");
    int wrong = 0, first_wrong = -1;
    for (int code = 0; code < STATUSES; code++) {
        long pid = child_exiting_with(code);
        int status = -1;
        long waited = sys_wait4((int)pid, &status, 0, NULL);
        bool ok = pid > 0 && waited == pid && WIFEXITED(status) && !WIFSIGNALED(status) &&
                  WEXITSTATUS(status) == code && status == code << 8;
        if (!ok && wrong++ == 0)
            first_wrong = code;
    }
    EXPECT(wrong == 0,
           "%d children exiting with codes 0..255 are each seen with WIFEXITED, "
           "WEXITSTATUS == code and status == code << 8",
           STATUSES);
    if (wrong != 0)
        printf("  (%d were wrong, the first the one exiting with %d)\n", wrong, first_wrong);

    int status = -1;
    long pid = child_exiting_with(256 + 7);
    sys_wait4((int)pid, &status, 0, NULL);
    EXPECT_RESULT(WEXITSTATUS(status), 7, "exit(263) is seen as 7: only the low 8 bits are kept");
    pid = child_exiting_with(-1);
    sys_wait4((int)pid, &status, 0, NULL);
    EXPECT_RESULT(WEXITSTATUS(status), 255, "exit(-1) is seen as 255");
}

static void check_wait_any_and_specific(void)
{
    check_section("wait4 for a specific child, then for any child (-1)");
    long first = child_exiting_with(1);
    long second = child_exiting_with(2);
    long third = child_exiting_with(3);
    EXPECT(first > 0 && second > 0 && third > 0 && first != second && second != third &&
               first != third,
           "three children with three different pids");

    int status = -1;
    EXPECT_RESULT(sys_wait4((int)second, &status, 0, NULL), second, "wait4(second) returns it");
    EXPECT_RESULT(WEXITSTATUS(status), 2, "and its status 2");

    long a = sys_wait4(-1, &status, 0, NULL);
    int status_a = status;
    long b = sys_wait4(-1, &status, 0, NULL);
    int status_b = status;
    EXPECT((a == first && b == third) || (a == third && b == first),
           "wait4(-1) twice returns the other two (%ld, %ld)", a, b);
    EXPECT(WEXITSTATUS(status_a) == (a == first ? 1 : 3) &&
               WEXITSTATUS(status_b) == (b == first ? 1 : 3),
           "each with its own status");

    EXPECT_RESULT(sys_wait4(-1, &status, 0, NULL), -ECHILD,
                  "no children left: wait4(-1) is -ECHILD");
    EXPECT_RESULT(sys_wait4(-1, &status, WNOHANG, NULL), -ECHILD, "also with WNOHANG");
    EXPECT_RESULT(sys_wait4((int)first, &status, 0, NULL), -ECHILD,
                  "a child already waited for cannot be waited for again");
    EXPECT_RESULT(sys_wait4((int)sys_getpid(), &status, 0, NULL), -ECHILD,
                  "a process is not its own child");
    EXPECT_RESULT(sys_wait4((int)sys_getppid(), &status, 0, NULL), -ECHILD, "nor is its parent");
    EXPECT_RESULT(sys_wait4(NOT_A_PID, &status, 0, NULL), -ECHILD, "nor a pid nobody has");
}

static void check_wait_arguments(void)
{
    check_section("wait4: WNOHANG, rusage, bad arguments");
    int status = -1;
    long pid = child_exiting_with(5);
    /* The vfork parent resumes as soon as the child has let go of its memory, which
     * on Linux is a moment before the child has finished exiting; so WNOHANG may
     * still say 0 at first. Asking again (and letting it run) must find it. */
    long waited = 0, attempts = 0;
    while (waited == 0 && attempts++ < WNOHANG_ATTEMPTS) {
        waited = sys_wait4((int)pid, &status, WNOHANG, NULL);
        if (waited == 0)
            sys_sched_yield();
    }
    EXPECT_RESULT(waited, pid, "WNOHANG returns 0 until the child has exited, then the child");
    EXPECT_RESULT(WEXITSTATUS(status), 5, "with its status");

    struct rusage usage;
    memset(&usage, 0xff, sizeof(usage));
    pid = child_exiting_with(6);
    EXPECT_RESULT(sys_wait4((int)pid, &status, 0, &usage), pid, "wait4 with a struct rusage");
    EXPECT(usage.ru_utime.tv_usec >= 0 && usage.ru_utime.tv_usec < 1000000 &&
               usage.ru_stime.tv_usec >= 0 && usage.ru_stime.tv_usec < 1000000,
           "fills it in (microseconds within 0..999999)");
    EXPECT_RESULT(sys_wait4((int)pid, NULL, 0, NULL), -ECHILD, "the child was reaped");

    pid = child_exiting_with(7);
    EXPECT_RESULT(sys_wait4((int)pid, &status, 0x12345678, NULL), -EINVAL,
                  "unknown option bits: -EINVAL");
    EXPECT_RESULT(sys_wait4((int)pid, NULL, 0, NULL), pid, "a NULL status pointer is allowed");

    /* Linux collects the child first and then fails to store the status: the child is
     * gone, and the caller gets -EFAULT. */
    pid = child_exiting_with(8);
    EXPECT_RESULT(sys_wait4((int)pid, BAD_POINTER_NULL_PAGE, 0, NULL), -EFAULT,
                  "status pointer into unmapped memory: -EFAULT");
    EXPECT_RESULT(sys_wait4((int)pid, &status, WNOHANG, NULL), -ECHILD,
                  "and the child was reaped anyway");
    pid = child_exiting_with(9);
    EXPECT_RESULT(sys_wait4((int)pid, BAD_POINTER_KERNEL, 0, NULL), -EFAULT,
                  "status pointer into the kernel: -EFAULT");
}

static void check_running_child(void)
{
    check_section("a child that is still running (an exec'd program that spins)");
    char *argv[] = { self, "--spin", NULL };
    long pid = spawn(self, argv, environ);
    EXPECT(pid > 0, "started %s --spin (pid %ld)", self, pid);
    if (pid <= 0)
        return;
    int status = -1;
    EXPECT_RESULT(sys_wait4((int)pid, &status, WNOHANG, NULL), 0,
                  "wait4(WNOHANG) returns 0: it has not ended (it cannot end on its own)");
    EXPECT_RESULT(sys_kill((int)pid, SIGKILL), 0, "kill(child, SIGKILL)");
    EXPECT_RESULT(sys_wait4((int)pid, &status, 0, NULL), pid, "wait4 now returns it");
    EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "killed by SIGKILL (status 0x%x)",
           (unsigned)status);
}

/* A write of 64 MiB to the console (a few minutes of output: carriage returns,
 * which show nothing) by a child. The kernel does not preempt itself, so the write
 * must give the CPU away between chunks: the parent then runs, and its SIGKILL ends
 * the write. */
static void check_long_write_killable(void)
{
    check_section("a long console write lets others run, and SIGKILL ends it");
    if (!vmstat_available()) {
        printf("  (vmlab only: on Linux the output goes to a file, written at once)\n");
        return;
    }
    static char returns[64 * 1024];
    memset(returns, '\r', sizeof returns);
    long pid = sys_fork();
    if (pid == 0) {
        static struct iovec iov[LONG_WRITE_IOVECS];
        for (int i = 0; i < LONG_WRITE_IOVECS; i++)
            iov[i] = (struct iovec){ returns, sizeof returns };
        sys_writev(STDOUT, iov, LONG_WRITE_IOVECS);
        sys_exit_group(1);
    }
    EXPECT(pid > 0, "fork a child that writes 64 MiB to the console in one writev");
    if (pid <= 0)
        return;
    struct timespec moment = { 0, 20 * 1000 * 1000 };
    sys_nanosleep(&moment, NULL);
    EXPECT_RESULT(sys_kill((int)pid, SIGKILL), 0, "the parent ran meanwhile: kill(child, SIGKILL)");
    int status = -1;
    EXPECT_RESULT(sys_wait4((int)pid, &status, 0, NULL), pid, "wait4 returns it");
    printf("\n");
    EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
           "killed by SIGKILL in the middle of its write (status 0x%x)", (unsigned)status);
}

/* A write of 2 GiB whose last page is PROT_NONE: nothing is written (EFAULT), but
 * first every page is probed, which takes seconds (a fault and a page table per
 * untouched 2 MiB). The kernel lets others run meanwhile: the parent's 20 ms sleep
 * ends on time, and its SIGKILL ends the writer. */
static void check_long_probe_preemptible(void)
{
    check_section("probing a 2 GiB write buffer lets others run");
    if (!vmstat_available()) {
        printf("  (vmlab only)\n");
        return;
    }
    long pid = sys_fork();
    if (pid == 0) {
        long area = sys_mmap(NULL, PROBED_BYTES + PAGE_SIZE, PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (IS_ERROR(area))
            sys_exit_group(2);
        sys_mprotect((char *)area + PROBED_BYTES - PAGE_SIZE, PAGE_SIZE, PROT_NONE);
        for (;;)
            sys_write(STDOUT, (char *)area, PROBED_BYTES);
    }
    EXPECT(pid > 0, "fork a child that writes 2 GiB ending in a PROT_NONE page, again and again");
    if (pid <= 0)
        return;
    expect_busy_child_preemptible_and_killable(pid);
}

static void check_exec_child_parent(void)
{
    check_section("an exec'd child sees us as its parent");
    char pid_text[24];
    snprintf(pid_text, sizeof(pid_text), "%ld", sys_getpid());
    char *argv[] = { self, "--check-parent", pid_text, NULL };
    long status = run(self, argv, environ);
    EXPECT_RESULT(status, 0, "%s --check-parent %s: getppid() matches, gettid() == getpid()", self,
                  pid_text);
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc == 3 && strcmp(argv[1], "--check-parent") == 0)
        return check_parent_mode(argv[2]);
    if (argc == 2 && strcmp(argv[1], "--spin") == 0)
        return spin_mode();
    if (argc != 1) {
        dprintf(STDERR, "usage: %s\n", argv[0]);
        return 2;
    }

    printf("proctest: processes, vfork, exit statuses and wait4\n");
    check_ids();
    check_vfork_shares_memory();
    check_exit_statuses();
    check_wait_any_and_specific();
    check_wait_arguments();
    check_exec_child_parent();
    check_running_child();
    check_long_write_killable();
    check_long_probe_preemptible();
    return check_summary("proctest");
}
