/*
 * init — the first process; the kernel starts it, and it starts everything else.
 *
 *   init                run the shell, /bin/sh, and start a new one whenever it exits:
 *                       busybox's ash on the root disk (its applets in /bin too; the
 *                       project's own small shell is /bin/vsh), with the environment
 *                       below
 *   init PROGRAM ARGS   run just that program (a name like "proctest" means
 *                       /bin/proctest), wait for it, and exit with its status
 *                       (128 + the signal number if a signal killed it, as shells do)
 *
 * A process whose parent exits is adopted by init, so init also waits for such
 * orphans: wait4(-1) collects any child, and it keeps waiting until the one it started
 * has ended.
 *
 * busybox's poweroff, halt and reboot ask init to end the machine with a signal
 * (SIGUSR2, SIGUSR1, SIGTERM), as they ask busybox's own init: every one of them
 * powers off here (reboot(2), which writes everything back first).
 */
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/signal_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define SHELL "/bin/sh"

/* The shell's environment: programs are found in /bin; `cd` alone goes to /home;
 * TERM says what the serial console understands (busybox's line editing, vi and
 * less draw with its escape sequences); PS1 is the prompt. */
static char *shell_environment[] = { "PATH=/bin", "HOME=/home", "TERM=vt100", "PS1=$ ", NULL };

#define REBOOT_MAGIC1        0xfee1dead
#define REBOOT_MAGIC2        672274793
#define REBOOT_CMD_POWER_OFF 0x4321fedc

/* A handler returns through this (SA_RESTORER): rt_sigreturn loads the frame back.
 * (Ours never returns, but the kernel wants one, as Linux does.) */
void init_restorer(void);
__asm__(".globl init_restorer\n"
        "init_restorer:\n"
        "    mov $15, %eax\n" /* rt_sigreturn */
        "    syscall\n");

/* SIGUSR2, SIGUSR1 or SIGTERM from busybox's poweroff, halt or reboot. */
static void power_off(int sig)
{
    printf("init: %s: powering off\n", sig == SIGTERM   ? "reboot"
                                       : sig == SIGUSR1 ? "halt"
                                                        : "poweroff");
    long err = syscall4(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, 0);
    printf("init: reboot: %s\n", errno_name(err));
}

static void catch_power_signals(void)
{
    struct k_sigaction action = { .handler = power_off,
                                  .flags = SA_RESTORER,
                                  .restorer = init_restorer };
    sys_rt_sigaction(SIGUSR2, &action, NULL, sizeof(sigset_t));
    sys_rt_sigaction(SIGUSR1, &action, NULL, sizeof(sigset_t));
    sys_rt_sigaction(SIGTERM, &action, NULL, sizeof(sigset_t));
}

/* Wait until child pid has ended, collecting any other children (orphans) on the way.
 * Returns pid's wait status, or -errno. */
static long wait_for_child(long pid)
{
    for (;;) {
        int status = 0;
        long ended = sys_wait4(-1, &status, 0, NULL);
        if (ended < 0)
            return ended;
        if (ended == pid)
            return status;
    }
}

/* Start argv[0] (searched in PATH, default /bin) with environment envp and wait.
 * Returns the wait status or -errno, having said what went wrong. */
static long run_and_wait(char **argv, char **envp)
{
    long pid = spawn(argv[0], argv, envp);
    if (pid < 0) {
        dprintf(STDERR, "init: cannot run %s: %s\n", argv[0], errno_name(pid));
        return pid;
    }
    return wait_for_child(pid);
}

/* The status init itself exits with for a child's wait status. */
static int exit_code_for(long status)
{
    if (status < 0)
        return EXIT_EXEC_FAILED;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static int run_one(char **argv)
{
    long status = run_and_wait(argv, environ);
    if (status >= 0 && status != 0) {
        char text[60];
        describe_status(status, text, sizeof(text));
        printf("init: %s: %s\n", argv[0], text);
    }
    return exit_code_for(status);
}

static int run_shell_forever(void)
{
    char *argv[] = { SHELL, NULL };
    catch_power_signals();
    for (;;) {
        printf("init: starting %s\n", SHELL);
        long status = run_and_wait(argv, shell_environment);
        if (status < 0)
            return EXIT_EXEC_FAILED; /* no shell at all: nothing to restart */
        char text[60];
        describe_status(status, text, sizeof(text));
        printf("init: %s ended (%s)\n", SHELL, text);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return run_one(argv + 1);
    return run_shell_forever();
}
