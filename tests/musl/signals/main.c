/*
 * signals — signal handlers, compared with Linux (tests/boot/signals.sh). One file per
 * concept: delivery.c (handlers run; siginfo; sigaction's rules; kill's targets),
 * faults.c (exceptions as signals with si_addr and the ucontext; fixing the fault and
 * returning; skipping the instruction; siglongjmp), masks.c (masks during handlers,
 * SA_NODEFER, SA_RESETHAND, pending signals, sigprocmask and sigpending), altstack.c
 * (sigaltstack and stack overflows), interrupts.c (sigsuspend, pause, EINTR and
 * SA_RESTART, SIGCHLD, SIGPIPE), registers.c (every register kept across a handler),
 * sigreturn.c (corrupted frames kill only their process), common.c (helpers).
 *
 *   signals          every part, each in a child process of its own
 *   signals PART     one part (its name as "== NAME" prints it)
 *   signals --after-exec   (the exec part) what a program finds after execve
 *
 * It prints no addresses, pids or times: "si_addr == the address: yes".
 */
#include "signals.h"

struct part {
    const char *name;
    void (*run)(void);
};

static const struct part parts[] = {
    { "handlers run", handlers_run },
    { "siginfo", siginfo_fields },
    { "sigaction", action_rules },
    { "kill targets", kill_targets },
    { "page faults", page_faults },
    { "other exceptions", other_exceptions },
    { "fixing faults", fixing_faults },
    { "siglongjmp", jumping_out },
    { "masks in handlers", masks_in_handlers },
    { "pending", pending_signals },
    { "mask rules", mask_rules },
    { "sigaltstack rules", altstack_rules },
    { "alternate stack", altstack_delivery },
    { "stack overflow", stack_overflow },
    { "sleeping calls", sleeping_calls },
    { "interrupted calls", interrupted_reads },
    { "SIGCHLD", child_signals },
    { "SIGPIPE", broken_pipe },
    { "registers", registers_kept },
    { "rt_sigreturn", bad_sigreturn },
    { "frame", frame_layout },
    { "exec", across_exec },
    { "faults in handlers", faults_in_handlers },
    { "alternate stack nesting", altstack_nesting },
    { "sigtimedwait", waiting_for_signals },
    { "restarting", restarting_calls },
    { "single step", single_step },
    { "vfork", vfork_and_signals },
};

const char *self_path;

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc > 1 && strcmp(argv[1], "--after-exec") == 0)
        return after_exec();
    int ran = 0;
    for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (argc > 1 && strcmp(argv[1], parts[i].name) != 0)
            continue;
        in_own_process(parts[i].name, parts[i].run);
        ran++;
    }
    if (ran == 0)
        printf("no part named %s\n", argv[1]);
    printf("== done\n");
    return 0;
}
