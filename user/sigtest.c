/*
 * sigtest — signals: the mask of blocked signals, what each signal does, and kill.
 *
 * Every process has
 *   a signal mask       the signals it blocks: sent, they wait ("pending") until unblocked
 *   a disposition each  SIG_DFL (the default action), SIG_IGN (ignore), or a handler
 * and kill(pid, sig) sends a signal. Most signals' default action terminates the
 * process; the parent then sees WIFSIGNALED(status) with WTERMSIG(status) == sig.
 * SIGCHLD, SIGURG and SIGWINCH are ignored by default. SIGKILL and SIGSTOP can never be
 * blocked, ignored or handled.
 *
 * (Handlers are only registered and read back here; sigframe shows one run, and
 * tests/boot/signals.sh tests what they do.)
 *
 * sigtest runs itself with --child MODE for what must happen in another process.
 */
#include <stdbool.h>

#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define NOT_A_PID 999999999

/* Exit codes the children use to say "I survived", distinct from 0 and 127. */
#define SURVIVED_BLOCKED        42
#define SURVIVED_IGNORED        43
#define SURVIVED_DEFAULT_IGNORE 44
#define SURVIVED_KILL_ALL       45
#define NOT_KILLED              100

static char *self;

/* A handler that is registered but never triggered here. */
static void never_called(int sig)
{
    (void)sig;
}

static void never_called_restorer(void)
{
}

static long set_mask(int how, sigset_t set, sigset_t *old)
{
    return sys_rt_sigprocmask(how, &set, old, SIGSET_SIZE);
}

static sigset_t current_mask(void)
{
    sigset_t mask = 0;
    sys_rt_sigprocmask(SIG_BLOCK, NULL, &mask, SIGSET_SIZE);
    return mask;
}

static long set_action(int sig, signal_handler_t handler)
{
    struct k_sigaction action = { .handler = handler };
    return sys_rt_sigaction(sig, &action, NULL, SIGSET_SIZE);
}

/* ---- the children ---- */

/* What the exec'd child inherited: the parent sets mask {SIGUSR1}, SIGUSR2 ignored,
 * a handler for SIGHUP. An exec keeps the mask and "ignore", but a handler would
 * point into the old program, so it goes back to SIG_DFL. */
static int child_inherit(void)
{
    struct k_sigaction usr2, hup;
    sys_rt_sigaction(SIGUSR2, NULL, &usr2, SIGSET_SIZE);
    sys_rt_sigaction(SIGHUP, NULL, &hup, SIGSET_SIZE);
    if (current_mask() != SIGNAL_BIT(SIGUSR1))
        return 1;
    if (usr2.handler != SIG_IGN)
        return 2;
    if (hup.handler != SIG_DFL)
        return 3;
    return 0;
}

static int child_mode(const char *mode)
{
    long me = sys_getpid();
    if (strcmp(mode, "term-self") == 0) {
        sys_kill((int)me, SIGTERM); /* the default action: terminate */
        return NOT_KILLED;
    }
    if (strcmp(mode, "blocked-term") == 0) {
        set_mask(SIG_SETMASK, SIGNAL_BIT(SIGTERM), NULL);
        sys_kill((int)me, SIGTERM); /* stays pending: blocked */
        return SURVIVED_BLOCKED;
    }
    if (strcmp(mode, "unblock-term") == 0) {
        set_mask(SIG_SETMASK, SIGNAL_BIT(SIGTERM), NULL);
        sys_kill((int)me, SIGTERM);
        set_mask(SIG_SETMASK, 0, NULL); /* now it is delivered, before this returns */
        return NOT_KILLED;
    }
    if (strcmp(mode, "ignored-term") == 0) {
        set_action(SIGTERM, SIG_IGN);
        sys_kill((int)me, SIGTERM); /* discarded */
        return SURVIVED_IGNORED;
    }
    if (strcmp(mode, "default-ignore") == 0) {
        sys_kill((int)me, SIGCHLD);
        sys_kill((int)me, SIGURG);
        sys_kill((int)me, SIGWINCH);
        return SURVIVED_DEFAULT_IGNORE;
    }
    if (strcmp(mode, "kill-all") == 0) {
        set_action(SIGUSR2, SIG_DFL); /* the parent ignores it, and so did we */
        sys_kill(-1, SIGUSR2);        /* everyone but init and ourselves */
        return SURVIVED_KILL_ALL;
    }
    if (strcmp(mode, "inherit") == 0)
        return child_inherit();
    return 2;
}

/* Run "sigtest --child mode" and return its wait status (or -errno). */
static long run_child(char *mode)
{
    char *argv[] = { self, "--child", mode, NULL };
    return run(self, argv, environ);
}

/* ---- the checks ---- */

static void check_mask(void)
{
    check_section("rt_sigprocmask: the signal mask");
    sigset_t old = 0xdead;
    EXPECT_RESULT(set_mask(SIG_SETMASK, 0, &old), 0, "SIG_SETMASK {} (start from nothing blocked)");

    EXPECT_RESULT(set_mask(SIG_BLOCK, SIGNAL_BIT(SIGUSR1), &old), 0, "SIG_BLOCK {SIGUSR1}");
    EXPECT_RESULT(old, 0, "the old mask was empty");
    set_mask(SIG_BLOCK, SIGNAL_BIT(SIGUSR2) | SIGNAL_BIT(SIGTERM), &old);
    EXPECT_RESULT(old, SIGNAL_BIT(SIGUSR1), "SIG_BLOCK {SIGUSR2, SIGTERM}: old mask {SIGUSR1}");
    EXPECT_RESULT(current_mask(), SIGNAL_BIT(SIGUSR1) | SIGNAL_BIT(SIGUSR2) | SIGNAL_BIT(SIGTERM),
                  "now {SIGUSR1, SIGUSR2, SIGTERM}");
    set_mask(SIG_UNBLOCK, SIGNAL_BIT(SIGUSR2) | SIGNAL_BIT(SIGHUP), &old);
    EXPECT_RESULT(current_mask(), SIGNAL_BIT(SIGUSR1) | SIGNAL_BIT(SIGTERM),
                  "SIG_UNBLOCK {SIGUSR2, SIGHUP} leaves {SIGUSR1, SIGTERM}");
    set_mask(SIG_SETMASK, SIGNAL_BIT(SIGINT) | SIGNAL_BIT(40), &old);
    EXPECT_RESULT(current_mask(), SIGNAL_BIT(SIGINT) | SIGNAL_BIT(40),
                  "SIG_SETMASK {SIGINT, 40} replaces it (signal 40 is a real-time signal)");

    set_mask(SIG_SETMASK, SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP) | SIGNAL_BIT(SIGUSR1), NULL);
    EXPECT_RESULT(current_mask(), SIGNAL_BIT(SIGUSR1),
                  "blocking SIGKILL and SIGSTOP is silently ignored: only {SIGUSR1} is blocked");
    set_mask(SIG_BLOCK, ~0ULL, NULL);
    EXPECT_RESULT(current_mask(), ~(SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP)),
                  "blocking everything blocks all but those two");

    sigset_t before = current_mask();
    EXPECT_RESULT(set_mask(3, 0, NULL), -EINVAL, "how = 3: -EINVAL");
    EXPECT_RESULT(sys_rt_sigprocmask(SIG_SETMASK, &before, NULL, 4), -EINVAL,
                  "sigsetsize 4 instead of 8: -EINVAL");
    EXPECT_RESULT(sys_rt_sigprocmask(SIG_SETMASK, BAD_POINTER_NULL_PAGE, NULL, SIGSET_SIZE),
                  -EFAULT, "new mask at (void *)8: -EFAULT");
    EXPECT_RESULT(sys_rt_sigprocmask(SIG_SETMASK, NULL, BAD_POINTER_KERNEL, SIGSET_SIZE), -EFAULT,
                  "old mask into the kernel: -EFAULT");
    EXPECT_RESULT(sys_rt_sigprocmask(SIG_SETMASK, NULL, (void *)image_last_bytes(4), SIGSET_SIZE),
                  -EFAULT, "old mask half in mapped memory: -EFAULT");
    EXPECT_RESULT(current_mask(), before, "none of the failed calls changed the mask");
    set_mask(SIG_SETMASK, 0, NULL);
}

static void check_actions(void)
{
    check_section("rt_sigaction: what each signal does");
    struct k_sigaction old, got;
    memset(&old, 0x55, sizeof(old));
    EXPECT_RESULT(sys_rt_sigaction(SIGUSR1, NULL, &old, SIGSET_SIZE), 0, "read SIGUSR1's action");
    EXPECT(old.handler == SIG_DFL, "it is SIG_DFL (the default)");

    struct k_sigaction ignore = { .handler = SIG_IGN };
    EXPECT_RESULT(sys_rt_sigaction(SIGUSR1, &ignore, &old, SIGSET_SIZE), 0, "set SIG_IGN");
    EXPECT(old.handler == SIG_DFL, "the old action returned is SIG_DFL");
    sys_rt_sigaction(SIGUSR1, NULL, &got, SIGSET_SIZE);
    EXPECT(got.handler == SIG_IGN, "reading it back gives SIG_IGN");

    struct k_sigaction handled = {
        .handler = never_called,
        .flags = SA_RESTORER | SA_RESTART | SA_SIGINFO,
        .restorer = never_called_restorer,
        .mask = SIGNAL_BIT(SIGUSR2) | SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP),
    };
    EXPECT_RESULT(sys_rt_sigaction(SIGUSR1, &handled, &old, SIGSET_SIZE), 0,
                  "set a handler with flags SA_RESTORER|SA_RESTART|SA_SIGINFO and mask "
                  "{SIGUSR2, SIGKILL, SIGSTOP}");
    EXPECT(old.handler == SIG_IGN, "the old action returned is SIG_IGN");
    memset(&got, 0, sizeof(got));
    sys_rt_sigaction(SIGUSR1, NULL, &got, SIGSET_SIZE);
    EXPECT(got.handler == never_called && got.restorer == never_called_restorer,
           "reading it back gives the handler and the restorer");
    EXPECT_RESULT(got.flags, handled.flags, "and the flags");
    EXPECT_RESULT(got.mask, SIGNAL_BIT(SIGUSR2),
                  "and the mask, without SIGKILL and SIGSTOP (they cannot be blocked)");
    set_action(SIGUSR1, SIG_DFL);

    EXPECT_RESULT(set_action(SIGKILL, SIG_IGN), -EINVAL, "SIGKILL cannot be ignored: -EINVAL");
    EXPECT_RESULT(set_action(SIGSTOP, never_called), -EINVAL, "SIGSTOP cannot be handled: -EINVAL");
    EXPECT_RESULT(set_action(SIGKILL, SIG_DFL), -EINVAL, "nor can SIGKILL be set at all");
    EXPECT_RESULT(sys_rt_sigaction(SIGKILL, NULL, &got, SIGSET_SIZE), 0,
                  "but SIGKILL's action can be read");
    EXPECT(got.handler == SIG_DFL, "and it is SIG_DFL");
    EXPECT_RESULT(set_action(0, SIG_IGN), -EINVAL, "signal 0: -EINVAL");
    EXPECT_RESULT(set_action(NSIG + 1, SIG_IGN), -EINVAL, "signal 65: -EINVAL");
    EXPECT_RESULT(set_action(-1, SIG_IGN), -EINVAL, "signal -1: -EINVAL");
    EXPECT_RESULT(sys_rt_sigaction(SIGUSR1, &ignore, NULL, 4), -EINVAL,
                  "sigsetsize 4 instead of 8: -EINVAL");
    EXPECT_RESULT(sys_rt_sigaction(SIGUSR1, BAD_POINTER_NULL_PAGE, NULL, SIGSET_SIZE), -EFAULT,
                  "new action at (void *)8: -EFAULT");
    EXPECT_RESULT(sys_rt_sigaction(SIGUSR1, NULL, BAD_POINTER_UNMAPPED, SIGSET_SIZE), -EFAULT,
                  "old action into unmapped memory: -EFAULT");
    EXPECT_RESULT(sys_rt_sigaction(SIGUSR1, NULL, (void *)image_last_bytes(16), SIGSET_SIZE),
                  -EFAULT, "old action half in mapped memory: -EFAULT");
    sys_rt_sigaction(SIGUSR1, NULL, &got, SIGSET_SIZE);
    EXPECT(got.handler == SIG_DFL, "none of the failed calls changed SIGUSR1's action");
}

static void check_kill(void)
{
    check_section("kill");
    long me = sys_getpid();
    EXPECT_RESULT(sys_kill((int)me, 0), 0, "kill(getpid(), 0): signal 0 only checks that we exist");
    EXPECT_RESULT(sys_kill(NOT_A_PID, 0), -ESRCH, "kill(%d, 0): no such process, -ESRCH",
                  NOT_A_PID);
    EXPECT_RESULT(sys_kill(NOT_A_PID, SIGTERM), -ESRCH, "kill(%d, SIGTERM): -ESRCH", NOT_A_PID);
    EXPECT_RESULT(sys_kill((int)me, NSIG + 1), -EINVAL, "signal 65: -EINVAL");
    EXPECT_RESULT(sys_kill((int)me, -1), -EINVAL, "signal -1: -EINVAL");
}

static void expect_killed_by(long status, int sig, const char *what)
{
    char text[60];
    describe_status(status, text, sizeof(text));
    EXPECT(status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == sig, "%s (%s)", what, text);
}

static void expect_exit(long status, int code, const char *what)
{
    char text[60];
    describe_status(status, text, sizeof(text));
    EXPECT(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code, "%s (%s)", what, text);
}

static void check_delivery(void)
{
    check_section("default actions, blocking and ignoring (each in a child process)");
    expect_killed_by(run_child("term-self"), SIGTERM,
                     "a child that sends itself SIGTERM is killed by SIGTERM");
    expect_exit(run_child("blocked-term"), SURVIVED_BLOCKED,
                "with SIGTERM blocked it stays pending and the child exits normally");
    expect_killed_by(run_child("unblock-term"), SIGTERM,
                     "unblocking the pending SIGTERM delivers it: killed by SIGTERM");
    expect_exit(run_child("ignored-term"), SURVIVED_IGNORED,
                "with SIGTERM set to SIG_IGN the signal is discarded");
    expect_exit(run_child("default-ignore"), SURVIVED_DEFAULT_IGNORE,
                "SIGCHLD, SIGURG, SIGWINCH are ignored by default");

    if (vmstat_available()) {
        /* vmlab only: on Linux, kill(-1) would signal every process of this user */
        set_action(SIGUSR2, SIG_IGN);
        expect_exit(run_child("kill-all"), SURVIVED_KILL_ALL,
                    "kill(-1, SIGUSR2) signals everyone but init and the caller: the child lives");
        set_action(SIGUSR2, SIG_DFL);
    }

    check_section("what a program inherits through vfork + execve");
    set_mask(SIG_SETMASK, SIGNAL_BIT(SIGUSR1), NULL);
    set_action(SIGUSR2, SIG_IGN);
    struct k_sigaction handled = { .handler = never_called,
                                   .flags = SA_RESTORER,
                                   .restorer = never_called_restorer };
    sys_rt_sigaction(SIGHUP, &handled, NULL, SIGSET_SIZE);
    expect_exit(run_child("inherit"), 0,
                "the mask and SIG_IGN are kept; a handler is reset to SIG_DFL");
    set_mask(SIG_SETMASK, 0, NULL);
    set_action(SIGUSR2, SIG_DFL);
    set_action(SIGHUP, SIG_DFL);
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc == 3 && strcmp(argv[1], "--child") == 0)
        return child_mode(argv[2]);
    if (argc != 1) {
        dprintf(STDERR, "usage: %s\n", self);
        return 2;
    }
    printf("sigtest: signal masks, actions and kill\n");
    check_mask();
    check_actions();
    check_kill();
    check_delivery();
    return check_summary("sigtest");
}
